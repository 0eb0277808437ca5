"""Demo studio data for `make run` and the README tour, written through the same
services as the API so it obeys the same rules."""
import functools

from chalicelib import auth
from chalicelib.services.production import collections as c
from chalicelib.services.production import data

DEMO_PASSWORD = "reelbase-demo"
ROLES = {
    "admin": ("Ada", "Admin"), "manager": ("Max", "Manager"), "supervisor": ("Sue", "Supervisor"),
    "user": ("Art", "Artist"), "client": ("Cleo", "Client"), "vendor": ("Vic", "Vendor"),
}


def _new(route: str, body: dict, studio: dict | None = None) -> dict:
    """A record as the API would store it; studio-wide records join the demo studio."""
    collection = c.COLLECTIONS[route]
    if studio is not None and collection.studio_wide:
        body = {"studio_id": studio["id"], **body}
    return data.store_new(collection, data.prepare_new(collection, body))


def seed(studio_name: str = "Main studio") -> dict:
    """Create the demo studio; returns what the tour needs (people, ids)."""
    studio = _new("studios", {"name": studio_name})
    new = functools.partial(_new, studio=studio)
    new("organisations", {"name": "Demo Studio"})
    department = new("departments", {"name": "Animation", "color": "#22d160"})
    people = {}
    for role, (first, last) in ROLES.items():
        email = f"{role}@demo.reelbase.dev"
        people[role] = new("persons", {
            "first_name": first, "last_name": last, "email": email, "password": DEMO_PASSWORD, "role": role,
            "studio_id": studio["id"], "departments": [department["id"]] if role in ("user", "supervisor") else [],
            "notifications_enabled": True})
    statuses = {short: new("task-status", {"name": name, "short_name": short, "color": color,
                                            "is_default": short == "todo", "is_done": short == "done",
                                            "is_retake": short == "retake", "is_client_allowed": short != "done"})
                for name, short, color in [("Todo", "todo", "#f5f5f5"), ("Work In Progress", "wip", "#3273dc"),
                                           ("Waiting For Approval", "wfa", "#ab26ff"), ("Done", "done", "#22d160"),
                                           ("Retake", "retake", "#ff3860")]}
    task_types = {
        "Layout": new("task-types", {"name": "Layout", "short_name": "lay", "priority": 1, "for_entity": "Shot",
                                      "color": "#7a4a12"}),
        "Animation": new("task-types", {"name": "Animation", "short_name": "anim", "priority": 2,
                                         "for_entity": "Shot", "color": "#22d160",
                                         "department_id": department["id"]}),
        "Modeling": new("task-types", {"name": "Modeling", "short_name": "mod", "priority": 1,
                                        "for_entity": "Asset", "color": "#78909c"}),
    }
    for name, short in [("Movie", "mov"), ("Geometry", "geo"), ("Cache", "cch")]:
        new("output-types", {"name": name, "short_name": short})
    new("file-status", {"name": "Created", "color": "#f5f5f5"})
    new("softwares", {"name": "Blender", "short_name": "bl", "file_extension": ".blend"})
    character = new("entity-types", {"name": "Character"})
    prop = new("entity-types", {"name": "Prop"})
    project = new("projects", {"name": "Demo Short", "code": "DS", "fps": "25", "resolution": "1280x720",
                                "team": [p["id"] for p in people.values() if p["role"] != "admin"],
                                "task_types": [t["id"] for t in task_types.values()],
                                "task_statuses": [s["id"] for s in statuses.values()],
                                "asset_types": [character["id"], prop["id"]]})
    sequence = new("sequences", {"name": "SQ01", "project_id": project["id"]})
    shots = [new("shots", {"name": f"SH{n:03d}", "project_id": project["id"], "parent_id": sequence["id"],
                            "nb_frames": 50, "data": {"frame_in": 1, "frame_out": 50}}) for n in (10, 20, 30)]
    assets = [new("assets", {"name": name, "project_id": project["id"], "entity_type_id": kind["id"]})
              for name, kind in [("Hero", character), ("Sword", prop)]]
    tasks = []
    artist, vendor = people["user"]["id"], people["vendor"]["id"]
    for shot in shots:
        for type_name in ("Layout", "Animation"):
            tasks.append(new("tasks", {"project_id": project["id"], "entity_id": shot["id"],
                                        "task_type_id": task_types[type_name]["id"],
                                        "task_status_id": statuses["todo"]["id"],
                                        "assignees": [artist] if type_name == "Animation" else [vendor]}))
    for asset in assets:
        tasks.append(new("tasks", {"project_id": project["id"], "entity_id": asset["id"],
                                    "task_type_id": task_types["Modeling"]["id"],
                                    "task_status_id": statuses["todo"]["id"], "assignees": [artist]}))
    return {"studio": studio, "people": people, "project": project, "sequence": sequence, "shots": shots,
            "assets": assets, "tasks": tasks, "task_types": task_types, "statuses": statuses}


def tokens_for(person: dict) -> dict:
    return auth.issue_tokens(person)


# The demo's generated uploads: short and small, so that `make run` is up in seconds (the
# pipeline scales them to the project's fps and 1280x720, as it does any upload).
DEMO_CLIP = {"seconds": 2, "fps": "25", "width": 320, "height": 180}


def seed_playlist(seeded: dict) -> dict:
    """A demo review playlist of the demo shots, each pinned to its Animation preview.

    Shots without previews get one the way a studio makes it: the manager uploads a short
    generated clip to its presigned URL and the pipeline's workers normalize it and make its
    pictures. Returns once they are ready, so that the README tour can download them and
    build a movie right after `make run` starts."""
    from chalicelib.models import records
    from chalicelib.services.previews import index
    from devstack import sample_media

    project = seeded["project"]
    animation = seeded["task_types"]["Animation"]["id"]
    summaries = index.previews_by_entity([shot["id"] for shot in seeded["shots"]])
    uploading = {}
    for number, shot in enumerate(seeded["shots"]):
        if summaries[shot["id"]]:
            continue
        task = next(t for t in seeded["tasks"] if t["entity_id"] == shot["id"] and t["task_type_id"] == animation)
        clip = sample_media.source_clip(**DEMO_CLIP, pattern=sample_media.PATTERNS[number % 6])
        uploading[shot["id"]] = sample_media.start_upload(seeded["people"]["manager"], task, clip,
                                                          comment="first pass",
                                                          filename=f"{shot['name'].lower()}_animation.mp4")
    # Uploaded together, then waited for: the workers normalize one while making another's pictures.
    for shot_id, preview in uploading.items():
        summaries[shot_id] = [sample_media.wait_until_processed(preview["id"])]
    entries = []
    for shot in seeded["shots"]:
        newest = max(summaries[shot["id"]], key=lambda p: (p.get("revision") or 0, p.get("created_at") or ""))
        entries.append({"entity_id": shot["id"], "preview_file_id": newest["id"]})
    playlist = records.create("Playlist", {
        "name": "Demo review", "project_id": project["id"], "episode_id": None, "task_type_id": animation,
        "for_client": True, "for_entity": "shot", "is_for_all": False, "shots": entries,
        "created_by": seeded["people"]["manager"]["id"]}, project_id=project["id"])
    seeded["playlist"] = playlist
    return playlist


def seed_share_link(seeded: dict) -> dict:
    """A share link of the demo playlist, with the demo password, for 30 days: the review
    page a client would open from the email."""
    import datetime

    from chalicelib.services.shares import links

    ends = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    return links.new_link(seeded["playlist"], seeded["people"]["manager"]["id"],
                          {"expiration_date": ends, "password": DEMO_PASSWORD})


def seed_zype(seeded: dict) -> dict:
    """Publishing demo for the demo studio: categories, videos and a pair of Zype keys,
    written through the publishing services. Returns the keys and the records."""
    from chalicelib.auth import ZypeCaller
    from chalicelib.services.zype import categories, keys, videos

    studio_id = seeded["people"]["admin"]["studio_id"]
    admin = auth.Caller(seeded["people"]["admin"])
    issued = {kind: keys.issue_key(admin, studio_id, {"kind": kind, "name": f"demo {kind}"})["key"]
              for kind in ("api_key", "app_key")}
    curator = ZypeCaller(site_id=studio_id, can_write=True, via="api_key")
    genre = categories.create_category(curator, {"category": {"title": "Genre",
                                                              "values": ["comedy", "drama", "documentary"]}})
    mood = categories.create_category(curator, {"category": {"title": "Mood", "values": ["calm", "tense"]}})
    demo_videos = []
    for title, genre_value, mood_value, published_at in [
            ("Hero's Morning", "comedy", "calm", "2024-03-01T09:00:00Z"),
            ("Sword Fight", "drama", "tense", "2024-05-12T18:30:00Z"),
            ("Making of SQ01", "documentary", "calm", "2024-05-12T08:00:00Z"),
            ("Blooper Reel", "comedy", "tense", "2024-07-04T12:00:00Z"),
            ("The Long Goodbye", "drama", "calm", "2024-02-14T20:00:00Z"),
            ("Animation Tests", "documentary", "tense", None)]:
        demo_videos.append(videos.create_video(curator, {"video": {
            "title": title, "published_at": published_at, "categories": [
                {"category_id": genre["_id"], "value": [genre_value]},
                {"category_id": mood["_id"], "value": [mood_value]}]}}))
    return {"keys": issued, "categories": [genre, mood], "videos": demo_videos}
