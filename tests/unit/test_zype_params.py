"""Rails-style parameter trees, Zype values and the smart-order key, without the stack."""
import itertools
import random

import pytest

from chalicelib.api.rails_params import ParamTree, split_name
from chalicelib.errors import Unprocessable
from chalicelib.services.zype import ordering, values


def tree(pairs, json_body=None) -> dict:
    params = ParamTree()
    for name, value in pairs:
        params.add(name, value)
    if json_body is not None:
        params.add_json(json_body)
    return params.tree


def test_split_name():
    assert split_name("playlist[categories][0][value][]") == ["playlist", "categories", "0", "value", ""]
    assert split_name("category![Best Of]") == ["category!", "Best Of"]
    assert split_name("created_at.gte") == ["created_at.gte"]
    assert split_name("broken[name") == ["broken[name"]


def test_nested_hashes_arrays_and_indexes():
    assert tree([("playlist[title]", "T"), ("playlist[categories][0][category_id]", "c1"),
                 ("playlist[categories][0][value][]", "a"), ("playlist[categories][0][value][]", "b"),
                 ("video_id[]", "v1"), ("video_id[]", "v2")]) == {
        "playlist": {"title": "T", "categories": {"0": {"category_id": "c1", "value": ["a", "b"]}}},
        "video_id": ["v1", "v2"]}


def test_arrays_of_hashes_do_not_depend_on_the_order_pairs_arrive_in():
    pairs = [("s[][direction]", "desc"), ("s[][sort_by]", "published_at"),
             ("s[][direction]", "asc"), ("s[][sort_by]", "title")]
    grouped = sorted(pairs, key=lambda pair: pair[0])  # as API Gateway groups a query string
    expected = {"s": [{"direction": "desc", "sort_by": "published_at"}, {"direction": "asc", "sort_by": "title"}]}
    assert tree(pairs) == tree(grouped) == expected


def test_json_bodies_merge_and_flattened_keys_are_placed():
    assert tree([("playlist[title]", "from query"), ("api_key", "k")],
                {"playlist": {"description": "from json"}, "playlist[active]": False}) == {
        "playlist": {"title": "from query", "description": "from json", "active": False}, "api_key": "k"}


def test_values_read_strings_and_json_alike():
    assert values.boolean("true", "x") is True and values.boolean(0, "x") is False
    assert values.boolean("", "x") is None
    assert values.integer("12", "x") == 12 and values.integer(3.0, "x") == 3
    assert values.price("4.99", "x") == "4.99" and values.price(5, "x") == "5.0" and values.price("5.00", "x") == "5.0"
    assert values.string_list("a, b,,c", "x") == ["a", "b", "c"]
    assert values.stamp(values.instant("1483228800", "x")) == "2017-01-01T00:00:00.000+00:00"
    assert values.stamp(values.instant("2017-01-01T01:00:00+01:00", "x")) == "2017-01-01T00:00:00.000+00:00"
    assert values.stamp(values.instant("2017-01-01", "x")) == "2017-01-01T00:00:00.000+00:00"
    for reader, bad in ((values.boolean, "perhaps"), (values.integer, "1.5"), (values.integer, True),
                        (values.price, "-1"), (values.price, "abc"), (values.instant, "nope")):
        with pytest.raises(Unprocessable):
            reader(bad, "x")


def _video(title=None, published=None, episode=None, featured=None):
    return {"_id": "v", "title": title, "published_at": published, "episode": episode, "featured": featured}


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_order_keys_sort_like_the_values_with_nulls_last(direction):
    titles = ["", "a", "ab", "abc", "B", "b", "bz", "Éclair", "zebra", None]
    options = [{"direction": direction, "sort_by": "title", "sort_by_type": "string"}]
    by_key = sorted(titles, key=lambda t: ordering.order_key(_video(title=t), options))
    expected = sorted((t.casefold() for t in titles if t), reverse=direction == "desc")
    assert [t.casefold() for t in by_key[:-2]] == expected  # case-insensitive; "B" and "b" tie
    assert set(by_key[-2:]) == {"", None}  # no title sorts last in either direction


def test_two_level_keys_match_a_tuple_sort():
    rng = random.Random(7)
    videos = [_video(title=rng.choice(["x", "y", "xy"]), episode=rng.choice([-3, 0, 2, 10, None]))
              for _ in range(40)]
    for first, second in itertools.product(["asc", "desc"], repeat=2):
        options = [{"direction": first, "sort_by": "episode", "sort_by_type": "integer"},
                   {"direction": second, "sort_by": "title", "sort_by_type": "string"}]
        by_key = sorted(videos, key=lambda v: ordering.order_key(v, options))
        present = [v for v in by_key if v["episode"] is not None]
        for earlier, later in itertools.pairwise(present):
            if earlier["episode"] != later["episode"]:
                assert (earlier["episode"] < later["episode"]) == (first == "asc")
            elif earlier["title"] != later["title"]:
                assert (earlier["title"] < later["title"]) == (second == "asc")
        assert all(v["episode"] is None for v in by_key[len(present):])


def test_a_plain_name_sent_twice_keeps_both_and_scalars_read_the_last():
    params = tree([("video_id", "a"), ("video_id", "b"), ("page", "1"), ("page", "2")])
    assert values.string_list(params["video_id"], "video_id") == ["a", "b"]
    assert values.integer(params["page"], "page") == 2
