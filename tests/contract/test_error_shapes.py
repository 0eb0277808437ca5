"""Errors answered before any handler runs, in the shape each client family reads: Zou's
{"error": true, "message"} under /api (gazu maps its statuses to exceptions), Zype's
{"message"} at the root; locally (devstack) and in the template's GatewayResponses."""
import json
import pathlib

import requests
import yaml

from chalicelib.api import gateway_errors

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_an_unknown_route_under_api_is_zous_404(stack, api):
    for answer in (requests.get(f"{stack.api_url}/api/no-such-route", timeout=10),
                   api["manager"].get("/data/no-such-collection/a/b")):
        assert answer.status_code == 404, answer.text
        assert answer.json() == {"error": True, "message": gateway_errors.NOT_FOUND}


def test_an_unknown_route_at_the_zype_root_is_zypes_404(stack):
    answer = requests.get(f"{stack.api_url}/no-such-zype-route", timeout=10)
    assert answer.status_code == 404
    assert answer.json() == {"message": gateway_errors.NOT_FOUND}


def test_a_method_a_route_does_not_take_is_zous_405(api):
    answer = api["manager"].request("PATCH", "/auth/login")
    assert answer.status_code == 405, answer.text
    assert answer.json() == {"error": True, "message": gateway_errors.METHOD_NOT_ALLOWED}


def test_a_media_type_no_route_takes_is_zous_415(api):
    answer = api["manager"].post("/data/projects", data=b"<x/>", headers={"Content-Type": "application/xml"})
    assert answer.status_code == 415, answer.text
    assert answer.json() == {"error": True, "message": gateway_errors.UNSUPPORTED_MEDIA_TYPE}


def test_a_zype_route_answers_415_in_zypes_shape(stack):
    answer = requests.post(f"{stack.api_url}/videos", data=b"<x/>", headers={"Content-Type": "application/xml"},
                           timeout=10)
    assert answer.status_code == 415, answer.text
    assert answer.json() == {"message": gateway_errors.UNSUPPORTED_MEDIA_TYPE}


def test_the_template_declares_the_gateway_responses_with_the_same_texts():
    template = yaml.safe_load((ROOT / "infra" / "resources.yaml").read_text())
    responses = template["Resources"]["RestAPI"]["Properties"]["GatewayResponses"]
    expected = {"MISSING_AUTHENTICATION_TOKEN": ("404", gateway_errors.NOT_FOUND),
                "UNSUPPORTED_MEDIA_TYPE": ("415", gateway_errors.UNSUPPORTED_MEDIA_TYPE),
                "REQUEST_TOO_LARGE": ("413", gateway_errors.TOO_LARGE)}
    for name, (status, message) in expected.items():
        assert responses[name]["StatusCode"] == status
        assert json.loads(responses[name]["ResponseTemplates"]["application/json"]) == {
            "error": True, "message": message}
    # The other refusals keep their status; API Gateway fills in an already-quoted message.
    default = responses["DEFAULT_4XX"]["ResponseTemplates"]["application/json"]
    assert json.loads(default.replace("$context.error.messageString", '"x"')) == {"error": True, "message": "x"}
    assert "StatusCode" not in responses["DEFAULT_4XX"]
