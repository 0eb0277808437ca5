"""Zou's playlist share links: the manager's routes (`data/playlists/{id}/share...`) and
the guest's (`shared/playlists/{token}/...`, no bearer token: the link's token, and its
password as `?password=` when it has one, are the credential). Media answer 302 to a
short-lived presigned S3 link, like the authenticated media routes."""
from chalice import Blueprint

from chalicelib.api.file_names import file_id
from chalicelib.api.http import created, link, redirect, route
from chalicelib.services.previews.media_reads import Rendition
from chalicelib.services.shares import guests, links, review

blueprint = Blueprint(__name__)


# --- the manager's ------------------------------------------------------------------------

@route(blueprint, "/data/playlists/{playlist_id}/share")
def list_share_links(request, playlist_id):
    return links.list_links(request.caller, playlist_id)


@route(blueprint, "/data/playlists/{playlist_id}/share", methods=("POST",))
def create_share_link(request, playlist_id):
    return created(links.create_link(request.caller, playlist_id, request.json_object()))


@route(blueprint, "/data/playlists/{playlist_id}/share/{token}", methods=("DELETE",))
def revoke_share_link(request, playlist_id, token):
    # Zou answers the revoked link (is_active false) with a 200, not a 204.
    return links.revoke_link(request.caller, playlist_id, token)


@route(blueprint, "/data/playlists/{playlist_id}/share/{token}/invite", methods=("POST",))
def invite_to_share_link(request, playlist_id, token):
    return links.invite(request.caller, playlist_id, token, request.json_object())


# --- the guest's --------------------------------------------------------------------------

def _password(request):
    return request.arg("password") or request.headers.get("x-share-password")


@route(blueprint, "/shared/playlists/{token}", public=True)
def shared_playlist(request, token):
    return guests.playlist(token, _password(request))


@route(blueprint, "/shared/playlists/{token}/context", public=True)
def shared_playlist_context(request, token):
    return guests.context(token, _password(request))


@route(blueprint, "/shared/playlists/{token}/guest", methods=("POST",), public=True)
def shared_playlist_guest(request, token):
    guest, new = guests.guest(token, _password(request), request.json_object())
    return created(guest) if new else guest


@route(blueprint, "/shared/playlists/{token}/comments", public=True)
def shared_playlist_comments(request, token):
    return guests.comments(token, _password(request))


@route(blueprint, "/shared/playlists/{token}/comments", methods=("POST",), public=True)
def shared_playlist_add_comment(request, token):
    return created(guests.add_comment(token, _password(request), request.json_object()))


@route(blueprint, "/shared/playlists/{token}/annotations", methods=("PUT",), public=True)
def shared_playlist_annotations(request, token):
    return guests.annotate(token, _password(request), request.json_object())


@route(blueprint, "/shared/playlists/{token}/preview-files/{preview_file_id}", public=True)
def shared_preview_file(request, token, preview_file_id):
    return guests.preview_file(token, _password(request), preview_file_id)


@route(blueprint, "/shared/playlists/{token}/preview-files/{preview_file_id}/download", public=True)
def shared_preview_download(request, token, preview_file_id):
    return link(guests.media(token, _password(request), preview_file_id, Rendition.ORIGINAL, attachment=True))


def _shared_media(path: str, rendition: Rendition, name: str):
    def handler(request, token, file_name):
        return link(guests.media(token, _password(request), file_id(file_name), rendition))
    route(blueprint, path, public=True, name=name)(handler)


_shared_media("/shared/playlists/{token}/movies/originals/preview-files/{file_name}", Rendition.MOVIE,
              "shared_preview_movie")
_shared_media("/shared/playlists/{token}/pictures/thumbnails/preview-files/{file_name}", Rendition.THUMBNAIL,
              "shared_preview_thumbnail")
_shared_media("/shared/playlists/{token}/pictures/originals/preview-files/{file_name}", Rendition.ORIGINAL,
              "shared_preview_original")
_shared_media("/shared/playlists/{token}/movies/tiles/preview-files/{file_name}", Rendition.TILE,
              "shared_preview_tile")


@route(blueprint, "/shared/playlists/{token}/jobs/{job_id}/build/mp4", public=True)
def shared_build_movie(request, token, job_id):
    return redirect(guests.build_movie(token, _password(request), job_id))




# --- the review page (ours): one HTML page and its two files ------------------------------

review_blueprint = Blueprint(__name__ + ".review")


def _page_response(body: str, content_type: str):
    from chalice import Response

    return Response(body=body, status_code=200, headers={"Content-Type": content_type,
                                                          **review.security_headers()})


@route(review_blueprint, "/review/{token}", public=True)
def review_page(request, token):
    return _page_response(review.page(), "text/html; charset=utf-8")


@route(review_blueprint, "/review-assets/{name}", public=True)
def review_asset(request, name):
    body, content_type = review.asset(name)
    return _page_response(body, content_type)
