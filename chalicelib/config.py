"""Settings, read once from the environment (Chalice stage variables in the cloud,
the local stack's environment under `make run` and the tests)."""
import functools
import os
from dataclasses import dataclass

VERSION = "0.1.0"


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    records_table: str
    zype_table: str
    media_bucket: str
    jwt_secret_plain: str  # JWT_SECRET: the local stack's and the tests'
    jwt_secret_parameter: str  # in the cloud, the SSM parameter holding it (auth reads it)
    access_token_minutes: int
    refresh_token_days: int
    max_api_upload_bytes: int
    presigned_url_seconds: int
    ses_sender: str
    ses_configuration_set: str
    event_bus_name: str
    public_api_url: str
    preview_normalize_queue: str
    preview_images_queue: str
    preview_upload_timeout_seconds: int
    preview_worker_grace_seconds: int
    segments_state_machine_arn: str
    preview_segment_threshold_seconds: float
    preview_segment_seconds: float
    public_web_url: str
    build_state_machine_arn: str
    build_chunk_size: int
    build_piece_bytes: int
    zip_state_machine_arn: str
    zip_request_seconds: int
    email_link_seconds: int


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    stage = os.environ.get("STAGE", "dev")
    return Settings(
        stage=stage,
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        records_table=os.environ.get("RECORDS_TABLE", f"reelbase-{stage}-records"),
        zype_table=os.environ.get("ZYPE_TABLE", f"reelbase-{stage}-zype"),
        media_bucket=os.environ.get("MEDIA_BUCKET", f"reelbase-{stage}-media"),
        jwt_secret_plain=os.environ.get("JWT_SECRET", ""),
        jwt_secret_parameter=os.environ.get("JWT_SECRET_PARAMETER", ""),
        # One working day: gazu's default client does not refresh, so a script or a DCC
        # session keeps its login that long; refreshing clients get a new token on expiry.
        access_token_minutes=_int("ACCESS_TOKEN_MINUTES", 60 * 12),
        refresh_token_days=_int("REFRESH_TOKEN_DAYS", 15),
        max_api_upload_bytes=_int("MAX_API_UPLOAD_BYTES", 5_000_000),
        presigned_url_seconds=_int("PRESIGNED_URL_SECONDS", 900),
        ses_sender=os.environ.get("SES_SENDER", "reelbase@example.com"),
        ses_configuration_set=os.environ.get("SES_CONFIGURATION_SET", ""),
        event_bus_name=os.environ.get("EVENT_BUS_NAME", f"reelbase-{stage}-events"),
        public_api_url=os.environ.get("PUBLIC_API_URL", ""),
        preview_normalize_queue=os.environ.get("PREVIEW_NORMALIZE_QUEUE", f"reelbase-{stage}-preview-normalize"),
        preview_images_queue=os.environ.get("PREVIEW_IMAGES_QUEUE", f"reelbase-{stage}-preview-images"),
        # The preview sweep (services/previews/sweep.py): a preview whose upload has not come
        # this long after it was announced becomes `missing`; a stage whose worker's lease ran
        # out this long ago is sent again (or broken after its attempts).
        preview_upload_timeout_seconds=_int("PREVIEW_UPLOAD_TIMEOUT_SECONDS", 30 * 60),
        preview_worker_grace_seconds=_int("PREVIEW_WORKER_GRACE_SECONDS", 5 * 60),
        # Long masters (services/previews/segments.py): a movie longer than the threshold is
        # normalized as segments of about this many seconds by parallel Lambdas.
        segments_state_machine_arn=os.environ.get("SEGMENTS_STATE_MACHINE_ARN", ""),
        preview_segment_threshold_seconds=max(1, _int("PREVIEW_SEGMENT_THRESHOLD_SECONDS", 60)),
        preview_segment_seconds=max(1, _int("PREVIEW_SEGMENT_SECONDS", 20)),
        public_web_url=os.environ.get("PUBLIC_WEB_URL", ""),
        build_state_machine_arn=os.environ.get("BUILD_STATE_MACHINE_ARN", ""),
        build_chunk_size=max(1, _int("BUILD_CHUNK_SIZE", 5)),
        # A chunk takes entries past BUILD_CHUNK_SIZE until their movies hold this much, so
        # that its piece reaches S3's smallest copied part (5 MiB) with a margin.
        build_piece_bytes=max(0, _int("BUILD_PIECE_BYTES", 10 * 1024 * 1024)),
        zip_state_machine_arn=os.environ.get("ZIP_STATE_MACHINE_ARN", ""),
        # How long a ZIP request waits for the archive before answering 202: well inside
        # API Gateway's 29 s.
        zip_request_seconds=max(0, _int("ZIP_REQUEST_SECONDS", 20)),
        # SigV4 presigned URLs live at most 7 days; emailed links should last that long.
        email_link_seconds=_int("EMAIL_LINK_SECONDS", 7 * 24 * 3600),
    )
