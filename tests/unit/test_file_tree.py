"""File tree rendering and path guessing, checked against the paths Zou builds."""

import pytest

from chalicelib.errors import Invalid
from chalicelib.services.files.file_tree import (
    FileTreeError,
    full_path,
    load_template,
    render,
    validate_tree,
)
from chalicelib.services.files.file_tree_guess import check_under_a_root, guess_from_path

PROJECT_ID = "0b7e6a52-3f5c-4b8e-9d1a-6c2f4e8a1b3d"


@pytest.fixture
def default_tree():
    return load_template("default")


@pytest.fixture
def simple_tree():
    return load_template("simple")


@pytest.fixture
def shot_context():
    return {
        "project": {"id": PROJECT_ID, "name": "Big Buck", "code": "BB"},
        "sequence": {"id": "seq-1", "name": "SQ01"},
        "shot": {"id": "shot-1", "name": "SH010", "data": {"frame_in": 1}},
        "task_type": {"id": "tt-1", "name": "Animation", "short_name": "anim"},
        "output_type": {"id": "ot-1", "name": "Cache", "short_name": "cch"},
        "name": "main",
        "revision": 3,
    }


@pytest.fixture
def asset_context():
    return {
        "project": {"id": PROJECT_ID, "name": "Big Buck"},
        "asset_type": {"id": "at-1", "name": "Character"},
        "asset": {"id": "asset-1", "name": "Bunny Rabbit"},
        "task_type": {"id": "tt-2", "name": "Modeling"},
        "output_type": {"id": "ot-1", "name": "Cache"},
        "name": "main",
        "revision": 12,
    }


# --- shipped trees ---------------------------------------------------------


def test_shipped_trees_have_three_modes_under_simple_mountpoint(
    default_tree, simple_tree
):
    for tree in (default_tree, simple_tree):
        validate_tree(tree)
        assert sorted(tree) == ["output", "preview", "working"]
        assert {tree[mode]["mountpoint"] for mode in tree} == {"/simple"}
        assert [tree[mode]["root"] for mode in ("working", "output", "preview")] == [
            "productions",
            "productions/export",
            "productions/previews",
        ]
        assert tree["working"]["folder_path"]["style"] == "lowercase"


def test_load_template_returns_a_fresh_copy(default_tree):
    default_tree["working"]["root"] = "changed"
    assert load_template("default")["working"]["root"] == "productions"


@pytest.mark.parametrize(
    "tree_name", ["missing", "../default", "default.json", "", "a b"]
)
def test_unknown_or_badly_named_tree_is_not_available(tree_name):
    with pytest.raises(FileTreeError, match="Selected tree is not available"):
        load_template(tree_name)


def test_file_tree_error_is_a_400_domain_error():
    assert issubclass(FileTreeError, Invalid)
    assert FileTreeError.status == 400


# --- default tree ----------------------------------------------------------


def test_default_shot_working_file_has_no_version(default_tree, shot_context):
    assert render(default_tree, "working", "shot", shot_context) == (
        "/simple/productions/big_buck/shots/sq01/sh010/animation",
        "big_buck_sh010_animation",
    )


def test_default_asset_working_file(default_tree, asset_context):
    assert render(default_tree, "working", "asset", asset_context) == (
        "/simple/productions/big_buck/assets/character/bunny_rabbit/modeling",
        "big_buck_character_bunny_rabbit_modeling",
    )


def test_default_shot_output_file(default_tree, shot_context):
    assert render(default_tree, "output", "shot", shot_context) == (
        "/simple/productions/export/big_buck/shots/sq01/sh010/cache",
        "big_buck_sq01_sh010_cache_main",
    )


def test_default_asset_output_file_with_extension(default_tree, asset_context):
    path = full_path(default_tree, "output", "asset", asset_context, extension=".abc")
    assert path == (
        "/simple/productions/export/big_buck/assets/character/bunny_rabbit/cache/"
        "big_buck_character_bunny_rabbit_cache_main.abc"
    )


def test_default_shot_preview(default_tree, shot_context):
    assert full_path(default_tree, "preview", "shot", shot_context) == (
        "/simple/productions/previews/big_buck/shots/sq01/sh010/animation/"
        "big_buck_sq01_sh010_animation"
    )


def test_output_type_defaults_to_geometry(default_tree, shot_context):
    del shot_context["output_type"]
    folder_path, file_name = render(default_tree, "output", "shot", shot_context)
    assert folder_path.endswith("/sh010/geometry")
    assert file_name == "big_buck_sq01_sh010_geometry_main"


def test_default_episode_and_scene_working_folders(default_tree, shot_context):
    episode_context = {**shot_context, "episode": {"id": "ep-1", "name": "EP 01"}}
    scene_context = {**shot_context, "scene": {"id": "sc-1", "name": "SC 02"}}
    assert render(default_tree, "working", "episode", episode_context) == (
        "/simple/productions/big_buck/episodes/ep_01/animation",
        "big_buck_ep_01_animation",
    )
    assert render(default_tree, "working", "scene", scene_context) == (
        "/simple/productions/big_buck/scenes/sq01/sc_02/animation",
        "big_buck_sq01_sc_02_animation",
    )


def test_default_sequence_output_fails_on_the_ouputtype_typo(
    default_tree, shot_context
):
    with pytest.raises(FileTreeError, match="<OuputType>"):
        render(default_tree, "output", "sequence", shot_context)


def test_default_tree_has_no_instance_output(default_tree, shot_context):
    with pytest.raises(
        FileTreeError, match="no instance template in output.folder_path"
    ):
        render(default_tree, "output", "instance", shot_context)


def test_unknown_mode_and_kind_are_refused(default_tree, shot_context):
    with pytest.raises(FileTreeError, match="Mode delivery cannot be found"):
        render(default_tree, "delivery", "shot", shot_context)
    with pytest.raises(FileTreeError, match="Unknown file tree kind: edit"):
        render(default_tree, "working", "edit", shot_context)


def test_missing_context_object_is_named(default_tree, shot_context):
    with pytest.raises(FileTreeError, match="<AssetType> needs a asset_type"):
        render(default_tree, "working", "asset", shot_context)
    del shot_context["project"]
    with pytest.raises(FileTreeError, match="<Project> needs a project"):
        render(default_tree, "working", "shot", shot_context)


@pytest.mark.parametrize(
    ("sequence_name", "folder"),
    [("Seq5", "s005"), ("Seq12", "s012"), ("Seq1234", "s1234")],
)
def test_sequence_named_seq_is_rewritten(
    default_tree, shot_context, sequence_name, folder
):
    shot_context["sequence"] = {"id": "seq-2", "name": sequence_name}
    folder_path, _ = render(default_tree, "working", "shot", shot_context)
    assert folder_path == f"/simple/productions/big_buck/shots/{folder}/sh010/animation"


# --- simple tree -----------------------------------------------------------


def test_simple_shot_working_pads_version_and_uses_software(simple_tree, shot_context):
    shot_context["software"] = {"id": "sw-1", "name": "Blender", "short_name": "bl"}
    assert render(simple_tree, "working", "shot", shot_context) == (
        "/simple/productions/big_buck/shots/sq01/sh010/animation/blender",
        "big_buck_sq01_sh010_animation_main_v003",
    )


def test_simple_software_defaults_to_3dsmax(simple_tree, asset_context):
    assert render(simple_tree, "working", "asset", asset_context) == (
        "/simple/productions/big_buck/assets/character/bunny_rabbit/modeling/3dsmax",
        "big_buck_character_bunny_rabbit_modeling_main_v012",
    )


def test_simple_sequence_output_renders(simple_tree, shot_context):
    assert render(
        simple_tree, "output", "sequence", {**shot_context, "revision": 1234}
    ) == (
        "/simple/productions/export/big_buck/sequences/sq01/animation/cache",
        "big_buck_sq01_animation_cache_main_v1234",
    )


def test_simple_instance_output(simple_tree, shot_context, asset_context):
    context = {
        **shot_context,
        "asset_type": asset_context["asset_type"],
        "asset": asset_context["asset"],
        "temporal_entity": shot_context["shot"],
        "temporal_entity_type": {"id": "et-shot", "name": "Shot"},
        "instance": {"id": "ai-1", "name": "Bunny Rabbit 2", "number": 2},
        "representation": "abc",
        "nb_elements": 4,
    }
    assert render(simple_tree, "output", "instance", context) == (
        (
            "/simple/productions/export/big_buck/shot/sq01/sh010/animation/cache/"
            "character/bunny_rabbit/instance_0002/abc"
        ),
        "big_buck_sq01_sh010_animation_cache_main_bunny_rabbit_2_v003_[1-4]",
    )
    del context["instance"]["name"]
    _, file_name = render(simple_tree, "output", "instance", context)
    assert file_name == "big_buck_sq01_sh010_animation_cache_main_0002_v003_[1-4]"


def test_instance_output_needs_the_temporal_entity(simple_tree, shot_context):
    with pytest.raises(
        FileTreeError, match="<TemporalEntityType> needs a temporal_entity_type"
    ):
        render(simple_tree, "output", "instance", shot_context)


# --- custom trees ----------------------------------------------------------


def custom_tree():
    return {
        "working": {
            "mountpoint": "/mnt/studio",
            "root": "",
            "folder_path": {
                "shot": "<Project.code>/<Episode>/<Sequence>/<Shot.data_field>/"
                "<TaskType.short_name>",
                "style": "uppercase",
            },
            "file_name": {
                "shot": "<Project.id>_<Shot>_<TaskType.short_name>_v<Revision>",
                "style": "uppercase",
            },
        }
    }


def test_custom_uppercase_tree_with_fields_and_backslash_sep(shot_context):
    assert render(custom_tree(), "working", "shot", shot_context, sep="\\") == (
        "/mnt/studio\\BIG_BUCK\\E001\\SQ01\\SH010\\ANIM",
        f"{PROJECT_ID}_SH010_ANIM_V003",
    )


def test_token_field_missing_on_object_falls_back_to_name(shot_context):
    del shot_context["task_type"]["short_name"]
    _, file_name = render(custom_tree(), "working", "shot", shot_context)
    assert file_name == f"{PROJECT_ID}_SH010_ANIMATION_V003"


def test_unknown_token_is_refused(shot_context):
    tree = custom_tree()
    tree["working"]["folder_path"]["shot"] = "<Project>/<Studio>"
    with pytest.raises(FileTreeError, match="Unknown token in the file tree: <Studio>"):
        render(tree, "working", "shot", shot_context)


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        ([], "non-empty object of modes"),
        ({"working": "x"}, "mode working must be an object"),
        (
            {"working": {"root": "", "folder_path": {}, "file_name": {}}},
            "string mountpoint",
        ),
        (
            {
                "working": {
                    "mountpoint": "/m",
                    "root": "",
                    "folder_path": [],
                    "file_name": {},
                }
            },
            "needs a folder_path object",
        ),
        (
            {
                "working": {
                    "mountpoint": "/m",
                    "root": "",
                    "folder_path": {"shot": 3},
                    "file_name": {},
                }
            },
            "working.folder_path.shot must be a string",
        ),
    ],
)
def test_validate_tree_reports_malformed_trees(tree, message):
    with pytest.raises(FileTreeError, match=message):
        validate_tree(tree)


# --- guess_from_path -------------------------------------------------------

# (token, lower-case name, parent token, parent id) -> id
ROWS = {
    ("Project", "big buck", None, None): "p1",
    ("Sequence", "sq01", "Project", "p1"): "s1",
    ("Sequence", "sq02", "Project", "p1"): "s2",
    ("Shot", "sh010", "Sequence", "s1"): "sh1",
    ("Shot", "sh020", "Sequence", "s2"): "sh2",
    ("TaskType", "animation", None, None): "tt1",
    ("AssetType", "character", None, None): "at1",
    ("Asset", "bunny rabbit", "AssetType", "at1"): "a1",
    ("OutputType", "cache", None, None): "ot1",
    ("Software", "blender", None, None): "sw1",
}


class FakeLookup:
    def __init__(self):
        self.calls = []

    def __call__(self, token, name, parent_ids):
        self.calls.append((token, name, parent_ids))
        for (row_token, row_name, parent, parent_id), row_id in ROWS.items():
            if (row_token, row_name) == (token, name.lower()) and (
                parent is None or parent_ids.get(parent) == parent_id
            ):
                return row_id
        return None


def test_guess_shot_working_path_round_trip(default_tree, shot_context):
    lookup = FakeLookup()
    path = full_path(default_tree, "working", "shot", shot_context)
    assert guess_from_path(default_tree, path, "/", lookup) == [
        {
            "Template": "shot",
            "Project": "p1",
            "Sequence": "s1",
            "Shot": "sh1",
            "TaskType": "tt1",
        }
    ]
    assert [call[0] for call in lookup.calls] == [
        "Project",
        "Sequence",
        "Shot",
        "TaskType",
    ]
    assert lookup.calls[2] == ("Shot", "sh010", {"Project": "p1", "Sequence": "s1"})


def test_guess_turns_underscores_into_spaces_and_ignores_case(default_tree):
    lookup = FakeLookup()
    path = (
        "/simple/productions/export/Big_Buck/assets/Character/Bunny_Rabbit/Cache/x.abc"
    )
    assert guess_from_path(default_tree, path, "/", lookup) == [
        {
            "Template": "asset",
            "Project": "p1",
            "AssetType": "at1",
            "Asset": "a1",
            "OutputType": "ot1",
        }
    ]
    assert (
        "Asset",
        "bunny rabbit",
        {"Project": "p1", "AssetType": "at1"},
    ) in lookup.calls


def test_guess_of_a_name_that_does_not_resolve_is_empty(default_tree):
    # sh020 exists, but under sq02: the parent constraint refuses it.
    path = "/simple/productions/big_buck/shots/sq01/sh020/animation/file.ma"
    assert guess_from_path(default_tree, path, "/", FakeLookup()) == []


def test_guess_simple_tree_resolves_software(simple_tree):
    path = (
        "/simple/productions/big_buck/shots/sq02/sh020/animation/blender/f_v003.blend"
    )
    assert guess_from_path(simple_tree, path, "/", FakeLookup()) == [
        {
            "Template": "shot",
            "Project": "p1",
            "Sequence": "s2",
            "Shot": "sh2",
            "TaskType": "tt1",
            "Software": "sw1",
        }
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/elsewhere/productions/big_buck/shots/sq01/sh010/animation",
        "/simple/productions/big_buck/movies/sq01/sh010/animation",
        "/simple/productions/",
    ],
)
def test_guess_without_a_matching_template_is_empty(default_tree, path):
    lookup = FakeLookup()
    assert guess_from_path(default_tree, path, "/", lookup) == []
    assert lookup.calls == []


def test_guess_with_uppercase_tree_and_custom_sep():
    tree = {
        "working": {
            "mountpoint": "D:",
            "root": "prod",
            "folder_path": {
                "shot": "<Project>/shots/<Sequence>/<Shot>/v<Version>",
                "style": "uppercase",
            },
            "file_name": {"shot": "<Shot>", "style": "uppercase"},
        }
    }
    path = "D:\\PROD\\BIG_BUCK\\SHOTS\\SQ01\\SH010\\V007\\SH010.ma"
    assert guess_from_path(tree, path, "\\", FakeLookup()) == [
        {
            "Template": "shot",
            "Project": "p1",
            "Sequence": "s1",
            "Shot": "sh1",
            "Version": "7",
        }
    ]


def test_guess_rejects_a_malformed_tree():
    with pytest.raises(FileTreeError):
        guess_from_path({"working": {}}, "/simple/x", "/", FakeLookup())


def test_a_path_under_no_root_is_refused_naming_the_roots(default_tree):
    check_under_a_root(default_tree, "/SIMPLE/Productions/export/x", "/")  # styled like the tree: passes
    with pytest.raises(FileTreeError, match="under none of the file tree roots: /simple/productions/, "
                                            "/simple/productions/export/, /simple/productions/previews/"):
        check_under_a_root(default_tree, "/mnt/elsewhere/x.ma", "/")
