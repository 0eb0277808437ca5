"""The local stack: moto on its own port, every resource from infra/, the Chalice app
served over HTTP, and workers that feed the real SQS messages to the app's handlers.
`make run` and the tests both use it, so they take the same event and build paths as
the cloud."""
import json
import os
import pathlib
import secrets
import socket
import threading
import time

import requests

from devstack import hooks_for_tests

ROOT = pathlib.Path(__file__).resolve().parents[1]
AWS_CONFIG_FILE = pathlib.Path(__file__).with_name("aws-config")
DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
}


STOP_SECONDS = 5.0  # the whole stack stops within this, whatever requests are in flight


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    """True unless something listens on `port`. The probe binds with SO_REUSEADDR, as the
    servers themselves do, so the TIME_WAIT sockets a stopped stack leaves behind (one per
    connection it closed) do not count as busy and a restart right after a stop works."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class LocalStack:
    def __init__(self, moto_port: int = 5000, api_port: int | None = 8000, stage: str = "dev",
                 extra_env: dict | None = None, short_logs: bool = False):
        self.moto_port = moto_port
        self.api_port = api_port
        self.stage = stage
        self.extra_env = extra_env or {}
        self.short_logs = short_logs  # `make run`: one short line per log event (devstack/logs.py)
        self.moto_url = f"http://127.0.0.1:{moto_port}"
        self.api_url = f"http://127.0.0.1:{api_port}" if api_port else None
        self.app = None
        self.resources = None
        self._moto: _ServedInThread | None = None
        self._api: _ServedInThread | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    # --- start ----------------------------------------------------------------

    def start(self) -> "LocalStack":
        for port in (self.moto_port, self.api_port):
            # Checked first, so that nothing has started when one of them is taken.
            if port and not port_is_free(port):
                raise RuntimeError(f"Port {port} is busy; stop what uses it or pick another port")
        self._set_environment()
        from devstack import moto_atomic
        moto_atomic.install()
        self._start_moto()
        self.app = self._load_app()
        import boto3

        from devstack.provision import provision
        self.resources = provision(boto3.session.Session(), {"Stage": self.stage})
        self._apply_function_environment()
        from devstack import sfn_glue, workers
        if self.short_logs:
            from devstack import logs
            logs.use_short_lines()
        sfn_glue.install(self.app)
        self._threads += workers.start_sqs_workers(self.app, self._stopping)
        self._threads += workers.start_schedules(self.app, self._stopping)
        if hooks_for_tests.wanted():
            hooks_for_tests.install(self.app)
        if self.api_port:
            self._serve_api()
        return self

    def _set_environment(self) -> None:
        os.environ.update(DUMMY_AWS)
        os.environ.pop("AWS_PROFILE", None)  # a profile would name a real account
        os.environ["AWS_CONFIG_FILE"] = str(AWS_CONFIG_FILE)  # moto's S3 wants path-style addressing
        os.environ["AWS_ENDPOINT_URL"] = self.moto_url
        os.environ["MOTO_PORT"] = str(self.moto_port)  # moto's SFN interpreter calls back on this port
        if self.api_url:
            os.environ.setdefault("PUBLIC_API_URL", f"{self.api_url}/api")
        # A signing secret of this run only: none is committed, and tokens of another run
        # (or forged with a published secret) are refused.
        os.environ["JWT_SECRET"] = secrets.token_urlsafe(48)
        os.environ.update(self.extra_env)

    def _start_moto(self) -> None:
        import logging

        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per moto request otherwise

        from devstack.moto_fixes import copy_parts_without_whole_reads, snapshot_touched_items_per_transaction

        snapshot_touched_items_per_transaction()
        copy_parts_without_whole_reads()
        # moto's ThreadedMotoServer, but with a server this stack can close within its stop deadline.
        server = make_server("127.0.0.1", self.moto_port, DomainDispatcherApplication(create_backend_app),
                             threaded=True, request_handler=MotoRequestHandler)
        self._moto = _ServedInThread(server, "moto")
        requests.post(f"{self.moto_url}/moto-api/config", timeout=10, json={
            "stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}})

    def _load_app(self):
        from chalice.config import Config

        config_from_disk = json.loads((ROOT / ".chalice" / "config.json").read_text())
        stage_config = Config(chalice_stage=self.stage, config_from_disk=config_from_disk)
        for key, value in stage_config.environment_variables.items():
            os.environ.setdefault(key, value)
        import app as app_module
        from chalicelib import models
        from chalicelib.config import settings

        settings.cache_clear()
        models.configure()
        self._config = Config(chalice_stage=self.stage, config_from_disk=config_from_disk,
                              user_provided_params={"chalice_app": app_module.app, "project_dir": str(ROOT)})
        return app_module.app

    def _apply_function_environment(self) -> None:
        """What the template gives the functions in the cloud (the state machine's ARN, the
        sender), now that the resources exist; explicit `extra_env` still wins, and a
        setting the template leaves empty (public URLs) keeps the local stack's value."""
        from chalicelib.config import settings

        # One process runs every function here: the API's environment, and what the
        # normalize worker's adds (not the layer's ffmpeg path: imageio-ffmpeg's is used).
        environment = {**self.resources.chalice_environment("NormalizePreview"),
                       **self.resources.chalice_environment()}
        environment.pop("FFMPEG_BINARY", None)
        for name, value in environment.items():
            if name not in self.extra_env and (value or name not in os.environ):
                os.environ[name] = value
        settings.cache_clear()

    def _serve_api(self) -> None:
        from devstack.gateway import create_server

        local_server = create_server(self.app, self._config, "127.0.0.1", self.api_port)
        if self.short_logs:
            from devstack import logs
            logs.short_request_lines(local_server.server, self.app, self._config)
        # socketserver listens with a backlog of 5; bursts of concurrent clients (gazu
        # scripts, the concurrency tests) would see resets on a busy machine.
        local_server.server.socket.listen(128)
        self._api = _ServedInThread(local_server.server, "api")

    # --- inspection and stop ---------------------------------------------------------

    def sent_emails(self) -> list[dict]:
        """Emails sent through SES, as moto recorded them: {id, source, destinations,
        subject, body} (body is the HTML part when there is one)."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import Message, ses_backends

        # Read from moto's backend in this process: /moto-api/data.json would also read
        # the content of every S3 object, which gets slow once movies are stored.
        backend = ses_backends[DEFAULT_ACCOUNT_ID][DUMMY_AWS["AWS_REGION"]]
        return [{"id": m.id, "source": m.source, "destinations": m.destinations, "subject": m.subject,
                 "body": m.body} for m in list(backend.sent_messages) if isinstance(m, Message)]

    def stop(self, seconds: float = STOP_SECONDS) -> None:
        """Stop the API, the workers and moto within `seconds`, whatever is in flight: the
        listening sockets close (the ports are free again), requests still running keep
        only their own connection, and every thread left is a daemon that cannot hold
        the process at exit."""
        deadline = time.monotonic() + seconds
        self._stopping.set()
        if self._api is not None:
            self._api.stop(deadline)
        # Idle workers see the flag within a poll (1 s); busy ones get what is left of the
        # deadline to finish their batch, then are left behind.
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic() - 0.5))
        if self._moto is not None:  # last: the API and the workers call it
            self._moto.stop(deadline)


class _ServedInThread:
    """A socketserver server (Chalice's, or werkzeug's for moto) on a daemon thread."""

    def __init__(self, server, name: str):
        self.server = server
        # socketserver's server_close() waits for every request thread by default: a hung
        # handler would hold the stop (and its ports) forever.
        server.block_on_close = False
        server.daemon_threads = True
        self.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=name,
                                       daemon=True)
        self.thread.start()

    def stop(self, deadline: float) -> None:
        # shutdown() blocks until serve_forever's loop sees it: ask from a side thread, so
        # that the deadline holds even if the loop is wedged.
        threading.Thread(target=self.server.shutdown, name=f"{self.thread.name}-shutdown", daemon=True).start()
        self.thread.join(timeout=max(0.0, deadline - time.monotonic()))
        self.server.server_close()
