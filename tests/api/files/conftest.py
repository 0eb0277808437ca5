"""A small production per test for the files API: a project with a file tree, a
sequence, a shot, an asset and tasks, built through the API as a manager would."""
import uuid
from dataclasses import dataclass, field

import gazu
import pytest


@dataclass
class Production:
    project: dict
    slug: str                   # the project name as file trees render it
    sequence: dict
    shot: dict
    asset: dict
    animation_task: dict        # on the shot, assigned to the artist
    layout_task: dict           # on the shot, assigned to the vendor
    task_types: dict
    output_types: dict = field(default_factory=dict)


@pytest.fixture
def production(api, demo) -> Production:
    return build_production(api, demo)


@pytest.fixture
def make_production(api, demo):
    """Another production: make_production(tree=None) or make_production(team_roles=("manager",))."""
    return lambda **options: build_production(api, demo, **options)


def build_production(api, demo, tree: str | None = "default", team_roles=None) -> Production:
    manager = api["manager"]
    tag = uuid.uuid4().hex[:8]
    roles = team_roles or ("manager", "supervisor", "user", "client", "vendor")
    answer = api["admin"].post("/data/projects", json={
        "name": f"Big Buck {tag}", "team": [demo["people"][role]["id"] for role in roles]})
    assert answer.status_code == 201, answer.text
    project = answer.json()
    if tree:
        assert manager.post(f"/actions/projects/{project['id']}/set-file-tree",
                            json={"tree_name": tree}).status_code == 200
    pid = project["id"]
    sequence = _created(manager.post(f"/data/projects/{pid}/sequences", json={"name": "SQ01"}))
    shot = _created(manager.post(f"/data/projects/{pid}/shots", json={"name": "SH010", "sequence_id": sequence["id"]}))
    character = _found(api["admin"].get("/data/entity-types", params={"name": "Character"}))
    asset = _created(manager.post(f"/data/projects/{pid}/asset-types/{character['id']}/assets/new",
                                  json={"name": "Bunny Rabbit"}))
    task_types = demo["task_types"]
    todo = demo["statuses"]["todo"]["id"]

    def task(entity, type_name, assignee_role):
        return _created(manager.post("/data/tasks", json={
            "project_id": pid, "entity_id": entity["id"], "task_type_id": task_types[type_name]["id"],
            "task_status_id": todo, "assignees": [demo["people"][assignee_role]["id"]]}))

    output_types = {t["name"]: t for t in api["admin"].get("/data/output-types").json()}
    return Production(project=project, slug=f"big_buck_{tag}", sequence=sequence, shot=shot, asset=asset,
                      animation_task=task(shot, "Animation", "user"), layout_task=task(shot, "Layout", "vendor"),
                      task_types=task_types, output_types=output_types)


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def _found(answer) -> dict:
    assert answer.status_code == 200, answer.text
    return answer.json()[0]


@pytest.fixture
def gazu_as(api_url, tokens):
    """A gazu client logged in as a demo role: gazu_as('user')."""
    def client_for(role: str):
        client = gazu.client.create_client(api_url)
        gazu.set_token(tokens[role], client=client)
        return client
    return client_for
