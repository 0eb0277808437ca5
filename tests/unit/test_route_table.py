"""API Gateway REST needs one variable name per position under a parent resource, and
path parameters must be whole segments; chalice local accepts either mistake."""
import collections
import re


def test_sibling_path_variables_share_one_name(stack):
    variables = collections.defaultdict(set)
    for path in stack.app.routes:
        parts = path.strip("/").split("/")
        for index, part in enumerate(parts):
            if part.startswith("{"):
                variables["/".join(parts[:index])].add(part)
    clashes = {parent: names for parent, names in variables.items() if len(names) > 1}
    assert clashes == {}


def test_path_variables_are_whole_segments(stack):
    for path in stack.app.routes:
        for part in path.strip("/").split("/"):
            assert not re.search(r".\{|\}.", part), path


def test_each_method_of_a_path_has_its_own_handler(stack):
    # gazu starts a movie build with a GET, Zou also takes a POST: the one route that
    # deliberately serves two methods with one handler.
    same_action = {"/api/data/playlists/{playlist_id}/build/mp4"}
    shared = {}
    for path, methods in stack.app.routes.items():
        by_view = collections.defaultdict(list)
        for method, entry in methods.items():
            by_view[entry.view_name].append(method)
        shared.update({(path, view): sorted(names) for view, names in by_view.items()
                       if len(names) > 1 and path not in same_action})
    assert shared == {}
