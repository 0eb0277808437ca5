"""boto3 clients, created once per container and shared by threads.

Endpoints and S3 addressing come from botocore's own settings (`AWS_ENDPOINT_URL`, the
config file's `s3.addressing_style`), so the local stack (moto) sets them in its own
environment and needs no code here; in the cloud S3 keeps its virtual-hosted default."""
import functools
import threading

import boto3
from botocore.config import Config

from chalicelib.config import settings

_clients: dict = {}
_lock = threading.Lock()
# Presigned S3 URLs must be SigV4 (boto3 otherwise signs some regions with SigV2).
_S3_CONFIG = Config(signature_version="s3v4", retries={"mode": "standard"})
_DEFAULT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})


def client(service: str):
    """A shared client for `service`; boto3's default session is not thread-safe,
    so clients are created under a lock (the local stack runs handlers in threads)."""
    found = _clients.get(service)
    if found is not None:
        return found
    with _lock:
        if service not in _clients:
            config = _S3_CONFIG if service == "s3" else _DEFAULT_CONFIG
            _clients[service] = boto3.session.Session().client(
                service, region_name=settings().region, config=config
            )
        return _clients[service]


@functools.lru_cache(maxsize=8)
def secure_parameter(name: str) -> str:
    """An SSM Parameter Store SecureString, decrypted; read once per container."""
    return client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
