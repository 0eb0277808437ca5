"""Telling people about playlists.

- Clients, when a playlist is ready (`POST data/playlists/{id}/notify-clients`): a
  notification record for every client of the project's team, optionally only those of
  one studio or department, and an email to those whose notifications are on (Zou's
  `notifications_enabled`). Only a playlist shared with clients (`for_client`) is news to
  them: for an internal one, which they could not open, nobody is notified.
- The requester of a movie build, when it ends: the link, or why it failed; either way
  how many entries it took and which it left out ("N of M entries, K skipped: ...")."""
import datetime

from chalicelib import auth, emails, events
from chalicelib.auth import Caller
from chalicelib.config import settings
from chalicelib.models import records
from chalicelib.observability import logger
from chalicelib.services.playlists import builds, entry_previews
from chalicelib.services.production import names
from chalicelib.services.shares import links as share_links
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
    links = [("Open the playlist", link)] if link else []
    if recipients:
        links[:0] = review_links(playlist, caller.id)
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
            emails.send(person["email"], subject, [f"Hello {person.get('first_name', '')},", *paragraphs], links)
    events.publish_many(published)
    return {"status": "success"}


def review_links(playlist: dict, person_id: str | None) -> list[tuple[str, str]]:
    """The review page of a share link made for an email: it lasts as long as the email's
    direct download (EMAIL_LINK_SECONDS, to the end of that day) and takes comments. An
    email still goes out without it when the link cannot be made."""
    if not playlist.get("id"):
        return []
    ends = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=settings().email_link_seconds)
    try:
        link = share_links.new_link(playlist, person_id, {"expiration_date": ends.date().isoformat()})
    except Exception:
        logger.exception("review link not made", extra={"playlist_id": playlist["id"]})
        return []
    return [("Review in your browser", share_links.review_url(link["token"]))]


def _web_link(project: dict, playlist: dict) -> str | None:
    """The playlist in the Kitsu web app, when its address is configured."""
    web = settings().public_web_url.rstrip("/")
    if not web:
        return None
    if project.get("production_type") == "tvshow":
        episode = playlist.get("episode_id") or ("all" if playlist.get("is_for_all") else "main")
        return f"{web}/productions/{project['id']}/episodes/{episode}/playlists/{playlist['id']}"
    return f"{web}/productions/{project['id']}/playlists/{playlist['id']}"


# --- movie builds ----------------------------------------------------------------------

def email_build_outcome(build_job: dict) -> None:
    """The email of an ended build. The job's outcome is recorded before it goes out, and
    nothing may raise past this point: SES refusing it (an unverified address, a quota)
    must not turn a finished build into a failed one, nor make a retried step email twice."""
    try:
        person, playlist, project = _requester_and_playlist(build_job)
        if not person or not person.get("email"):
            return
        if build_job["status"] == "succeeded":
            _email_build_success(build_job, person, playlist, project)
        else:
            _email_build_failure(build_job, person, playlist, project)
    except Exception:  # emails.send counts it in EmailsFailed
        logger.exception("build email not sent", extra={"build_job_id": build_job["id"]})


def entries_line(build_job: dict) -> str | None:
    """ "3 of 6 entries, 3 skipped: SH002 (picture), SH003 (broken), SH004 (still processing)" """
    if build_job.get("entry_count") is None:
        return None  # planned before entries were counted
    skipped = build_job.get("skipped") or []
    line = f"{build_job.get('movie_count') or 0} of {build_job['entry_count']} entries"
    if skipped:
        line += f", {len(skipped)} skipped: {entry_previews.skipped_summary(skipped)}"
    return line + "."


def _requester_and_playlist(build_job: dict) -> tuple[dict | None, dict, dict]:
    related = records.batch_get([build_job.get("created_by"), build_job["playlist_id"], build_job["project_id"]])
    return related.get(build_job.get("created_by")), related.get(build_job["playlist_id"]) or {}, \
        related.get(build_job["project_id"]) or {}


def _email_build_success(build_job: dict, person: dict, playlist: dict, project: dict) -> None:
    links = [("Download Playlist Build (.mp4)", builds.movie_link(build_job, expires=settings().email_link_seconds)),
             *review_links(playlist, build_job.get("created_by"))]
    if settings().public_api_url:
        api_route = f"{settings().public_api_url}/data/playlists/{playlist.get('id')}/jobs/{build_job['id']}/build/mp4"
        links.append(("Through the API, with your token", api_route))
    studio_name = names.organisation_name(project.get("studio_id"))
    emails.send(person["email"], f"{studio_name} - Kitsu: playlist download", [
        f"Hello {person.get('first_name', '')},", *filter(None, [entries_line(build_job)]),
        f"Your playlist {playlist.get('name', '')} of {project.get('name', '')} build is available:"], links)


def _email_build_failure(build_job: dict, person: dict, playlist: dict, project: dict) -> None:
    reason = build_job.get("failure_reason")
    studio_name = names.organisation_name(project.get("studio_id"))
    emails.send(person["email"], f"{studio_name} - Kitsu: playlist build failed", [
        f"Hello {person.get('first_name', '')},",
        f"The build of your playlist {playlist.get('name', '')} of {project.get('name', '')} failed: {reason}",
        *filter(None, [entries_line(build_job)])])
