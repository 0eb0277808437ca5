"""The local stack: moto on its own port, every resource from infra/, the Chalice app
served over HTTP, and workers that feed the real SQS messages to the app's handlers.
`make run` and the tests both use it, so they take the same event and build paths as
the cloud."""
import json
import os
import pathlib
import socket
import threading

import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class LocalStack:
    def __init__(self, moto_port: int = 5000, api_port: int | None = 8000, stage: str = "dev",
                 extra_env: dict | None = None):
        self.moto_port = moto_port
        self.api_port = api_port
        self.stage = stage
        self.extra_env = extra_env or {}
        self.moto_url = f"http://127.0.0.1:{moto_port}"
        self.api_url = f"http://127.0.0.1:{api_port}" if api_port else None
        self.app = None
        self.resources = None
        self._moto = None
        self._server = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    # --- start ----------------------------------------------------------------

    def start(self) -> "LocalStack":
        for port in (self.moto_port, self.api_port):
            # ThreadedMotoServer hangs forever on a busy port: check first.
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
        sfn_glue.install(self.app)
        self._threads += workers.start_sqs_workers(self.app, self._stopping)
        if self.api_port:
            self._serve_api()
        return self

    def _set_environment(self) -> None:
        os.environ.update(DUMMY_AWS)
        os.environ["AWS_ENDPOINT_URL"] = self.moto_url
        os.environ["MOTO_PORT"] = str(self.moto_port)  # moto's SFN interpreter calls back on this port
        if self.api_url:
            os.environ.setdefault("PUBLIC_API_URL", f"{self.api_url}/api")
        os.environ.update(self.extra_env)

    def _start_moto(self) -> None:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per moto request otherwise

        from devstack.moto_fixes import snapshot_tables_once_per_transaction

        snapshot_tables_once_per_transaction()
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self._moto.start()
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

        for name, value in self.resources.chalice_environment().items():
            if name not in self.extra_env and (value or name not in os.environ):
                os.environ[name] = value
        settings.cache_clear()

    def _serve_api(self) -> None:
        from chalice.local import create_local_server

        self._server = create_local_server(self.app, self._config, "127.0.0.1", self.api_port)
        thread = threading.Thread(target=self._server.server.serve_forever, name="api", daemon=True)
        thread.start()
        self._threads.append(thread)

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

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.server.shutdown()
            self._server.server.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        if self._moto is not None:
            self._moto.stop()
