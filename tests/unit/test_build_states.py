"""The playlist movie state machine (infra/resources.yaml) hands each build function
exactly the document its type in build_states names, and keeps exactly what its output
type names: the definition is walked state by state, with the type of every key of the
document it carries, from the execution's input to MarkFailed through every Catch."""
import pathlib
import typing

import pytest
import yaml

from chalicelib.services.playlists import build_pipeline, build_states

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The Lambda function of each task (the Resource's Fn::GetAtt, as Chalice names the
# packaged functions) and the build_pipeline function app.py runs in it.
TASK_FUNCTIONS = {"PlanBuild": build_pipeline.plan, "BuildChunk": build_pipeline.build_chunk,
                  "JoinBuild": build_pipeline.join, "FailBuild": build_pipeline.fail}
CONTEXT_PATHS = {"$$.Execution.Name": str}


@pytest.fixture(scope="module")
def definition() -> dict:
    template = yaml.safe_load((ROOT / "infra" / "resources.yaml").read_text())
    return template["Resources"]["PlaylistMovieStateMachine"]["Properties"]["Definition"]


def fields(document) -> dict:
    """{key: type} of a TypedDict, or of a document being built."""
    return document if isinstance(document, dict) else typing.get_type_hints(document)


def resolve(path: str, document, context: dict):
    """The type found at a JSONPath of the document ($.a.b) or of the context object ($$...)."""
    if path.startswith("$$."):
        assert path in context, f"{path} is not a context path the build uses"
        return context[path]
    assert path.startswith("$."), f"{path} is not a path into the document"
    found = document
    for key in path[2:].split("."):
        assert key in fields(found), f"{path}: no {key!r} in {sorted(fields(found))}"
        found = fields(found)[key]
    return found


def select(template: dict, document, context: dict) -> dict:
    """What Parameters, an ItemSelector or a ResultSelector make of `document`."""
    assert all(key.endswith(".$") for key in template), f"static values in {template}"
    return {key[:-2]: resolve(path, document, context) for key, path in template.items()}


def exactly(made: dict, expected: type, where: str) -> None:
    """`made` has the keys of the TypedDict `expected`, no more, no fewer, with its types."""
    wanted = fields(expected)
    assert set(made) == set(wanted), (f"{where}: gives {sorted(made)}, {expected.__name__} has {sorted(wanted)} "
                                      f"(extra {sorted(set(made) - set(wanted))}, "
                                      f"missing {sorted(set(wanted) - set(made))})")
    for key, kind in made.items():
        assert kind == wanted[key], f"{where}: {key} is {kind}, {expected.__name__} says {wanted[key]}"


def place(result, result_path: str | None, document):
    """The document after a state puts its result at ResultPath ($ replaces it)."""
    if result_path in (None, "$"):
        return result
    assert result_path.count(".") == 1, f"nested ResultPath {result_path}"
    return {**fields(document), result_path[2:]: result}


def function_types(state: dict) -> tuple[type, type]:
    function = TASK_FUNCTIONS[state["Resource"]["Fn::GetAtt"][0]]
    hints = typing.get_type_hints(function)
    return hints["event"], hints["return"]


def run(states: dict, name: str, document, context: dict, visited: list[str]) -> None:
    """Check state `name` given the document it receives, then the states that follow it."""
    state = states[name]
    visited.append(name)
    for catch in state.get("Catch", []):
        # A Catch keeps the state's own input and adds the error at its ResultPath.
        failed = place(build_states.CaughtError, catch["ResultPath"], document)
        run(states, catch["Next"], failed, context, visited)
    if state["Type"] == "Task":
        taken, given = function_types(state)
        made = select(state["Parameters"], document, context) if "Parameters" in state else fields(document)
        exactly(made, taken, f"{name}'s input")
        result = given
        if "ResultSelector" in state:
            exactly(select(state["ResultSelector"], given, context), given, f"{name}'s ResultSelector")
    elif state["Type"] == "Map":
        items = resolve(state["ItemsPath"], document, context)
        assert typing.get_origin(items) is list, f"{name} maps over {items}"
        item_context = {**context, "$$.Map.Item.Value": typing.get_args(items)[0]}
        item = select(state["ItemSelector"], document, item_context)
        processor = state["ItemProcessor"]
        inner: list[str] = []
        inner_states = processor["States"]
        run(inner_states, processor["StartAt"], item, item_context, inner)
        (last,) = [n for n in inner if inner_states[n].get("End")]
        result = list[function_types(inner_states[last])[1]]
    elif state["Type"] == "Fail":
        return
    else:
        raise AssertionError(f"{name}: a {state['Type']} state is new to this test")
    if not state.get("End"):
        run(states, state["Next"], place(result, state.get("ResultPath"), document), context, visited)


def test_every_state_passes_exactly_the_keys_of_its_type(definition):
    visited: list[str] = []
    run(definition["States"], definition["StartAt"], build_states.BuildInput, CONTEXT_PATHS, visited)
    assert {"PlanChunks", "BuildChunks", "JoinChunks", "MarkFailed", "BuildFailed"} <= set(visited)
    # MarkFailed is reached from every state that catches, each with its own document.
    assert visited.count("MarkFailed") == 3


def test_every_task_of_the_machine_is_a_typed_build_function(definition):
    def tasks(states: dict):
        for state in states.values():
            if state["Type"] == "Task":
                yield state["Resource"]["Fn::GetAtt"][0]
            if state["Type"] == "Map":
                yield from tasks(state["ItemProcessor"]["States"])

    assert set(tasks(definition["States"])) == set(TASK_FUNCTIONS)


def test_a_key_the_definition_adds_is_caught(definition):
    """The walk itself fails on one key too many (so the test above can fail)."""
    states = {**definition["States"]}
    states["JoinChunks"] = {**states["JoinChunks"],
                            "Parameters": {**states["JoinChunks"]["Parameters"], "plan.$": "$.plan"}}
    with pytest.raises(AssertionError, match="extra \\['plan'\\]"):
        run(states, definition["StartAt"], build_states.BuildInput, CONTEXT_PATHS, [])


def test_a_key_the_definition_forgets_is_caught(definition):
    states = {**definition["States"]}
    kept = {key: path for key, path in states["PlanChunks"]["Parameters"].items() if key != "execution.$"}
    states["PlanChunks"] = {**states["PlanChunks"], "Parameters": kept}
    with pytest.raises(AssertionError, match="missing \\['execution'\\]"):
        run(states, definition["StartAt"], build_states.BuildInput, CONTEXT_PATHS, [])
