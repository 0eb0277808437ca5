"""The zype Ruby gem (HTTParty) writes an array of hashes as repeated `a[][k]=` pairs:
`playlist[categories][][category_id]=A&playlist[categories][][value][]=x&...`. In a
query string (where the gem puts writes) and in a form body, it saves what the gem means."""
from urllib.parse import urlencode

import pytest


def _gem_pairs(rules: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """HTTParty's HashConversions order: each hash's keys in turn, its array values together."""
    pairs = [("playlist[title]", "Gem rules"), ("playlist[playlist_type]", "category")]
    for category_id, values in rules:
        pairs.append(("playlist[categories][][category_id]", category_id))
        pairs += [("playlist[categories][][value][]", value) for value in values]
    return pairs


def _categories(zype):
    genre = zype.category("Genre", ["comedy", "drama", "horror"])
    mood = zype.category("Mood", ["calm", "tense"])
    era = zype.category("Era", ["old", "new"])
    return genre, mood, era


def _rules_of(playlist: dict) -> list[tuple[str, list[str]]]:
    return [(rule["category_id"], rule["value"]) for rule in playlist["categories"]]


@pytest.mark.parametrize("where", ["query", "form"])
def test_category_rules_in_the_gems_encoding_are_saved_as_meant(zype, where):
    genre, mood, era = _categories(zype)
    rules = [(genre["_id"], ["comedy", "drama"]), (mood["_id"], ["tense"]), (era["_id"], ["old", "new"])]
    pairs = _gem_pairs(rules)
    if where == "query":
        answer = zype.post("/playlists", params=pairs)
    else:
        answer = zype.post("/playlists", data=urlencode(pairs),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 201, answer.text
    assert _rules_of(answer.json()["response"]) == rules


def test_an_update_in_the_gems_encoding_replaces_the_rules(zype):
    genre, mood, _ = _categories(zype)
    playlist = zype.playlist("To change", playlist_type="category",
                             categories=[{"category_id": genre["_id"], "value": ["comedy"]}])
    rules = [(mood["_id"], ["calm"]), (genre["_id"], ["horror", "drama"])]
    answer = zype.put(f"/playlists/{playlist['_id']}", params=_gem_pairs(rules)[2:])
    assert answer.status_code == 200, answer.text
    assert _rules_of(answer.json()["response"]) == rules


def test_values_that_cannot_be_told_apart_are_refused_not_guessed(zype):
    first = zype.category("First", ["shared", "one"])
    second = zype.category("Second", ["shared", "two"])
    # Both categories offer "shared", but a rule names a value once: [one, shared, shared,
    # two] splits one way only, and is accepted...
    ok = zype.post("/playlists", params=_gem_pairs([(first["_id"], ["one", "shared"]),
                                                   (second["_id"], ["shared", "two"])]))
    assert ok.status_code == 201, ok.text
    assert _rules_of(ok.json()["response"]) == [(first["_id"], ["one", "shared"]), (second["_id"], ["shared", "two"])]
    # ...while [one, shared, two] could give "shared" to either: a 422, nothing saved.
    before = zype.titles("/playlists", active="all")
    refused = zype.post("/playlists", params=_gem_pairs([(first["_id"], ["one", "shared"]), (second["_id"], ["two"])]))
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"].startswith("Could not save playlist: Categories is invalid")
    assert zype.titles("/playlists", active="all") == before


def test_a_value_no_category_offers_is_the_usual_422(zype):
    genre, mood, _ = _categories(zype)
    answer = zype.post("/playlists", params=_gem_pairs([(genre["_id"], ["comedy"]), (mood["_id"], ["jazz"])]))
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("Could not save playlist: Categories is invalid")
