"""Real services the fault tests break themselves: a private redis-server on a free port
(stopped with SIGSTOP, killed), and free ports for sinks."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


class PrivateRedis:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.url = f"redis://127.0.0.1:{port}/0"

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


@contextmanager
def private_redis():
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("CI"):
            raise RuntimeError("redis-server is needed by the fault tests")
        pytest.skip("needs redis-server")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield PrivateRedis(process, port)
    finally:
        if process.poll() is None:  # not already killed by the test
            os.kill(process.pid, signal.SIGCONT)
            process.kill()
            process.wait()


def _postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, trust auth, a
    free port), which the test stops and starts under the application's feet."""

    def __init__(self, folder: str, port: int):
        self.folder, self.port = folder, port
        self.data = os.path.join(folder, "data")
        self.url = f"postgres://postgres@127.0.0.1:{port}/faults"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        # initdb and postgres refuse to run as root: as the `postgres` system user then.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command], check=check, capture_output=True, text=True, timeout=120
        )

    def init(self) -> None:
        self._run(_postgres_bin("initdb"), "-D", self.data, "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            _postgres_bin("pg_ctl"), "-D", self.data, "-o", options, "-w", "-t", "60",
            "-l", os.path.join(self.folder, "log"), "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(_postgres_bin("pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self._run(
            _postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-d", database, "-Atc", sql,
        ).stdout  # fmt: skip


@contextmanager
def private_postgres():
    if not _postgres_bin("initdb") or not _postgres_bin("pg_ctl"):
        if os.environ.get("CI"):
            raise RuntimeError("PostgreSQL's initdb and pg_ctl are needed by the fault tests")
        pytest.skip("needs PostgreSQL's server binaries")
    folder = tempfile.mkdtemp(prefix="faults-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PrivatePostgres(folder, free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
