"""A review script written with gazu.playlist, unchanged, against the served app."""
import gazu
import pytest

from chalicelib.media import probe_movie
from devstack.demo import DEMO_PASSWORD


def logged_in(api_url: str, role: str):
    client = gazu.client.create_client(api_url)
    gazu.log_in(f"{role}@demo.reelbase.dev", DEMO_PASSWORD, client=client)
    return client


def test_gazu_review_script(api_url, production, demo, make_preview, tmp_path, unique):
    c = logged_in(api_url, "manager")
    project = production.project
    shots = [production.new_shot() for _ in range(2)]
    first_v1 = make_preview(production.task(shots[0]))
    first_v2 = make_preview(production.task(shots[0]), seconds=2, pattern=1)
    second = make_preview(production.task(shots[1]), pattern=2)

    name = unique("Gazu review")
    playlist = gazu.playlist.new_playlist(project, name, for_client=True, client=c)
    assert gazu.playlist.new_playlist(project, name, client=c)["id"] == playlist["id"]  # found by name
    assert gazu.playlist.get_playlist_by_name(project, name.upper(), client=c)["id"] == playlist["id"]
    assert playlist["id"] in [p["id"] for p in gazu.playlist.all_playlists_for_project(project, client=c)]
    main = gazu.playlist.all_playlists_for_episode({"id": "main", "project_id": project["id"]}, client=c)
    assert playlist["id"] in [p["id"] for p in main]
    assert playlist["id"] in [p["id"] for p in gazu.playlist.all_playlists(client=c)]

    previews = gazu.playlist.get_entity_preview_files(shots[0], client=c)
    assert [p["id"] for p in previews[first_v1["task_type_id"]]] == [first_v2["id"], first_v1["id"]]
    playlist = gazu.playlist.add_entity_to_playlist(playlist, shots[0], client=c)  # gazu picks the newest
    playlist = gazu.playlist.add_entity_to_playlist(playlist, shots[1], second, client=c)
    assert playlist["shots"] == [{"entity_id": shots[0]["id"], "preview_file_id": first_v2["id"]},
                                 {"entity_id": shots[1]["id"], "preview_file_id": second["id"]}]

    playlist = gazu.playlist.get_playlist(playlist, client=c)
    gazu.playlist.update_entity_preview(playlist, shots[0], first_v1, client=c)
    assert gazu.playlist.get_playlist(playlist, client=c)["shots"][0]["preview_file_id"] == first_v1["id"]
    playlist = gazu.playlist.get_playlist(playlist, client=c)
    gazu.playlist.update_entity_preview(playlist, shots[0], first_v2, client=c)
    shot_ids = [s["entity_id"] for s in gazu.playlist.all_shots_for_playlist(playlist, client=c)]
    assert sorted(shot_ids) == sorted(s["id"] for s in shots)

    job = gazu.playlist.build_playlist_movie(playlist, client=c)
    assert job["status"] == "running" and job["job_type"] == "movie"
    movie = tmp_path / "build.mp4"
    # While the build runs gazu gets 202 + Retry-After and waits; then the 302 to S3.
    gazu.playlist.download_playlist_build(playlist, job, str(movie), client=c)
    assert gazu.playlist.get_build_job(playlist, job, client=c)["status"] == "succeeded"
    assert probe_movie(str(movie)).duration == pytest.approx(3.0, abs=0.1)

    archive = tmp_path / "playlist.zip"
    gazu.playlist.download_playlist_zip(playlist, str(archive), client=c)
    assert archive.read_bytes()[:2] == b"PK"

    admin = logged_in(api_url, "admin")
    assert job["id"] in [j["id"] for j in gazu.playlist.all_build_jobs_for_project(project, client=admin)]
    with pytest.raises(gazu.exception.NotAllowedException):
        gazu.playlist.all_build_jobs_for_project(project, client=c)

    temp = gazu.playlist.generate_temp_playlist(project, {"task_ids": [production.task(shots[1])["id"]]}, client=c)
    assert temp[0]["preview_file_id"] == second["id"]
    assert gazu.playlist.notify_clients_playlist_ready(playlist, client=c) == {"status": "success"}

    gazu.playlist.remove_build_job(playlist, job, client=c)
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.playlist.get_build_job(playlist, job, client=c)
    playlist = gazu.playlist.get_playlist(playlist, client=c)
    gazu.playlist.remove_entity_from_playlist(playlist, shots[0], client=c)
    assert [s["entity_id"] for s in gazu.playlist.get_playlist(playlist, client=c)["shots"]] == [shots[1]["id"]]

    client_user = logged_in(api_url, "client")
    assert gazu.playlist.get_playlist(playlist, client=client_user)["id"] == playlist["id"]
    with pytest.raises(gazu.exception.NotAllowedException):
        gazu.playlist.build_playlist_movie(playlist, client=client_user)

    gazu.playlist.delete_playlist(playlist, client=c)
    with pytest.raises(gazu.exception.RouteNotFoundException):
        gazu.playlist.get_playlist(playlist, client=c)
