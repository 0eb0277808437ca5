"""Create in moto what infra/resources.yaml declares, from that very file, so the local
stack and the cloud cannot drift. Only the resource types the product uses are known;
IAM, alarms and policies have no local meaning and are skipped."""
import json
import pathlib
import re

import yaml

TEMPLATE = pathlib.Path(__file__).resolve().parents[1] / "infra" / "resources.yaml"
ACCOUNT = "123456789012"  # moto's default account
# Resource types whose Ref is their ARN rather than their name.
_REF_IS_ARN = ("AWS::StepFunctions::StateMachine", "AWS::SNS::Topic")


def load_template(path: pathlib.Path = TEMPLATE) -> dict:
    return yaml.safe_load(path.read_text())


class Resolver:
    """Evaluates the intrinsics the template uses (Ref, Fn::Sub, Fn::GetAtt, Fn::Join)."""

    def __init__(self, template: dict, parameters: dict, region: str, app_name: str = "reelbase"):
        self.template = template
        self.region = region
        self.app_name = app_name
        self.values = {name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()}
        self.values.update(parameters)
        self.values.update({"AWS::Region": region, "AWS::AccountId": ACCOUNT, "AWS::StackName": "reelbase-local",
                            "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"})
        self.physical: dict[str, str] = {}

    def name_of(self, logical_id: str) -> str:
        return self.physical[logical_id]

    def arn_of(self, logical_id: str) -> str:
        resources = self.template["Resources"]
        if "Type" not in resources.get(logical_id, {}):
            # A Chalice-generated function (merged in the cloud): the name the template gives it.
            return f"arn:aws:lambda:{self.region}:{ACCOUNT}:function:{self.function_name(logical_id)}"
        kind = resources[logical_id]["Type"]
        name = self.physical[logical_id]
        return {
            "AWS::SQS::Queue": f"arn:aws:sqs:{self.region}:{ACCOUNT}:{name}",
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{self.region}:{ACCOUNT}:table/{name}",
            "AWS::Events::EventBus": f"arn:aws:events:{self.region}:{ACCOUNT}:event-bus/{name}",
            "AWS::StepFunctions::StateMachine": f"arn:aws:states:{self.region}:{ACCOUNT}:stateMachine:{name}",
        }.get(kind, f"arn:aws:local:::{name}")

    def function_name(self, logical_id: str) -> str:
        named = self.template["Resources"].get(logical_id, {}).get("Properties", {}).get("FunctionName")
        if named:
            return str(self.resolve(named))
        stage = self.values.get("Stage", "dev")
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", logical_id).lower()
        return f"{self.app_name}-{stage}-{snake}"

    def resolve(self, value):
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                if arg in self.values:
                    return self.values[arg]
                if self.template["Resources"].get(arg, {}).get("Type") in _REF_IS_ARN:
                    return self.arn_of(arg)
                return self.physical.get(arg, arg)
            if key == "Fn::Sub":
                text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))
                return re.sub(r"\$\{([^}]+)\}", lambda m: str(self._sub(m.group(1), extra)), text)
            if key == "Fn::GetAtt":
                logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                if attribute in ("Arn", "QueueArn"):
                    return self.arn_of(logical_id)
                return self.physical.get(logical_id, logical_id)
            if key == "Fn::Join":
                return arg[0].join(str(self.resolve(part)) for part in arg[1])
        return {key: self.resolve(item) for key, item in value.items()}

    def chalice_environment(self, logical_id: str = "APIHandler") -> dict[str, str]:
        """The environment the template gives a Chalice function (resolved): the Globals
        every function shares, then the function's own."""
        shared = self.template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
        patch = self.template["Resources"].get(logical_id, {})
        own = patch.get("Properties", {}).get("Environment", {}).get("Variables", {})
        return {name: str(self.resolve(value)) for name, value in {**shared, **own}.items()}

    def _sub(self, name: str, extra: dict):
        if name in extra:
            return extra[name]
        if "." in name:
            return self.resolve({"Fn::GetAtt": name.split(".", 1)})
        return self.resolve({"Ref": name})


def provision(session, parameters: dict | None = None, template: dict | None = None) -> Resolver:
    """Create every known resource of the template through `session` (boto3, pointed at moto)."""
    template = template or load_template()
    region = session.region_name
    resolver = Resolver(template, parameters or {}, region)
    resources = template["Resources"]
    # Queues before buckets (notifications point at them); state machines last.
    order = ["AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Events::EventBus",
             "AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet", "AWS::StepFunctions::StateMachine"]
    unknown = {spec["Type"] for spec in resources.values()
               if "Type" in spec and spec["Type"] not in _CREATORS and spec["Type"] not in CLOUD_ONLY}
    if unknown:
        # A new kind of resource must be created here too, or declared cloud-only.
        raise ValueError(f"the local stack does not know how to create {sorted(unknown)}")
    for kind in order:
        for logical_id, spec in resources.items():
            if spec.get("Type") == kind:  # no Type: an addition to a Chalice resource
                _CREATORS[kind](session, resolver, logical_id, spec.get("Properties", {}))
    return resolver


def _queue(session, resolver, logical_id, properties):
    name = resolver.resolve(properties["QueueName"])
    attributes = {}
    for key in ("VisibilityTimeout", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "DelaySeconds"):
        if key in properties:
            attributes[key] = str(resolver.resolve(properties[key]))
    if "RedrivePolicy" in properties:
        attributes["RedrivePolicy"] = json.dumps(resolver.resolve(properties["RedrivePolicy"]))
    session.client("sqs").create_queue(QueueName=name, Attributes=attributes)
    resolver.physical[logical_id] = name


def _table(session, resolver, logical_id, properties):
    name = resolver.resolve(properties["TableName"])
    args = {key: resolver.resolve(properties[key]) for key in
            ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode") if key in properties}
    dynamodb = session.client("dynamodb")
    dynamodb.create_table(TableName=name, **args)
    ttl = properties.get("TimeToLiveSpecification")
    if ttl:
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=resolver.resolve(ttl))
    resolver.physical[logical_id] = name


def _bucket(session, resolver, logical_id, properties):
    name = resolver.resolve(properties["BucketName"])
    s3 = session.client("s3")
    if resolver.region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": resolver.region})
    resolver.physical[logical_id] = name
    versioning = properties.get("VersioningConfiguration")
    if versioning:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": versioning["Status"]})
    cors = properties.get("CorsConfiguration")
    if cors:
        # CloudFormation and the S3 API spell two CORS keys differently.
        renamed = {"ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds", "Id": "ID"}
        rules = [{renamed.get(key, key): value for key, value in rule.items()}
                 for rule in resolver.resolve(cors["CorsRules"])]
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
    notifications = properties.get("NotificationConfiguration", {}).get("QueueConfigurations")
    if notifications:
        configurations = []
        for entry in resolver.resolve(notifications):
            configuration = {"QueueArn": entry["Queue"], "Events": [entry["Event"]]}
            rules = entry.get("Filter", {}).get("S3Key", {}).get("Rules")
            if rules:
                configuration["Filter"] = {"Key": {"FilterRules": rules}}
            configurations.append(configuration)
        s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration={"QueueConfigurations": configurations})


def _event_bus(session, resolver, logical_id, properties):
    name = resolver.resolve(properties["Name"])
    session.client("events").create_event_bus(Name=name)
    resolver.physical[logical_id] = name


def _email_identity(session, resolver, logical_id, properties):
    identity = resolver.resolve(properties["EmailIdentity"])
    session.client("ses").verify_email_identity(EmailAddress=identity)
    resolver.physical[logical_id] = identity


def _configuration_set(session, resolver, logical_id, properties):
    name = resolver.resolve(properties["Name"])
    session.client("ses").create_configuration_set(ConfigurationSet={"Name": name})
    resolver.physical[logical_id] = name


def _state_machine(session, resolver, logical_id, properties):
    name = resolver.resolve(properties["StateMachineName"])
    definition = resolver.resolve(properties["Definition"])
    session.client("stepfunctions").create_state_machine(
        name=name, definition=json.dumps(definition),
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/{name}-role")
    resolver.physical[logical_id] = name


# What exists only in the cloud: permissions, alarms and the ffmpeg layer have no local
# counterpart (moto does not enforce IAM; the local functions run in this process with
# imageio-ffmpeg's binary).
CLOUD_ONLY = frozenset({
    "AWS::IAM::Role", "AWS::SQS::QueuePolicy", "AWS::CloudWatch::Alarm", "AWS::SNS::Topic",
    "AWS::SNS::Subscription", "AWS::Serverless::LayerVersion", "AWS::ApiGateway::GatewayResponse",
})

_CREATORS = {
    "AWS::SQS::Queue": _queue,
    "AWS::DynamoDB::Table": _table,
    "AWS::S3::Bucket": _bucket,
    "AWS::Events::EventBus": _event_bus,
    "AWS::SES::EmailIdentity": _email_identity,
    "AWS::SES::ConfigurationSet": _configuration_set,
    "AWS::StepFunctions::StateMachine": _state_machine,
}
