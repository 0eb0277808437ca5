"""A studio script written with gazu, unchanged, against the served app."""
import gazu
import pytest

from devstack.demo import DEMO_PASSWORD


def _client(api_url, role):
    client = gazu.client.create_client(api_url)
    gazu.log_in(f"{role}@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    return client


@pytest.fixture
def manager_client(api_url, demo):
    return _client(api_url, "manager")


def test_gazu_builds_a_production_and_reads_it_back(api_url, manager_client, unique):
    c = manager_client
    studio_admin = _client(api_url, "admin")  # studio-wide settings are the studio admins' (as in Zou)
    project = gazu.project.new_project(unique("gazu project"), client=c)
    assert gazu.project.get_project(project["id"], client=c)["name"] == project["name"]
    again = gazu.project.new_project(project["name"], client=c)
    assert again["id"] == project["id"]  # get-or-create found it by name

    sequence = gazu.shot.new_sequence(project, "SQ010", client=c)
    assert gazu.shot.new_sequence(project, "SQ010", client=c)["id"] == sequence["id"]
    shot = gazu.shot.new_shot(project, sequence, "SH0010", nb_frames=48, frame_in=1, frame_out=48, client=c)
    assert shot["project_id"] == project["id"]
    assert gazu.shot.new_shot(project, sequence, "SH0010", client=c)["id"] == shot["id"]
    fetched = gazu.shot.get_shot(shot["id"], client=c)
    assert fetched["sequence_id"] == sequence["id"]
    assert fetched["nb_frames"] == 48
    assert fetched["data"] == {"frame_in": 1, "frame_out": 48}

    task_type = gazu.task.new_task_type(unique("Comp"), for_entity="Shot", client=studio_admin)
    status = gazu.task.new_task_status(unique("Ready"), unique("rdy")[:10], "#000000", client=studio_admin)
    assert gazu.task.get_task_status(status["id"], client=c)["name"] == status["name"]
    assert gazu.task.get_task_status_by_short_name(status["short_name"], client=c)["id"] == status["id"]
    task = gazu.task.new_task(shot, task_type, task_status=status, client=c)
    assert task["entity_id"] == shot["id"] and task["task_type_id"] == task_type["id"]
    assert gazu.task.new_task(shot, task_type, task_status=status, client=c)["id"] == task["id"]
    assert gazu.task.get_task(task["id"], client=c)["task_status_id"] == status["id"]

    asset_type = gazu.asset.new_asset_type(unique("Vehicle"), client=studio_admin)
    asset = gazu.asset.new_asset(project, asset_type, "Car", client=c)
    assert asset["entity_type_id"] == asset_type["id"] and asset["project_id"] == project["id"]
    assert gazu.asset.new_asset(project, asset_type, "Car", client=c)["id"] == asset["id"]
    wheel = gazu.asset.new_asset(project, asset_type, "Wheel", client=c)
    instance = gazu.asset.new_asset_asset_instance(asset, wheel, client=c)
    assert instance["asset_id"] == wheel["id"] and instance["target_asset_id"] == asset["id"]
    assert instance["number"] == 1

    comment = gazu.task.add_comment(task, status, "first pass", client=c)
    assert comment["object_id"] == task["id"] and comment["object_type"] == "Task"
    assert comment["text"] == "first pass"


def test_gazu_default_task_status_and_lists(manager_client, demo):
    c = manager_client
    default = gazu.task.get_default_task_status(client=c)
    assert default["short_name"] == "todo"
    shots = gazu.shot.all_shots_for_project(demo["project"], client=c)
    assert sorted(s["name"] for s in shots) == ["SH010", "SH020", "SH030"]
    assert len(gazu.shot.all_shots_for_sequence(demo["sequence"], client=c)) == 3
    tasks = gazu.task.all_tasks_for_shot(demo["shots"][0], client=c)
    assert len(tasks) == 2
