"""`make package`: the CloudFormation template and Lambda artifacts for the python3.12
runtime, checked before anyone tries to deploy them.

1. `chalice package --merge-template infra/resources.yaml` → out/sam.yaml + out/deployment.zip
2. out/ffmpeg-layer.zip: the static ffmpeg from imageio-ffmpeg's manylinux wheel as
   /opt/bin/ffmpeg, attached only to the media functions (see infra/resources.yaml)
3. checks: the layer holds an executable ffmpeg, the function zip carries neither ffmpeg
   nor the local stack (devstack/, moto and the web server moto brings), and every
   function's unzipped size (its zip plus its layers) is under Lambda's 250 MB.
"""
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "out"
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
LAYER_BINARY = "bin/ffmpeg"
# What only the local stack needs, by the top folder it has in a function zip (Chalice puts
# app.py, chalicelib/ and the site-packages of requirements.txt at the zip's root).
LOCAL_ONLY = {
    "devstack": "the local stack (devstack/)",
    "chalicelib/local": "the local stack (chalicelib/local/)",
    "moto": "moto",
    "werkzeug": "werkzeug (moto's server)",
    "flask": "flask (moto's server)",
}
LOCAL_ONLY_REQUIREMENTS = ("moto", "werkzeug", "flask")


def chalice_package(stage: str, out: pathlib.Path = OUT) -> pathlib.Path:
    """Run `chalice package` with dummy credentials (it never needs AWS); returns out/sam.yaml."""
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
           "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
           "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
           "AWS_EC2_METADATA_DISABLED": "true", "BLESSED_QUERY_TIMEOUT_SECONDS": "0.05"}
    chalice = pathlib.Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", stage, "--template-format", "yaml",
                    "--merge-template", str(ROOT / "infra" / "resources.yaml"), str(out)],
                   cwd=ROOT, env=env, check=True, stdin=subprocess.DEVNULL)
    return out / "sam.yaml"


def build_ffmpeg_layer() -> pathlib.Path:
    import imageio_ffmpeg

    binary = pathlib.Path(imageio_ffmpeg.get_ffmpeg_exe())
    layer = OUT / "ffmpeg-layer.zip"
    info = zipfile.ZipInfo(LAYER_BINARY)
    info.external_attr = (stat.S_IFREG | 0o755) << 16  # Lambda keeps the mode: it must stay executable
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(layer, "w") as archive, binary.open("rb") as source:
        with archive.open(info, "w") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
    return layer


def unzipped_size(path: pathlib.Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(item.file_size for item in archive.infolist())


def local_only_problems(deployment: pathlib.Path) -> list[str]:
    """One problem per part of the local stack that `deployment` holds (none: an empty list)."""
    found: dict[str, list[str]] = {}
    with zipfile.ZipFile(deployment) as archive:
        for name in archive.namelist():
            for folder in LOCAL_ONLY:
                # The package itself, or its installed metadata (moto-5.2.5.dist-info/).
                if name.startswith(f"{folder}/") or re.match(rf"{folder}-[^/]*\.(dist|egg)-info/", name, re.I):
                    found.setdefault(folder, []).append(name)
    return [f"{deployment.name} holds {LOCAL_ONLY[folder]}: {names[0]}"
            + (f" and {len(names) - 1} more" if len(names) > 1 else "")
            + "; the local stack stays out of Lambda packages (devstack/ outside chalicelib/, moto in "
            "requirements-dev.txt only)" for folder, names in found.items()]


def requirements_problems(requirements: pathlib.Path = ROOT / "requirements.txt") -> list[str]:
    """The Lambda's requirements must not name what only the local stack uses."""
    named = {re.split(r"[\s\[<>=!~;]", line.strip(), maxsplit=1)[0].lower()
             for line in requirements.read_text().splitlines() if line.strip() and not line.startswith(("#", "-"))}
    return [f"{requirements.name} names {name}: it belongs in requirements-dev.txt"
            for name in LOCAL_ONLY_REQUIREMENTS if name in named]


# Files the code reads that are not Python (the review page, served by the API).
PACKAGE_DATA = ("chalicelib/review_page/index.html", "chalicelib/review_page/review.js",
                "chalicelib/review_page/review.css")


def package_data_problems(deployment: pathlib.Path) -> list[str]:
    with zipfile.ZipFile(deployment) as archive:
        names = set(archive.namelist())
    return [f"deployment.zip lacks {name}" for name in PACKAGE_DATA if name not in names]


def check(deployment: pathlib.Path, layer: pathlib.Path) -> list[str]:
    problems = local_only_problems(deployment) + package_data_problems(deployment)
    with zipfile.ZipFile(layer) as archive:
        entry = next((i for i in archive.infolist() if i.filename == LAYER_BINARY), None)
        if entry is None:
            problems.append(f"{layer.name} has no {LAYER_BINARY}")
        elif not (entry.external_attr >> 16) & 0o111:
            problems.append(f"{LAYER_BINARY} in {layer.name} is not executable")
    with zipfile.ZipFile(deployment) as archive:
        if any("imageio_ffmpeg/binaries/" in i.filename for i in archive.infolist()):
            problems.append("deployment.zip carries an ffmpeg binary: keep imageio-ffmpeg out of requirements.txt")
    function_size, layer_size = unzipped_size(deployment), unzipped_size(layer)
    mib = 1024 * 1024
    print(f"deployment.zip: {deployment.stat().st_size / mib:.1f} MiB zipped, {function_size / mib:.1f} MiB unzipped")
    print(f"ffmpeg-layer.zip: {layer.stat().st_size / mib:.1f} MiB zipped, {layer_size / mib:.1f} MiB unzipped")
    print(f"media function (zip + layer): {(function_size + layer_size) / mib:.1f} MiB unzipped "
          f"(Lambda limit {LAMBDA_UNZIPPED_LIMIT / mib:.0f} MiB)")
    if function_size + layer_size > LAMBDA_UNZIPPED_LIMIT:
        problems.append("a media function is over Lambda's 250 MB unzipped limit")
    return problems


def main() -> int:
    stage = sys.argv[1] if len(sys.argv) > 1 else "prod"
    problems = requirements_problems()  # before packaging: it would fail afterwards anyway
    if not problems:
        shutil.rmtree(OUT, ignore_errors=True)
        chalice_package(stage)
        problems = check(OUT / "deployment.zip", build_ffmpeg_layer())
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
