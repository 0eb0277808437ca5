"""The one piece of glue that lets moto's Step Functions interpreter run our Lambda
tasks in this process (spec/stack.md §3, §6). Nothing outside the local stack imports it."""
import json
import uuid


def install(app) -> None:
    """Dispatch moto's Lambda invocations to `app`'s own handler functions."""
    from chalice.local import LambdaContext
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.utilities import docker_utilities

    prefix = f"{app.app_name}-"

    def invoke(self, function_name, qualifier, body, headers, response_headers):
        deployed = function_name.split(":function:")[-1].split(":")[0]
        # Deployed names are <app>-<stage>-<handler>; the handler is what follows the stage.
        handler_name = deployed[len(prefix):].split("-", 1)[-1] if deployed.startswith(prefix) else deployed
        event = json.loads(body) if body else {}
        try:
            handler = app.handler_map[handler_name]
            result = handler(event, LambdaContext(handler_name, memory_size=1024, max_runtime_ms=900_000))
            return json.dumps(result).encode()
        except Exception as error:  # reported to the state machine as AWS does
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)}).encode()

    LambdaSimpleBackend.invoke = invoke

    # moto 5.2.5 names unnamed executions "None", so a second start fails.
    original_start = StepFunctionsParserBackend.start_execution

    def start_execution(self, state_machine_arn, name=None, *args, **kwargs):
        return original_start(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)

    StepFunctionsParserBackend.start_execution = start_execution

    # /moto-api/data.json reads every model attribute; Lambda models would ask Docker.
    def _no_docker(self):
        raise AttributeError("docker_client")

    docker_utilities.DockerModel.docker_client = property(_no_docker)
