"""A real gunicorn serving the application with the environment a fault test chooses."""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.faults.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


class Site:
    """A running gunicorn: its address, its master process and its workers."""

    def __init__(self, url: str, process: subprocess.Popen, log: Path):
        self.url, self.process, self.log = url, process, log

    def log_tail(self, lines: int = 40) -> str:
        """The end of gunicorn's own log (errors, workers restarted), for a failure's message."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def workers(self) -> list[int]:
        """The worker processes' ids (children of the master)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found


@contextmanager
def gunicorn_site(workers: int = 1, **environment: str):
    port = free_port()
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", **environment}
    log = Path(tempfile.mkstemp(prefix="faults-gunicorn-", suffix=".log")[1])
    log_file = log.open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "logement_toujours.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    try:
        wait_for_port(port, timeout=60)
        yield Site(f"http://127.0.0.1:{port}", process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log_file.close()
        log.unlink(missing_ok=True)


@contextmanager
def gunicorn(**environment: str):
    with gunicorn_site(**environment) as site:
        yield site.url


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes, float]:
    """Status, headers, body and seconds taken, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return (
                response.status,
                dict(response.headers),
                response.read(),
                time.monotonic() - started,
            )
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read(), time.monotonic() - started


def call(
    method: str, url: str, body: dict | None = None, headers: dict | None = None, timeout=30
) -> tuple[int, bytes, float, float]:
    """Status (0 when the connection failed), body, and when it started and ended
    (time.monotonic)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), started, time.monotonic()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), started, time.monotonic()
    except (OSError, http.client.HTTPException):
        return 0, b"", started, time.monotonic()
