"""Videos (`/videos`): our published media with Zype's fields. A video is usually
promoted from a ready movie preview (`preview_file_id`), whose duration and thumbnail
it takes; it can also be created on its own. Every change is carried into the
playlists that hold the video, or that should hold it by their categories."""
from slugify import slugify

from chalicelib import auth
from chalicelib.auth import ZypeCaller
from chalicelib.errors import Unprocessable
from chalicelib.models import zype as table
from chalicelib.services.zype import categories, lists, membership, ordering, pagination, terms, video_queries
from chalicelib.services.zype.filters import VIDEO_SORTS, CategoryResolver, video_filters
from chalicelib.services.zype.images import ASPECT_RATIO, THUMBNAIL_SIZES
from chalicelib.services.zype.previews import published_media
from chalicelib.services.zype.store import Listing, new_body, require, retrying, site_bodies
from chalicelib.services.zype.values import (
    MISSING,
    boolean,
    instant,
    integer,
    is_blank,
    keywords_of,
    now_stamp,
    resource_params,
    save_error,
    stamp,
    string_list,
    text,
)

TEXT_FIELDS = ("title", "description", "short_description", "source_id", "youtube_id", "vimeo_id", "hulu_id",
               "crunchyroll_id")
BOOLEAN_FIELDS = ("active", "featured", "on_air", "mature_content")
INTEGER_FIELDS = ("episode", "season")
# Where a video comes from. Ours are stored and served by reelbase: `zype`.
VIDEO_TYPES = ("zype", "youtube", "vimeo", "hulu", "crunchyroll")
DEFAULTS = {
    "title": None, "description": None, "short_description": None, "active": True, "featured": False,
    "on_air": False, "mature_content": False, "published_at": None, "friendly_title": None, "keywords": [],
    "duration": None, "status": "created", "categories": [], "type": "zype", "source_id": None,
    "youtube_id": None, "vimeo_id": None, "hulu_id": None, "crunchyroll_id": None, "zobject_ids": [],
    "episode": None, "season": None, "preview_file_id": None, "thumbnail_url": None,
}


def serialize(video: dict) -> dict:
    out = {key: value for key, value in video.items() if key != "thumbnail_url"}
    out["_keywords"] = keywords_of(video.get("title"))
    out["thumbnails"] = _thumbnails(video.get("thumbnail_url"))
    out.setdefault("images", [])
    return out


def _thumbnails(thumbnail_url: str | None) -> list[dict]:
    # The preview has one thumbnail; it is offered at each of Zype's sizes so that
    # clients picking a size by height find one.
    if not thumbnail_url:
        return []
    return [{"aspect_ratio": ASPECT_RATIO, "height": height, "width": width, "name": None, "url": thumbnail_url}
            for height, width in THUMBNAIL_SIZES]


def category_resolver(site_id: str) -> CategoryResolver:
    return CategoryResolver(lambda key: categories.ids_named(site_id, key))


def list_videos(caller: ZypeCaller, params: dict) -> Listing:
    page = pagination.parse_page(params)
    resolver = category_resolver(caller.site_id)
    filters = video_filters(params, resolver)
    sort = ordering.parse_sort(params, VIDEO_SORTS)
    found = video_queries.page(caller.site_id, params, filters, sort, page, resolver)
    if found is not None:
        return Listing([serialize(video) for video in found.items], found.pagination)
    # Filter combinations no list is kept for (see chalicelib/models/README.md): the site's videos.
    sort = sort or ("created_at", True)  # newest first by default
    matching = [video for video in site_bodies(caller.site_id, table.VIDEO) if filters.matches(video)]
    items, numbers = pagination.paginate(ordering.sort_records(matching, *sort), page)
    return Listing([serialize(video) for video in items], numbers)


def get_video(caller: ZypeCaller, video_id: str) -> dict:
    return serialize(require(caller, table.VIDEO, video_id).body)


def create_video(caller: ZypeCaller, params: dict) -> dict:
    auth.check_zype_write(caller)
    fields = resource_params(params, "video")
    video = {**new_body(caller.site_id), **DEFAULTS}
    _apply(caller.site_id, video, fields)
    lists.write({}, lists.video_keys(caller.site_id, video),
                lambda transaction: table.stage_put_new(transaction, table.VIDEO, caller.site_id, video))
    terms.write(caller.site_id, None, video)
    membership.refresh_video(caller.site_id, video)
    return serialize(video)


def update_video(caller: ZypeCaller, video_id: str, params: dict) -> dict:
    auth.check_zype_write(caller)
    fields = resource_params(params, "video")

    def change():
        item = require(caller, table.VIDEO, video_id)
        video = dict(item.body)
        _apply(caller.site_id, video, fields)
        video["updated_at"] = now_stamp()
        lists.write(lists.video_keys(caller.site_id, item.body), lists.video_keys(caller.site_id, video),
                    lambda transaction: table.stage_replace_body(transaction, item, video))
        return item.body, video

    before, video = retrying(change)
    terms.write(caller.site_id, before, video)
    membership.refresh_video(caller.site_id, video, before=before)
    return serialize(video)


def delete_video(caller: ZypeCaller, video_id: str) -> None:
    auth.check_zype_write(caller)
    item = require(caller, table.VIDEO, video_id)
    membership.refresh_video(caller.site_id, item.body, deleted=True)

    def change():
        current = require(caller, table.VIDEO, video_id)
        lists.write(lists.video_keys(caller.site_id, current.body), {},
                    lambda transaction: table.stage_delete(transaction, current))

    retrying(change)
    terms.write(caller.site_id, item.body, None)


def site_videos(caller: ZypeCaller, video_ids: list[str], model: str = "playlist") -> list[dict]:
    """The site's videos with these ids, in the order given; an unknown id is a 422
    naming it, before anything changes."""
    found = {video_id: item.body for video_id, item in table.batch_get(table.VIDEO, video_ids).items()
             if item.site_kind == f"{caller.site_id}#{table.VIDEO}"}
    unknown = [video_id for video_id in video_ids if video_id not in found]
    if unknown:
        raise Unprocessable(f"Could not save {model}: Videos is invalid (unknown video ids: {', '.join(unknown)})")
    return [found[video_id] for video_id in dict.fromkeys(video_ids)]


def _apply(site_id: str, video: dict, fields: dict) -> None:
    for name in TEXT_FIELDS:
        if name in fields:
            video[name] = text(fields[name], f"video {name}")
    for name in BOOLEAN_FIELDS:
        value = boolean(fields.get(name, MISSING), f"video {name}")
        if value is not None:
            video[name] = value
    for name in INTEGER_FIELDS:
        if name in fields:
            video[name] = integer(fields[name], f"video {name}")
    if not (video.get("title") or "").strip():
        raise Unprocessable("Could not save video: Title can't be blank")
    video["title"] = video["title"].strip()
    if "published_at" in fields:
        try:
            moment = instant(fields["published_at"], "published_at")
        except Unprocessable as error:
            raise save_error("video", "published_at", error.message) from error
        video["published_at"] = stamp(moment) if moment else None
    if not is_blank(fields.get("friendly_title", MISSING)):
        video["friendly_title"] = slugify(str(fields["friendly_title"]))
    elif not video.get("friendly_title"):
        video["friendly_title"] = slugify(video["title"])
    for name in ("keywords", "zobject_ids"):
        if name in fields:
            video[name] = string_list(fields[name], f"video {name}") or []
    if not is_blank(fields.get("type", MISSING)):
        video_type = str(fields["type"]).strip().lower()
        if video_type not in VIDEO_TYPES:
            raise save_error("video", "type", f"one of {', '.join(VIDEO_TYPES)}")
        video["type"] = video_type
    # A promoted video's duration is its preview's; only a video without one takes it from the client.
    if "duration" in fields and not video.get("preview_file_id"):
        duration = integer(fields["duration"], "video duration")
        if duration is not None and duration < 0:
            raise save_error("video", "duration")
        video["duration"] = duration
    if "preview_file_id" in fields:
        _apply_preview(video, fields["preview_file_id"])
    if "categories" in fields:
        video["categories"] = categories.check_assignments(site_id, fields["categories"], "video")
    if "categories_attributes" in fields:
        video["categories"] = categories.check_assignments(site_id, fields["categories_attributes"], "video",
                                                           by_index=video.get("categories") or [])


def _apply_preview(video: dict, preview_file_id) -> None:
    if is_blank(preview_file_id):
        video.update(preview_file_id=None, thumbnail_url=None)
        return
    media = published_media(str(preview_file_id).strip().lower())
    video.update(preview_file_id=str(preview_file_id).strip().lower(), thumbnail_url=media["thumbnail_url"])
    if media["duration"] is not None:
        video["duration"] = media["duration"]
