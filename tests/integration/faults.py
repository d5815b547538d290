"""Helpers of the fault tests: a private redis-server that can be stopped, and killable workers."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from config.celery_app import app

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server without persistence: stopping it loses every queued task."""

    def __init__(self, port: int):
        self.port = port
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server is not installed")
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


def point_app_at(broker_url: str) -> None:
    """Make this process's Celery app publish to ``broker_url`` (and keep no results).

    Celery reads ``CELERY_BROKER_URL`` from the environment before its own
    configuration, so the variable is set too (``restore_app`` puts it back).
    """
    os.environ["CELERY_BROKER_URL"] = broker_url
    # lower-case keys only: a CELERY_-prefixed key would shadow them for the rest of the session
    app.conf.broker_url = broker_url
    app.conf.result_backend = None
    app.conf.task_always_eager = False
    app.conf.broker_transport_options = {"visibility_timeout": 4}
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend
    app._after_fork()


def restore_app(saved_env: str | None, saved_conf: dict) -> None:
    if saved_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = saved_env
    for key, value in saved_conf.items():
        setattr(app.conf, key, value)
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend
    app._after_fork()


def saved_app_config() -> tuple[str | None, dict]:
    keys = ("broker_url", "result_backend", "task_always_eager", "broker_transport_options")
    values = (
        app.conf.broker_url,
        app.conf.result_backend,
        app.conf.task_always_eager,
        dict(app.conf.broker_transport_options or {}),
    )
    return os.environ.get("CELERY_BROKER_URL"), dict(zip(keys, values, strict=True))


def database_url() -> str:
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{db['PASSWORD']}@", 1)
    return url


class Worker:
    """A Celery worker in its own process group, so SIGKILL takes the pool children down too."""

    def __init__(
        self, *, broker_url: str, mail_dir: Path, log_path: Path, slow_mail_seconds: float = 0, concurrency: int = 2
    ):
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "DJANGO_SETTINGS_MODULE": "tests.integration.fault_settings",
            "SDP_CELERY_EAGER": "0",
            "SDP_TEST_MAIL_DIR": str(mail_dir),
            "SDP_SLOW_MAIL_SECONDS": str(slow_mail_seconds),
        }
        self.concurrency = concurrency
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 40) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-l",
                "info",
                "-c",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"fault-{os.getpid()}-{time.time_ns()}@%h",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self.wait_ready(timeout)
        except Exception:
            self.stop()  # never leave a worker behind
            raise

    def wait_ready(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}")
            try:
                if app.control.ping(timeout=0.5):
                    return
            except Exception:  # broker still coming back
                time.sleep(0.3)
        raise RuntimeError(f"worker did not answer a ping; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: no cleanup, no acks."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
