"""`order`, `sort` and `per_page` on list requests: a value that is not one of theirs is
a 422; a per_page above the cap is capped (spec §4: clients ask for 300 and 500)."""
import pytest

from chalicelib.services.zype import pagination

LISTS = ["/playlists", "/videos", "/categories"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("params", [{"order": "sideways"}, {"sort": "title", "order": "sideways"},
                                    {"sort": "nonsense"}, {"per_page": "0"}, {"per_page": "-3"},
                                    {"per_page": "ten"}, {"page": "-1"}])
def test_invalid_list_parameters_are_422(zype, path, params):
    answer = zype.get(path, params=params)
    assert answer.status_code == 422, answer.text
    assert set(answer.json()) == {"message"}
    assert next(iter(params)) in answer.json()["message"] or "order" in answer.json()["message"]


def test_invalid_order_on_playlist_videos_is_422(zype):
    playlist = zype.playlist("Ordered")
    answer = zype.get(f"/playlists/{playlist['_id']}/videos", params={"order": "sideways"})
    assert answer.status_code == 422 and "order" in answer.json()["message"]


@pytest.mark.parametrize("order", ["asc", "desc", "dsc", "DESC", ""])
def test_the_orders_clients_send_are_accepted(zype, order):
    zype.video("B")
    zype.video("A")
    answer = zype.get("/videos", params={"sort": "title", "order": order})
    assert answer.status_code == 200, answer.text
    titles = [v["title"] for v in answer.json()["response"]]
    assert titles == (["B", "A"] if order.lower() in ("desc", "dsc") else ["A", "B"])


def test_a_huge_per_page_is_capped_and_the_cap_is_answered(zype):
    zype.video("only one")
    answer = zype.get("/videos", params={"per_page": "100000"})
    assert answer.status_code == 200
    assert answer.json()["pagination"]["per_page"] == pagination.MAX_PER_PAGE
    assert answer.json()["pagination"]["pages"] == 1
