"""The deployable template: `chalice package` merged with infra/resources.yaml.

Packaged once per run (the same command `make package` runs), then read as CloudFormation:
least-privilege IAM, ffmpeg only where it is run, and every name the code computes for
the prod stage matching a resource the template declares."""
import importlib.util
import json
import pathlib
import re

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]

MEDIA_FUNCTIONS = {"NormalizePreview", "PreviewImages", "BuildChunk", "JoinBuild", "EncodePreviewSegment",
                   "StitchPreviewSegments"}
# Read by libraries rather than by chalicelib.config.
LIBRARY_VARIABLES = {"POWERTOOLS_SERVICE_NAME"}


def _load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def packaged(tmp_path_factory) -> dict:
    build_package = _load_module(ROOT / "infra" / "build_package.py", "build_package")
    sam = build_package.chalice_package("prod", tmp_path_factory.mktemp("package"))
    return yaml.safe_load(sam.read_text())


def _functions(template: dict) -> dict:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}


def _statements(template: dict):
    """(where, statement) for every IAM statement the template grants."""
    for logical_id, resource in template["Resources"].items():
        policies = []
        if resource["Type"] == "AWS::IAM::Role":
            policies = [p["PolicyDocument"] for p in resource["Properties"].get("Policies", [])]
        elif resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            policies = [resource["Properties"]["PolicyDocument"]]
        elif resource["Type"] == "AWS::Serverless::Function":
            assert "Policies" not in resource["Properties"], f"{logical_id}: permissions belong on its role"
        for document in policies:
            for statement in document["Statement"]:
                yield logical_id, statement


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _is_wide(resource: str) -> bool:
    """"*", or an ARN open on its service, region, account or whole resource part."""
    if resource == "*":
        return True
    parts = re.sub(r"\$\{[^}]+\}", "x", resource).split(":", 5)  # ${AWS::Region} holds colons
    return resource.startswith("arn:") and ("*" in parts[2:5] or len(parts) < 6 or parts[5] in ("*", "/*"))


def test_no_wildcard_action_or_resource(packaged):
    statements = list(_statements(packaged))
    assert len(statements) > 20
    for where, statement in statements:
        assert statement["Effect"] == "Allow" and "NotAction" not in statement and "NotResource" not in statement
        for action in _as_list(statement["Action"]):
            assert action != "*" and not action.endswith(":*"), f"{where}: wildcard action {action}"
        for resource in _strings(statement["Resource"]):
            assert not _is_wide(resource), f"{where}: wildcard resource {resource}"


def test_the_wildcard_check_sees_every_spelling():
    assert all(_is_wide(r) for r in ["*", "arn:aws:s3:::*", "arn:${AWS::Partition}:dynamodb:*:123:table/x",
                                     "arn:aws:sqs:eu-west-1:*:queue", "arn:aws:ssm:eu-west-1:1:*"])
    assert not any(_is_wide(r) for r in ["${MediaBucket.Arn}/*", "${RecordsTable.Arn}/index/*",
                                         "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:"
                                         "log-group:/aws/lambda/reelbase-${Stage}-api_handler:*"])


def test_each_function_has_its_own_role_logging_only_to_its_log_group(packaged):
    functions = _functions(packaged)
    assert set(functions) == {"APIHandler", "NormalizePreview", "PreviewImages", "SweepPreviews", "PlanBuild",
                              "BuildChunk", "JoinBuild", "FailBuild", "MakeZip",
                              "EncodePreviewSegment", "StitchPreviewSegments", "FailPreviewSegments"}
    roles = [f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions.values()]
    assert len(set(roles)) == len(roles)
    assert "DefaultRole" not in packaged["Resources"]
    for logical_id, function in functions.items():
        role = packaged["Resources"][function["Properties"]["Role"]["Fn::GetAtt"][0]]
        name = function["Properties"]["FunctionName"]["Fn::Sub"]
        logs = [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]
                if any(a.startswith("logs:") for a in _as_list(s["Action"]))]
        assert [s["Resource"]["Fn::Sub"] for s in logs] == [
            f"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{name}:*"], \
            logical_id


def test_grants_name_only_resources_of_this_template(packaged):
    """GetAtt and ${X.Attr} in policies point at resources the template declares."""
    declared = set(packaged["Resources"])
    for where, statement in _statements(packaged):
        text = json.dumps(statement["Resource"])
        referenced = set(re.findall(r'"Fn::GetAtt": \["(\w+)"', text)) | set(re.findall(r"\$\{(\w+)\.", text))
        referenced |= set(re.findall(r'"Ref": "(\w+)"', text)) - set(packaged.get("Parameters", {}))
        assert referenced <= declared, f"{where}: {referenced - declared}"


def test_the_preview_sweep_runs_on_a_schedule_with_only_what_it_calls(packaged):
    events = packaged["Resources"]["SweepPreviews"]["Properties"]["Events"]
    assert [e["Properties"]["Schedule"] for e in events.values() if e["Type"] == "Schedule"] == ["rate(5 minutes)"]
    statements = [s for where, s in _statements(packaged) if where == "SweepPreviewsRole"]
    actions = {a for s in statements for a in _as_list(s["Action"])}
    assert actions == {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:Query",
                       "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                       "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListBucket", "sqs:SendMessage",
                       "sqs:GetQueueUrl"}
    # Never a Scan, never a delete; the Query reaches only the by_kind index.
    query = [s for s in statements if "dynamodb:Query" in _as_list(s["Action"])]
    assert [s["Resource"]["Fn::Sub"] for s in query] == ["${RecordsTable.Arn}/index/by_kind"]


def test_api_role_reaches_what_the_api_calls(packaged):
    actions = {a for where, s in _statements(packaged) if where == "ApiHandlerRole" for a in _as_list(s["Action"])}
    assert {"dynamodb:Query", "dynamodb:BatchGetItem", "s3:GetObject", "s3:PutObject", "states:StartExecution",
            "events:PutEvents", "ses:SendEmail", "ssm:GetParameter"} <= actions
    # The API never runs ffmpeg nor consumes queues.
    assert not {a for a in actions if a.startswith("sqs:")}


def test_queue_consumers_may_read_only_their_queue(packaged):
    for function, queue in (("NormalizePreview", "PreviewNormalizeQueue"), ("PreviewImages", "PreviewImagesQueue")):
        role = _functions(packaged)[function]["Properties"]["Role"]["Fn::GetAtt"][0]
        sqs = [s for where, s in _statements(packaged) if where == role
               and any(a.startswith("sqs:") for a in _as_list(s["Action"]))]
        assert [s["Resource"] for s in sqs] == [{"Fn::GetAtt": [queue, "Arn"]}]


def test_ffmpeg_layer_only_on_media_functions(packaged):
    layer = packaged["Resources"]["FfmpegLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "./ffmpeg-layer.zip"
    for logical_id, function in _functions(packaged).items():
        properties = function["Properties"]
        variables = properties.get("Environment", {}).get("Variables", {})
        if logical_id in MEDIA_FUNCTIONS:
            assert properties["Layers"] == [{"Ref": "FfmpegLayer"}], logical_id
            assert variables["FFMPEG_BINARY"] == "/opt/bin/ffmpeg"
        else:
            assert "Layers" not in properties and "FFMPEG_BINARY" not in variables, logical_id


def test_sqs_event_sources_read_declared_queues(packaged):
    queue_names = {r["Properties"]["QueueName"]["Fn::Sub"].replace("${Stage}", "prod")
                   for r in packaged["Resources"].values() if r["Type"] == "AWS::SQS::Queue"}
    sources = [(logical_id, event) for logical_id, f in _functions(packaged).items()
               for event in f["Properties"].get("Events", {}).values() if event["Type"] == "SQS"]
    assert {logical_id for logical_id, _ in sources} == {"NormalizePreview", "PreviewImages"}
    for logical_id, event in sources:
        arn = event["Properties"]["Queue"]["Fn::Sub"]
        assert arn.rsplit(":", 1)[1] in queue_names
        assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        # The mapping must not be created before its queue (Chalice spells the ARN out).
        assert packaged["Resources"][logical_id]["DependsOn"][0] in packaged["Resources"]


def test_state_machine_runs_the_packaged_functions(packaged):
    definition = json.dumps(packaged["Resources"]["PlaylistMovieStateMachine"]["Properties"]["Definition"])
    tasks = set(re.findall(r'"Fn::GetAtt": \["(\w+)", "Arn"\]', definition))
    assert tasks == {"PlanBuild", "BuildChunk", "JoinBuild", "FailBuild"}
    assert tasks <= set(_functions(packaged))
    definition = json.dumps(packaged["Resources"]["PreviewSegmentsStateMachine"]["Properties"]["Definition"])
    tasks = set(re.findall(r'"Fn::GetAtt": \["(\w+)", "Arn"\]', definition))
    assert tasks == {"EncodePreviewSegment", "StitchPreviewSegments", "FailPreviewSegments"}
    assert tasks <= set(_functions(packaged))


def _variables_the_code_reads() -> set[str]:
    names = set()
    for path in [ROOT / "chalicelib" / "config.py", ROOT / "chalicelib" / "media" / "ffmpeg.py"]:
        text = path.read_text()
        names |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', text))
        names |= set(re.findall(r'_int\("([A-Z_]+)"', text))
        names |= set(re.findall(r'_ENV = "([A-Z_]+)"', text))
    return names


def test_every_variable_the_template_sets_is_read_by_the_code(packaged):
    read = _variables_the_code_reads() | LIBRARY_VARIABLES
    assert {"RECORDS_TABLE", "MEDIA_BUCKET", "FFMPEG_BINARY", "BUILD_STATE_MACHINE_ARN"} <= read
    set_somewhere = set(packaged["Globals"]["Function"]["Environment"]["Variables"])
    for function in _functions(packaged).values():
        set_somewhere |= set(function["Properties"].get("Environment", {}).get("Variables", {}))
    assert set_somewhere - read == set()


def test_every_variable_the_code_reads_is_documented():
    readme = (ROOT / "README.md").read_text()
    # AWS_REGION and AWS_DEFAULT_REGION are Lambda's own.
    missing = {name for name in _variables_the_code_reads() - {"AWS_REGION", "AWS_DEFAULT_REGION"}
               if f"`{name}`" not in readme}
    assert missing == set()


def _prod_environment(packaged: dict, function: str):
    """What a function sees in prod, resolved as CloudFormation would: the Globals, then
    its own variables (config.json's, merged by `chalice package` with the template's)."""
    from devstack.provision import Resolver

    resolver = Resolver(packaged, {"Stage": "prod"}, "eu-west-1")
    for logical_id, resource in packaged["Resources"].items():
        properties = resource.get("Properties", {})
        name = next((properties[k] for k in ("TableName", "BucketName", "QueueName", "Name", "StateMachineName")
                     if k in properties), None)
        if name is not None:
            resolver.physical[logical_id] = resolver.resolve(name)
    shared = packaged["Globals"]["Function"]["Environment"]["Variables"]
    own = packaged["Resources"][function]["Properties"]["Environment"]["Variables"]
    return {k: str(resolver.resolve(v)) for k, v in {**shared, **own}.items()}, resolver


@pytest.mark.parametrize("function", ["APIHandler", "NormalizePreview", "JoinBuild"])
def test_names_the_code_computes_match_the_template(packaged, monkeypatch, function):
    from chalicelib import config

    environment, resolver = _prod_environment(packaged, function)
    for name in _variables_the_code_reads():
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config.settings.cache_clear()
    try:
        settings = config.settings()
    finally:
        monkeypatch.undo()
        config.settings.cache_clear()
    physical = resolver.physical
    assert settings.records_table == physical["RecordsTable"] == "reelbase-prod-records"
    assert settings.zype_table == physical["ZypeTable"]
    assert settings.media_bucket == physical["MediaBucket"]
    assert settings.preview_normalize_queue == physical["PreviewNormalizeQueue"]
    assert settings.preview_images_queue == physical["PreviewImagesQueue"]
    assert settings.event_bus_name == physical["EventBus"]
    assert settings.ses_sender == packaged["Parameters"]["SenderEmail"]["Default"]
    assert settings.ses_configuration_set == physical["EmailConfigurationSet"]
    if function == "APIHandler":
        assert settings.build_state_machine_arn == resolver.arn_of("PlaylistMovieStateMachine")
        assert settings.jwt_secret_parameter == packaged["Parameters"]["JwtSecretParameterName"]["Default"]
        assert settings.jwt_secret_plain == ""  # never in plain text in the cloud
    if function == "NormalizePreview":
        assert settings.segments_state_machine_arn == resolver.arn_of("PreviewSegmentsStateMachine")


def test_queues_named_in_app_match_the_packaged_event_sources(packaged):
    """app.py reads queue names from settings when Chalice packages it: prod names."""
    sources = {logical_id: event["Properties"]["Queue"]["Fn::Sub"].rsplit(":", 1)[1]
               for logical_id, f in _functions(packaged).items()
               for event in f["Properties"].get("Events", {}).values() if event["Type"] == "SQS"}
    assert sources == {"NormalizePreview": "reelbase-prod-preview-normalize",
                       "PreviewImages": "reelbase-prod-preview-images"}


def test_local_stack_refuses_a_resource_it_cannot_create():
    import boto3

    from devstack.provision import load_template, provision

    template = load_template()
    template["Resources"]["Extra"] = {"Type": "AWS::Kinesis::Stream", "Properties": {}}
    with pytest.raises(ValueError, match="AWS::Kinesis::Stream"):
        provision(boto3.session.Session(region_name="us-east-1"), {"Stage": "dev"}, template)


def test_template_parses_as_plain_yaml_with_long_form_intrinsics():
    text = (ROOT / "infra" / "resources.yaml").read_text()
    assert "!Sub" not in text and "!GetAtt" not in text and "!Ref" not in text
    assert yaml.safe_load(text)["Resources"]
