"""A bounded concurrency run (`make bench-load`, also run by `make bench`): gunicorn as in
production (gunicorn.conf.py) on 127.0.0.1, against the benchmark's database, and a small
load generator (threads, one HTTP session each) at 1, 4, 16 and 50 concurrent users on a
mixed load of pages and API calls; then the same while 3 users keep asking for the long
(200 follow-ups) PDF summary. Prints one JSON object: req/s, p50, p95, p99 and errors per
level.

    DATABASE_URL         the benchmark's database (filled by `manage.py bench_data`)
    BENCH_LOAD_SECONDS   seconds per level (default 10)
    BENCH_LOAD_USERS     levels, comma-separated (default 1,4,16,50)
"""

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import django
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logement_toujours.settings")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fixtures() -> dict:
    """A signed-in session of the benchmark's caseworker and coordinator, an API token, and
    the addresses of the mixed load."""
    django.setup()
    from django.test import Client
    from django.urls import reverse

    from households.models import Household
    from logement_toujours.management.commands.bench import Command
    from partners.models import ApiToken, User

    caseworker = User.objects.get(username="bench.caseworker")
    coordinator = User.objects.get(username="bench.coordinator")
    household = Household.objects.get(reference="LT-2026-BENCH")
    cookies = {}
    for name, user in (("caseworker", caseworker), ("coordinator", coordinator)):
        client = Client()
        client.force_login(user)
        Command().give_second_factor(client, user)
        cookies[name] = client.cookies["sessionid"].value
    token = ApiToken.objects.create_for(user=caseworker, name="charge")[1]
    return {
        "cookies": cookies,
        "token": token,
        "mixed": [
            ("caseworker", reverse("households:list")),
            ("caseworker", reverse("households:list") + "?q=martin"),
            ("caseworker", reverse("households:detail", args=[household.pk])),
            ("coordinator", reverse("actions:measure_overview")),
            ("caseworker", reverse("notifications:list")),
            ("token", reverse("api:household-list")),
        ],
        "pdf": ("caseworker", reverse("households:summary_pdf", args=[household.pk])),
    }


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "DEBUG": "false"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "logement_toujours.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            requests.get(f"http://127.0.0.1:{port}/sante/", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    server.wait(timeout=30)
    raise SystemExit("gunicorn did not start")


def session_for(who: str, fx: dict) -> requests.Session:
    session = requests.Session()
    if who == "token":
        session.headers["Authorization"] = f"Token {fx['token']}"
    else:
        session.cookies.set("sessionid", fx["cookies"][who])
    return session


def run_level(base: str, fx: dict, users: int, seconds: float, pdf_users: int = 0) -> dict:
    latencies: list[float] = []
    errors = [0]
    pdfs: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user(index: int) -> None:
        sessions = {who: session_for(who, fx) for who in ("caseworker", "coordinator", "token")}
        step = index
        while time.perf_counter() < stop:
            who, path = fx["mixed"][step % len(fx["mixed"])]
            step += 1
            started = time.perf_counter()
            try:
                ok = sessions[who].get(base + path, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    def pdf_user() -> None:
        session = session_for(fx["pdf"][0], fx)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            with contextlib.suppress(requests.RequestException):
                session.get(base + fx["pdf"][1], params={"version": "interne"}, timeout=60)
            pdfs.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    threads += [threading.Thread(target=pdf_user) for _ in range(pdf_users)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    result = {
        "users": users,
        "requests": len(latencies),
        "req_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": errors[0],
    }
    if pdf_users:
        result["pdf_users"] = pdf_users
        result["pdfs"] = len(pdfs)
        result["pdf_p50_ms"] = round(statistics.median(pdfs), 1) if pdfs else None
    return result


def main() -> None:
    fx = fixtures()
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", 10))
    levels = [int(n) for n in os.environ.get("BENCH_LOAD_USERS", "1,4,16,50").split(",")]
    port = free_port()
    server = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    try:
        run_level(base, fx, 2, 2)  # warm-up: every process has its connection and templates
        plain = [run_level(base, fx, users, seconds) for users in levels]
        with_pdfs = [run_level(base, fx, users, seconds, pdf_users=3) for users in levels]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "gunicorn": "gunicorn.conf.py (gthread), bound to 127.0.0.1",
                "seconds_per_level": seconds,
                "load_average": os.getloadavg(),
                "mixed": [path for _, path in fx["mixed"]],
                "levels": plain,
                "levels_with_3_long_pdfs": with_pdfs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
