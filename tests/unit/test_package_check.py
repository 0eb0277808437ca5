"""`make package` refuses a function zip that holds the local stack or moto (issue 11),
and the Lambda's requirements never name moto (the dev requirements do)."""
import importlib.util
import pathlib
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build_package():
    spec = importlib.util.spec_from_file_location("build_package", ROOT / "infra" / "build_package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _function_zip(folder: pathlib.Path, *names: str) -> pathlib.Path:
    """A zip laid out as `chalice package` lays out deployment.zip, holding `names` too."""
    path = folder / "deployment.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("app.py", "chalicelib/__init__.py", "chalicelib/aws.py", "boto3/__init__.py",
                     "pynamodb-6.1.0.dist-info/METADATA", *names):
            archive.writestr(name, "")
    return path


def test_a_function_zip_holding_the_local_stack_is_refused(build_package, tmp_path):
    problems = build_package.local_only_problems(_function_zip(tmp_path, "devstack/__init__.py", "devstack/stack.py"))
    assert len(problems) == 1
    assert "the local stack (devstack/)" in problems[0] and "devstack/__init__.py and 1 more" in problems[0]


def test_the_old_home_of_the_local_stack_is_refused_too(build_package, tmp_path):
    problems = build_package.local_only_problems(_function_zip(tmp_path, "chalicelib/local/stack.py"))
    assert len(problems) == 1 and "the local stack (chalicelib/local/)" in problems[0]


def test_a_function_zip_holding_moto_is_refused(build_package, tmp_path):
    problems = build_package.local_only_problems(_function_zip(tmp_path, "moto/__init__.py"))
    assert len(problems) == 1 and "holds moto: moto/__init__.py;" in problems[0]


def test_the_web_server_moto_brings_is_refused_by_its_metadata_alone(build_package, tmp_path):
    problems = build_package.local_only_problems(_function_zip(
        tmp_path, "werkzeug-3.1.9.dist-info/METADATA", "flask/__init__.py"))
    assert sorted(problem.split(":")[0] for problem in problems) == [
        "deployment.zip holds flask (moto's server)", "deployment.zip holds werkzeug (moto's server)"]


def test_a_clean_function_zip_passes(build_package, tmp_path):
    # Names that merely begin like a local-only package are not one.
    assert build_package.local_only_problems(_function_zip(tmp_path, "motor/__init__.py", "devstacks.txt")) == []


def test_requirements_naming_moto_are_refused(build_package, tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# the Lambda's\nboto3==1.44.5\nmoto[server]==5.2.5\nFlask>=3\n")
    assert build_package.requirements_problems(requirements) == [
        "requirements.txt names moto: it belongs in requirements-dev.txt",
        "requirements.txt names flask: it belongs in requirements-dev.txt"]


def test_the_lambda_requirements_leave_moto_to_the_dev_requirements(build_package):
    assert build_package.requirements_problems(ROOT / "requirements.txt") == []
    dev = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert any(line.startswith("moto[server]==") for line in dev)


def test_the_product_imports_neither_the_local_stack_nor_moto():
    import ast

    local_only = {"devstack", "moto", "werkzeug", "flask"}
    offenders = []
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            else:
                continue
            offenders += [f"{path.relative_to(ROOT)}: {module}" for module in modules
                          if module.split(".")[0] in local_only or module.startswith("chalicelib.local")]
    assert offenders == []
