"""Zou's playlist routes: playlists, their entries and previews, temp playlists, client
notifications, ZIPs and movie build jobs (gazu.playlist.*)."""
from chalice import Blueprint, Response

from chalicelib.api.http import created, link, no_content, redirect, route, still_processing
from chalicelib.services.playlists import builds, notifications, playlists, temp, zips

blueprint = Blueprint(__name__)

_TRUE = ("true", "1", "yes")


@route(blueprint, "/data/playlists")
def list_playlists(request):
    return playlists.list_playlists(request.caller, request.query())


@route(blueprint, "/data/playlists", methods=("POST",))
def create_playlist(request):
    return created(playlists.create_playlist(request.caller, request.json()))


@route(blueprint, "/data/playlists/{playlist_id}")
def get_playlist(request, playlist_id):
    return playlists.get_playlist(request.caller, playlist_id)


@route(blueprint, "/data/playlists/{playlist_id}", methods=("PUT",))
def update_playlist(request, playlist_id):
    return playlists.update_playlist(request.caller, playlist_id, request.json())


@route(blueprint, "/data/playlists/{playlist_id}", methods=("DELETE",))
def delete_playlist(request, playlist_id):
    playlists.delete_playlist(request.caller, playlist_id)
    return no_content()


@route(blueprint, "/data/projects/{project_id}/playlists")
def project_playlists(request, project_id):
    return playlists.list_project_playlists(request.caller, project_id, request.query())


@route(blueprint, "/data/projects/{project_id}/episodes/{episode_id}/playlists", free_params=("episode_id",))
def episode_playlists(request, project_id, episode_id):
    # `main` and `all` stand for the playlists without an episode (checked by the service).
    return playlists.list_project_playlists(request.caller, project_id, request.query(), episode_id=episode_id)


@route(blueprint, "/data/projects/{project_id}/playlists/{playlist_id}")
def project_playlist(request, project_id, playlist_id):
    return playlists.get_playlist_with_previews(request.caller, project_id, playlist_id)


@route(blueprint, "/data/projects/{project_id}/playlists/temp", methods=("POST",))
def temp_playlist(request, project_id):
    sort = (request.arg("sort") or "").lower() in _TRUE
    return temp.temp_playlist(request.caller, project_id, request.json_object(), sort=sort)


@route(blueprint, "/data/playlists/entities/{entity_id}/preview-files")
def entity_preview_files(request, entity_id):
    return playlists.entity_preview_files(request.caller, entity_id)


@route(blueprint, "/actions/playlists/{playlist_id}/add-entity", methods=("POST",))
def add_entity(request, playlist_id):
    return playlists.add_entities(request.caller, playlist_id, [request.json_object()])


@route(blueprint, "/actions/playlists/{playlist_id}/add-entities", methods=("POST",))
def add_entities(request, playlist_id):
    return playlists.add_entities(request.caller, playlist_id, request.json_object().get("entities") or [])


@route(blueprint, "/data/playlists/{playlist_id}/notify-clients", methods=("POST",))
def notify_clients(request, playlist_id):
    return notifications.notify_clients(request.caller, playlist_id, request.json_object())


@route(blueprint, "/data/playlists/{playlist_id}/download/zip")
def download_zip(request, playlist_id):
    # 302 to the archive, or 202 with Retry-After while it is being made (gazu waits).
    return link(zips.zip_link(request.caller, playlist_id))


# --- movie builds -------------------------------------------------------------------

@route(blueprint, "/data/playlists/{playlist_id}/build/mp4", methods=("GET", "POST"))
def build_movie(request, playlist_id):
    # gazu starts builds with a GET and `full=true` for full quality; `quality=web` is ours.
    full = (request.arg("full") or "").lower() in _TRUE
    return builds.start_build(request.caller, playlist_id, full=full, quality=request.arg("quality") or None)


@route(blueprint, "/data/playlists/{playlist_id}/jobs")
def playlist_build_jobs(request, playlist_id):
    return builds.list_playlist_jobs(request.caller, playlist_id)


@route(blueprint, "/data/playlists/{playlist_id}/jobs/{job_id}")
def build_job(request, playlist_id, job_id):
    return builds.get_build_job(request.caller, playlist_id, job_id)


@route(blueprint, "/data/playlists/{playlist_id}/jobs/{job_id}", methods=("DELETE",))
def delete_build_job(request, playlist_id, job_id):
    builds.delete_build_job(request.caller, playlist_id, job_id)
    return no_content()


@route(blueprint, "/data/playlists/{playlist_id}/jobs/{job_id}/build/mp4")
def download_build(request, playlist_id, job_id):
    download = builds.download_build(request.caller, playlist_id, job_id)
    if download.url is None:
        return still_processing("The movie is still being built", download.retry_after)
    return redirect(download.url)


@route(blueprint, "/data/playlists/{playlist_id}/jobs/{job_id}/build/hls.m3u8")
def build_hls_playlist(request, playlist_id, job_id):
    playlist = builds.hls_playlist(request.caller, playlist_id, job_id)
    if playlist is None:
        return still_processing("The movie is still being built", builds.BUILD_RETRY_AFTER)
    return Response(body=playlist, status_code=200, headers={"Content-Type": "application/vnd.apple.mpegurl"})


@route(blueprint, "/data/projects/{project_id}/build-jobs")
def project_build_jobs(request, project_id):
    return builds.list_project_jobs(request.caller, project_id)
