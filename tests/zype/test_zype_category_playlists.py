"""Category playlists: membership from the videos' category values, any / all, kept
current as videos and rules change."""


def _setup(zype):
    genre = zype.category("Genre", ["comedy", "drama", "horror"])
    mood = zype.category("Mood", ["calm", "tense"])
    made = {}
    for title, genre_value, mood_value in (("Laughs", "comedy", "calm"), ("Tears", "drama", "tense"),
                                           ("Screams", "horror", "tense"), ("Quiet drama", "drama", "calm")):
        made[title] = zype.video(title, categories=[{"category_id": genre["_id"], "value": [genre_value]},
                                                    {"category_id": mood["_id"], "value": [mood_value]}])
    return genre, mood, made


def test_match_any_holds_videos_matching_one_of_the_categories(zype):
    genre, mood, _ = _setup(zype)
    playlist = zype.playlist("Comedy or calm", playlist_type="category", match_type="any", categories=[
        {"category_id": genre["_id"], "value": ["comedy"]}, {"category_id": mood["_id"], "value": ["calm"]}])
    assert playlist["playlist_item_count"] == 2
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Laughs", "Quiet drama"]


def test_match_all_holds_videos_matching_every_category(zype):
    genre, mood, _ = _setup(zype)
    playlist = zype.playlist("Tense drama", playlist_type="category", match_type="all", categories=[
        {"category_id": genre["_id"], "value": ["drama"]}, {"category_id": mood["_id"], "value": ["tense"]}])
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Tears"]


def test_several_values_in_one_category_match_any_of_them(zype):
    genre, _, _ = _setup(zype)
    playlist = zype.playlist("Dark", playlist_type="category", match_type="all",
                             categories=[{"category_id": genre["_id"], "value": ["drama", "horror"]}])
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Tears", "Screams", "Quiet drama"]


def test_membership_follows_video_changes(zype):
    genre, _, made = _setup(zype)
    playlist = zype.playlist("Comedies", playlist_type="category",
                             categories=[{"category_id": genre["_id"], "value": ["comedy"]}])
    # A new matching video joins; a video that stops matching leaves; one that starts matching joins.
    zype.video("New laughs", categories=[{"category_id": genre["_id"], "value": ["comedy"]}])
    zype.put(f"/videos/{made['Laughs']['_id']}", json={"video": {"categories": [
        {"category_id": genre["_id"], "value": ["drama"]}]}})
    zype.put(f"/videos/{made['Tears']['_id']}", json={"video": {"categories_attributes": {
        "0": {"value": ["comedy"]}}}})
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["New laughs", "Tears"]
    assert zype.get(f"/playlists/{playlist['_id']}").json()["response"]["playlist_item_count"] == 2


def test_changing_the_rules_recomputes_membership(zype):
    genre, mood, _ = _setup(zype)
    playlist = zype.playlist("Shifting", playlist_type="category",
                             categories=[{"category_id": genre["_id"], "value": ["comedy"]}])
    answer = zype.put(f"/playlists/{playlist['_id']}", json={"playlist": {
        "categories": [{"category_id": mood["_id"], "value": ["tense"]}]}})
    assert answer.status_code == 200
    assert answer.json()["response"]["categories"][0]["title"] == "Mood"
    assert answer.json()["response"]["playlist_item_count"] == 2
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Tears", "Screams"]


def test_form_encoded_categories(zype):
    genre, _, _ = _setup(zype)
    answer = zype.post("/playlists", data=[
        ("playlist[title]", "Form rules"), ("playlist[playlist_type]", "category"),
        ("playlist[categories][0][category_id]", genre["_id"]), ("playlist[categories][0][value][]", "horror"),
        ("playlist[categories][0][value][]", "comedy")])
    assert answer.status_code == 201, answer.text
    assert answer.json()["response"]["categories"][0]["value"] == ["horror", "comedy"]
    assert zype.titles(f"/playlists/{answer.json()['response']['_id']}/videos") == ["Laughs", "Screams"]


def test_unknown_category_is_422_with_zypes_message(zype):
    answer = zype.post("/playlists", json={"playlist": {
        "title": "Category Playlist", "playlist_type": "category", "match_type": "any",
        "categories": [{"category_id": "1234", "title": "Category Title", "value": ["Category Value"]}]}})
    assert answer.status_code == 422
    assert answer.json() == {"message": "Could not save playlist: Categories is invalid"}
    genre = zype.category("Genre", ["comedy"])
    answer = zype.post("/playlists", json={"playlist": {
        "title": "Bad value", "categories": [{"category_id": genre["_id"], "value": ["western"]}]}})
    assert answer.status_code == 422
    assert answer.json() == {"message": "Could not save playlist: Categories is invalid"}
    assert zype.titles("/playlists", active="all") == []


def test_videos_cannot_be_added_to_a_category_playlist_by_hand(zype):
    genre, _, made = _setup(zype)
    playlist = zype.playlist("Ruled", playlist_type="category",
                             categories=[{"category_id": genre["_id"], "value": ["comedy"]}])
    answer = zype.put(f"/playlists/{playlist['_id']}/add_videos", json={"video_id": [made["Tears"]["_id"]]})
    assert answer.status_code == 422
    assert zype.titles(f"/playlists/{playlist['_id']}/videos") == ["Laughs"]
