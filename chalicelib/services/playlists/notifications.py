"""Telling clients a playlist is ready (`POST data/playlists/{id}/notify-clients`): a
notification record for every client of the project's team, optionally only those of
one studio or department, and an email to those whose notifications are on (Zou's
`notifications_enabled`). Only a playlist shared with clients (`for_client`) is news to
them: for an internal one, which they could not open, nobody is notified."""
from chalicelib import auth, emails, events
from chalicelib.auth import Caller
from chalicelib.config import settings
from chalicelib.models import records
from chalicelib.services.production import collections as c
from chalicelib.services.production import data
from chalicelib.services.production.validation import check_value


def notify_clients(caller: Caller, playlist_id: str, body: dict) -> dict:
    playlist = data.require("Playlist", playlist_id)
    project = data.require_project(playlist["project_id"])
    auth.check_playlist_manage(caller, project)
    studio_id = check_value("studio_id", c.UUID, body.get("studio_id") or None)
    department_id = check_value("department_id", c.UUID, body.get("department_id") or None)
    team = records.batch_get(project.get("team") or []) if playlist.get("for_client") else {}
    recipients = [person for person in team.values()
                  if person.get("type") == "Person" and person.get("role") == "client"
                  and person.get("active", True) and not person.get("is_bot")
                  and person.get("studio_id") == project.get("studio_id")
                  and (studio_id is None or person.get("studio_id") == studio_id)
                  and (department_id is None or department_id in (person.get("departments") or []))]
    subject = f"[Kitsu] The playlist {playlist['name']} in project {project['name']} is ready for review"
    paragraphs = [f"The playlist {playlist['name']} in project {project['name']} is ready for review."]
    entry_count = len(playlist.get("shots") or [])
    if entry_count > 1:
        paragraphs.append(f"{entry_count} elements are listed in the playlist.")
    link = _web_link(project, playlist)
    published = []
    for person in recipients:
        # Zou's Notification.type; our records keep `type` for the record kind.
        notification = records.create("Notification", {
            "notification_type": "playlist-ready", "person_id": person["id"], "author_id": caller.id,
            "playlist_id": playlist_id, "project_id": project["id"], "read": False, "change": False},
            project_id=project["id"], parent_id=playlist_id, held_by=playlist_id)
        published.append(events.event("notification:new", {"notification_id": notification["id"],
                                                            "person_id": person["id"]}, project["id"]))
        if person.get("email") and person.get("notifications_enabled"):
            emails.send(person["email"], subject, [f"Hello {person.get('first_name', '')},", *paragraphs],
                        [("Open the playlist", link)] if link else [])
    events.publish_many(published)
    return {"status": "success"}


def _web_link(project: dict, playlist: dict) -> str | None:
    """The playlist in the Kitsu web app, when its address is configured."""
    web = settings().public_web_url.rstrip("/")
    if not web:
        return None
    if project.get("production_type") == "tvshow":
        episode = playlist.get("episode_id") or ("all" if playlist.get("is_for_all") else "main")
        return f"{web}/productions/{project['id']}/episodes/{episode}/playlists/{playlist['id']}"
    return f"{web}/productions/{project['id']}/playlists/{playlist['id']}"
