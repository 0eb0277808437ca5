"""The Zype-compatible publishing API at the root paths (`/playlists`, `/videos`,
`/categories`), the public picture route, and the admin route (under /api, Zou-style)
that issues a studio's Zype keys."""
from chalice import Blueprint, Response

from chalicelib.api.http import created, no_content, redirect, route
from chalicelib.api.zype_http import many, one, zype_route
from chalicelib.services.zype import categories, images, keys, playlists, relationships, videos

blueprint = Blueprint(__name__)        # registered at the root
keys_blueprint = Blueprint(f"{__name__}.keys")  # registered under /api


# --- playlists ----------------------------------------------------------------------

@zype_route(blueprint, "/playlists")
def list_playlists(request):
    return many(playlists.list_playlists(request.caller, request.params))


@zype_route(blueprint, "/playlists", methods=("POST",))
def create_playlist(request):
    return one(playlists.create_playlist(request.caller, request.params), 201)


@zype_route(blueprint, "/playlists/relationships")
def playlist_relationships(request):
    # Serialized without recursion: the tree may be deeper than json.dumps can go.
    tree = playlists.relationship_tree(request.caller, request.params)
    return Response(body=relationships.to_json(tree), status_code=200, headers={"Content-Type": "application/json"})


@zype_route(blueprint, "/playlists/{id}")
def get_playlist(request, id):
    return one(playlists.get_playlist(request.caller, id))


@zype_route(blueprint, "/playlists/{id}", methods=("PUT",))
def update_playlist(request, id):
    return one(playlists.update_playlist(request.caller, id, request.params))


@zype_route(blueprint, "/playlists/{id}", methods=("DELETE",))
def delete_playlist(request, id):
    playlists.delete_playlist(request.caller, id)
    return no_content()


@zype_route(blueprint, "/playlists/{id}/videos")
def playlist_videos(request, id):
    return many(playlists.playlist_videos(request.caller, id, request.params))


@zype_route(blueprint, "/playlists/{id}/add_videos", methods=("PUT",))
def add_playlist_videos(request, id):
    return many(playlists.add_videos(request.caller, id, request.params))


@zype_route(blueprint, "/playlists/{id}/remove_videos", methods=("PUT",))
def remove_playlist_videos(request, id):
    return many(playlists.remove_videos(request.caller, id, request.params))


# --- videos -------------------------------------------------------------------------

@zype_route(blueprint, "/videos")
def list_videos(request):
    return many(videos.list_videos(request.caller, request.params))


@zype_route(blueprint, "/videos", methods=("POST",))
def create_video(request):
    return one(videos.create_video(request.caller, request.params), 201)


@zype_route(blueprint, "/videos/{id}")
def get_video(request, id):
    return one(videos.get_video(request.caller, id))


@zype_route(blueprint, "/videos/{id}", methods=("PUT",))
def update_video(request, id):
    return one(videos.update_video(request.caller, id, request.params))


@zype_route(blueprint, "/videos/{id}", methods=("DELETE",))
def delete_video(request, id):
    videos.delete_video(request.caller, id)
    return no_content()


# --- categories ---------------------------------------------------------------------

@zype_route(blueprint, "/categories")
def list_categories(request):
    return many(categories.list_categories(request.caller, request.params))


@zype_route(blueprint, "/categories", methods=("POST",))
def create_category(request):
    return one(categories.create_category(request.caller, request.params), 201)


@zype_route(blueprint, "/categories/{id}")
def get_category(request, id):
    return one(categories.get_category(request.caller, id))


@zype_route(blueprint, "/categories/{id}", methods=("PUT",))
def update_category(request, id):
    return one(categories.update_category(request.caller, id, request.params))


@zype_route(blueprint, "/categories/{id}", methods=("DELETE",))
def delete_category(request, id):
    categories.delete_category(request.caller, id)
    return no_content()


# --- pictures -----------------------------------------------------------------------

@zype_route(blueprint, "/zype/images/{image_id}/{file_name}", public=True)
def playlist_picture(request, image_id, file_name):
    return redirect(images.download_url(image_id, file_name))


# --- keys (admin, under /api) -------------------------------------------------------

@route(keys_blueprint, "/data/studios/{studio_id}/zype-keys")
def studio_zype_keys(request, studio_id):
    return keys.list_keys(request.caller, studio_id)


@route(keys_blueprint, "/data/studios/{studio_id}/zype-keys", methods=("POST",))
def issue_studio_zype_key(request, studio_id):
    return created(keys.issue_key(request.caller, studio_id, request.json_object()))


@route(keys_blueprint, "/data/studios/{studio_id}/zype-keys/{zype_key_id}", methods=("DELETE",))
def revoke_studio_zype_key(request, studio_id, zype_key_id):
    keys.revoke_key(request.caller, studio_id, zype_key_id)
    return no_content()
