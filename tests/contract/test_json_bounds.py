"""JSON bodies are bounded before any work: nesting, size, Unicode and numbers JSON can carry."""
import pytest


def post_raw(api, path, text: str | bytes):
    body = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return api["admin"].post(path, data=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("path", ["/data/projects", "/auth/login", "/data/tasks"])
def test_json_nested_5000_levels_is_400_not_a_recursion_error(api, path):
    answer = post_raw(api, path, '{"name": ' + "[" * 5000 + "]" * 5000 + "}")
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] is True and "nests deeper" in answer.json()["message"]


def test_a_lone_surrogate_is_400(api, unique):
    answer = post_raw(api, "/data/projects", '{"name": "%s \\ud800"}' % unique("p"))
    assert answer.status_code == 400, answer.text
    assert "surrogate" in answer.json()["message"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_and_never_stored(api, project, constant):
    answer = api["admin"].put(f"/data/projects/{project['id']}", data='{"data": {"x": %s}}' % constant,
                              headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert constant.lstrip("-") in answer.json()["message"]
    assert "x" not in (api["admin"].get(f"/data/projects/{project['id']}").json().get("data") or {})


def test_a_body_over_the_json_limit_is_413_in_zous_shape(api):
    answer = post_raw(api, "/data/projects", '{"name": "%s"}' % ("x" * (3 * 1024 * 1024)))
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"] is True


def test_a_number_of_5000_digits_is_400(api):
    answer = post_raw(api, "/data/projects", '{"name": "p", "fps": %s}' % ("9" * 5000))
    assert answer.status_code == 400, answer.text
