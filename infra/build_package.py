"""`make package`: the CloudFormation template and Lambda artifacts for the python3.12
runtime, checked before anyone tries to deploy them.

1. `chalice package --merge-template infra/resources.yaml` → out/sam.yaml + out/deployment.zip
2. out/ffmpeg-layer.zip: the static ffmpeg from imageio-ffmpeg's manylinux wheel as
   /opt/bin/ffmpeg, attached only to the media functions (see infra/resources.yaml)
3. checks: the layer holds an executable ffmpeg, the function zip does not carry one,
   and every function's unzipped size (its zip plus its layers) is under Lambda's 250 MB.
"""
import os
import pathlib
import shutil
import stat
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "out"
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
LAYER_BINARY = "bin/ffmpeg"


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


def check(deployment: pathlib.Path, layer: pathlib.Path) -> list[str]:
    problems = []
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
    shutil.rmtree(OUT, ignore_errors=True)
    chalice_package(stage)
    layer = build_ffmpeg_layer()
    problems = check(OUT / "deployment.zip", layer)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
