"""A studio script written with gazu 1.3.1, unchanged, publishing and fetching previews
against the served app (the workers run on the real queues meanwhile)."""
import gazu
import pytest
from PIL import Image

from devstack.demo import DEMO_PASSWORD
from tests.media_streams import read_streams


def _client(api_url: str, role: str):
    client = gazu.client.create_client(api_url)
    gazu.log_in(f"{role}@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    return client


@pytest.fixture
def manager(api_url, demo):
    return _client(api_url, "manager")


def _video_size(path) -> tuple[int, int, int]:
    video = read_streams(path)["video"]
    return video["width"], video["height"], video["r_frame_rate"]


def test_publish_preview_then_download_every_variant(manager, studio, clips, tmp_path):
    c = manager
    task = gazu.task.get_task(studio["task"]["id"], client=c)
    status = gazu.task.get_task_status(studio["status"]["id"], client=c)
    comment, preview = gazu.task.publish_preview(task, status, comment="first pass",
                                                 preview_file_path=str(clips["4x3"]), set_thumbnail=True, client=c)
    assert comment["object_id"] == task["id"] and preview["extension"] == "mp4"
    # Each download waits (202 + Retry-After) until the workers are done, then follows the 302 to S3.
    gazu.files.download_preview_movie(preview, str(tmp_path / "movie.mp4"), client=c)
    assert _video_size(tmp_path / "movie.mp4") == (640, 360, 24)
    gazu.files.download_preview_lowdef_movie(preview, str(tmp_path / "low.mp4"), client=c)
    assert _video_size(tmp_path / "low.mp4")[:2] == (1280, 720)
    gazu.files.download_preview_file(preview, str(tmp_path / "original.mp4"), client=c)
    assert (tmp_path / "original.mp4").read_bytes() == (tmp_path / "movie.mp4").read_bytes()
    gazu.files.download_preview_file_thumbnail(preview, str(tmp_path / "thumbnail.png"), client=c)
    gazu.files.download_preview_file_cover(preview, str(tmp_path / "cover.png"), client=c)
    with Image.open(tmp_path / "thumbnail.png") as thumbnail, Image.open(tmp_path / "cover.png") as cover:
        assert thumbnail.size == (150, 100) and cover.size == (640, 360)

    fetched = gazu.files.get_preview_file(preview["id"], client=c)
    assert fetched["status"] == "ready" and (fetched["width"], fetched["height"]) == (640, 360)
    assert gazu.files.wait_for_preview_file(preview, client=c)["status"] == "ready"
    assert preview["id"] in {p["id"] for p in gazu.files.get_all_preview_files_for_task(task, client=c)}
    assert gazu.shot.get_shot(task["entity_id"], client=c)["preview_file_id"] == preview["id"]
    assert gazu.files.update_preview(preview, {"description": "approved take"}, client=c)["description"] == \
        "approved take"


def test_gazu_preview_actions(manager, api_url, studio, clips, tmp_path, ready_movie):
    c = manager
    gazu.files.extract_frame_from_preview(ready_movie, 10, str(tmp_path / "frame.png"), client=c)
    gazu.files.extract_tile_from_preview(ready_movie, str(tmp_path / "tile.png"), client=c)
    with Image.open(tmp_path / "frame.png") as frame, Image.open(tmp_path / "tile.png") as tile:
        assert frame.size == (640, 360) and tile.size == (8 * 178, 300)
    annotated = gazu.files.update_preview_annotations(
        ready_movie, additions=[{"time": 0.2, "frame": 5, "drawing": {"objects": [{"id": "o1", "type": "path"}]}}],
        client=c)
    assert any(a["time"] == 0.2 for a in annotated["annotations"])
    entity = gazu.task.set_main_preview(ready_movie, frame_number=3, client=c)
    assert entity["preview_file_id"] == ready_movie["id"]

    task = gazu.task.get_task(studio["tasks"][1]["id"], client=c)
    status = gazu.task.get_task_status(studio["status"]["id"], client=c)
    comment = gazu.task.add_comment(task, status, "pictures", client=c)
    first = gazu.task.add_preview(task, comment, str(clips["picture"]), client=c)
    extra = gazu.task.add_extra_preview(task, comment, first, str(clips["pdf"]), client=c)
    assert (extra["revision"], extra["position"]) == (first["revision"], 2)
    reordered = gazu.files.update_preview_position(extra, 1, client=c)
    assert [p["id"] for p in reordered] == [extra["id"], first["id"]]
    gazu.files.remove_preview_file(extra, client=c)
    assert extra["id"] not in {p["id"] for p in gazu.files.get_all_preview_files_for_task(task, client=c)}
    admin = _client(api_url, "admin")
    running = gazu.files.get_running_preview_files(client=admin)
    assert isinstance(running, list)


def test_gazu_batch_comments_attachments_and_avatars(manager, api_url, studio, demo, clips, tmp_path):
    c = manager
    task = gazu.task.get_task(studio["tasks"][1]["id"], client=c)
    status = gazu.task.get_task_status(studio["status"]["id"], client=c)
    made = gazu.task.batch_comments([{"text": "batch", "task_status_id": status["id"],
                                      "preview_files": [str(clips["picture"])],
                                      "attachment_files": [str(clips["picture"])]}], task=task, client=c)
    assert len(made) == 1 and made[0]["preview_files"][0]["extension"] == "png"
    commented = gazu.task.add_comment(task, status, "with a reference", attachments=[str(clips["picture"])],
                                      client=c)
    attachment_id = commented["attachment_files"][0]
    assert attachment_id in {a["id"] for a in gazu.files.get_all_attachment_files_for_task(task, client=c)}
    gazu.files.download_attachment_file(attachment_id, str(tmp_path / "ref.jpg"), client=c)
    assert (tmp_path / "ref.jpg").read_bytes() == clips["picture"].read_bytes()
    gazu.files.download_attachment_thumbnail(attachment_id, str(tmp_path / "ref.png"), client=c)

    me = gazu.client.get_current_user(client=c)
    answer = gazu.files.upload_person_avatar(me, str(clips["picture"]), client=c)
    assert answer["thumbnail_path"].endswith(f"{me['id']}.png")
    gazu.files.download_person_avatar(me, str(tmp_path / "me.png"), client=c)
    with Image.open(tmp_path / "me.png") as avatar:
        assert avatar.size == (400, 400)
    gazu.files.upload_project_avatar(studio["project"], str(clips["picture"]), client=c)
    assert gazu.project.get_project(studio["project"]["id"], client=c)["has_avatar"] is True
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.files.download_person_avatar(demo["people"]["vendor"], str(tmp_path / "none.png"), client=c)
