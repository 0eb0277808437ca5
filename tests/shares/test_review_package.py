"""The review page's files are package data: `make package` refuses a function zip
without them (the Lambda would answer the page with a 500)."""
import importlib.util
import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _build_package():
    spec = importlib.util.spec_from_file_location("build_package", ROOT / "infra" / "build_package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_function_zip_without_the_review_page_is_refused(tmp_path):
    build_package = _build_package()
    for name in build_package.PACKAGE_DATA:
        assert (ROOT / name).is_file(), name
    complete, partial = tmp_path / "complete.zip", tmp_path / "partial.zip"
    with zipfile.ZipFile(complete, "w") as archive:
        for name in ("app.py", *build_package.PACKAGE_DATA):
            archive.writestr(name, "x")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.writestr("chalicelib/review_page/index.html", "x")
    assert build_package.package_data_problems(complete) == []
    assert build_package.package_data_problems(partial) == [
        "deployment.zip lacks chalicelib/review_page/review.js",
        "deployment.zip lacks chalicelib/review_page/review.css"]
