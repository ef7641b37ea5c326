"""A bounded concurrency run (`make bench-load`, also run by `make bench`): gunicorn as in
production (gunicorn.conf.py) on 127.0.0.1, against the benchmark's database, and a small
load generator (threads, one HTTP session each) at 1, 4, 16 and 50 concurrent users on a
mixed load of pages and API calls; then the same while 3 users keep asking for the long
(200 follow-ups) PDF summary, as the page has them: rendered afresh each time by an
`exports` worker started as docker-compose.yml starts it (one process, WORKER_NICENESS 10),
waited for with a look every second, then downloaded. Prints one JSON object: req/s, p50,
p95, p99 and errors per level, how many samples the percentiles come from, and the machine
with its load average at the start and at the end.

Each level runs until it has lasted BENCH_LOAD_SECONDS and made BENCH_LOAD_MIN_SAMPLES
requests (so that p95 and p99 come from 100 samples at least), or until
BENCH_LOAD_MAX_SECONDS, whichever comes first.

Two kinds of users: « levels » ask for their next page as soon as the last one came (no
pause: what the machine serves at most, a stress test), « levels_people » read each page
before the next, a random BENCH_LOAD_THINK_SECONDS (default 1-5 s, as a load generator's
users usually do) — social workers at work — at 4, 16 and 50 of them.

    DATABASE_URL            the benchmark's database (filled by `manage.py bench_data`)
    BENCH_LOAD_SECONDS      minimum seconds per level (default 10)
    BENCH_LOAD_MIN_SAMPLES  minimum requests per level (default 100)
    BENCH_LOAD_MAX_SECONDS  the cap on a level's duration (default 180)
    BENCH_LOAD_USERS        levels, comma-separated (default 1,4,16,50)
    BENCH_LOAD_THINK_SECONDS  the people's pause between pages, « min-max » (default 1-5)
    BENCH_LOAD_PEOPLE       the people's levels (default 4,16,50; empty: none)
    BENCH_EXPORTS_NICENESS  the exports worker's niceness (default 10, as docker-compose.yml)
"""

import contextlib
import json
import math
import os
import random
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
    from households.permissions import HouseholdAction, can
    from logement_toujours.management.commands.bench import Command
    from partners.models import ApiToken, Membership, User

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
    # The long-PDF users: three colleagues of the caseworker who may export the long case.
    exporters = [
        user
        for user in User.objects.filter(
            pk__in=Membership.objects.filter(
                partner=caseworker.partner, role=caseworker.role
            ).values("user")
        )
        .exclude(pk=caseworker.pk)
        .filter(is_active=True)
        .order_by("pk")[:12]
        if can(user, HouseholdAction.EXPORT, household)
    ][:3]
    for user in exporters:
        client = Client()
        client.force_login(user)
        cookies[f"exporter{user.pk}"] = client.cookies["sessionid"].value
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
        "household": household.pk,
        "exporters": [user.pk for user in exporters],
        "pdf_ask": reverse("households:summary_export", args=[household.pk]),
        "pdf_download": reverse("households:summary_download", args=[household.pk]),
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


def start_exports_worker() -> subprocess.Popen:
    """The `exports` pool as docker-compose.yml runs it: one process, below the web's
    priority (WORKER_NICENESS), on the same broker as the web."""
    env = {**os.environ, "WORKER_NICENESS": os.environ.get("BENCH_EXPORTS_NICENESS", "10")}
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/celery"),
            "-A",
            "logement_toujours",
            "worker",
            "--queues=exports",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--hostname=bench-exports@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def session_for(who: str, fx: dict) -> requests.Session:
    session = requests.Session()
    if who == "token":
        session.headers["Authorization"] = f"Token {fx['token']}"
    else:
        session.cookies.set("sessionid", fx["cookies"][who])
    return session


def nearest_rank(ordered: list[float], p: float) -> tuple[float, int]:
    """The p-th percentile by the nearest rank, and that rank (1-based)."""
    rank = min(len(ordered), max(1, math.ceil(p * len(ordered))))
    return round(ordered[rank - 1], 1), rank


def run_level(
    base: str,
    fx: dict,
    users: int,
    seconds: float,
    pdf_users: int = 0,
    *,
    min_samples: int = 0,
    max_seconds: float | None = None,
    think: tuple[float, float] | None = None,
) -> dict:
    """`users` users in turn over the mixed load until the level has lasted `seconds` and
    made `min_samples` requests, or until `max_seconds`; with `think`, each pauses between
    pages a random time within those seconds."""
    latencies: list[float] = []
    errors = [0]
    kinds: dict[str, int] = {}  # what each error was: its status or exception, and the page
    pdfs: list[float] = []
    lock = threading.Lock()
    began = time.perf_counter()
    at_least = began + seconds
    cap = began + max(seconds, max_seconds or seconds)
    done = threading.Event()

    def over() -> bool:
        if done.is_set():
            return True
        now = time.perf_counter()
        if now >= cap or (now >= at_least and len(latencies) >= min_samples):
            done.set()
        return done.is_set()

    def user(index: int) -> None:
        sessions = {who: session_for(who, fx) for who in ("caseworker", "coordinator", "token")}
        if think:
            # A page read for seconds outlasts the server's keep-alive (gunicorn.conf.py): each
            # page comes on a new connection, as a browser's would after such a pause.
            for session in sessions.values():
                session.headers["Connection"] = "close"
        step = index
        pauses = random.Random(index)
        if think:  # people do not all arrive in the same second
            done.wait(pauses.uniform(0, think[1]))
        while not over():
            who, path = fx["mixed"][step % len(fx["mixed"])]
            step += 1
            started = time.perf_counter()
            try:
                status = sessions[who].get(base + path, timeout=30).status_code
                what = None if status == 200 else f"{status} {path}"
            except requests.RequestException as error:
                what = f"{type(error).__name__} {path}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if what:
                    errors[0] += 1
                    kinds[what] = kinds.get(what, 0) + 1
            if think:
                done.wait(pauses.uniform(*think))

    def pdf_user(index: int) -> None:
        """One of the long-PDF users, as the page has them: asks for the summary (its
        rendering is queued for the `exports` worker), waits for it as the page's htmx does
        (a look every second), downloads it, then asks again. The file kept from the last
        time is removed first: each summary is rendered afresh, the worst case."""
        from django.db import connection

        from cases.exports import summary_file, summary_key
        from households.models import Household
        from partners.models import User

        exporter = User.objects.get(pk=fx["exporters"][index])
        session = session_for(f"exporter{exporter.pk}", fx)
        params = {"version": "interne"}
        try:
            while not done.is_set():
                household = Household.objects.get(pk=fx["household"])
                key = summary_key(household, exporter, params["version"])
                summary_file(household.pk, key).unlink(missing_ok=True)
                started = time.perf_counter()
                with contextlib.suppress(requests.RequestException):
                    ready = (
                        "Télécharger"
                        in session.get(base + fx["pdf_ask"], params=params, timeout=30).text
                    )
                    while not ready and not done.wait(1):
                        ready = (
                            "Télécharger"
                            in session.get(
                                base + fx["pdf_ask"],
                                params=params,
                                headers={"HX-Request": "true"},
                                timeout=30,
                            ).text
                        )
                    if ready:
                        session.get(base + fx["pdf_download"], params=params, timeout=30)
                        with lock:
                            pdfs.append((time.perf_counter() - started) * 1000)
        finally:
            connection.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    threads += [threading.Thread(target=pdf_user, args=(i,)) for i in range(pdf_users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ordered = sorted(latencies) or [0.0]
    p95, p95_rank = nearest_rank(ordered, 0.95)
    p99, p99_rank = nearest_rank(ordered, 0.99)
    result = {
        "users": users,
        "seconds": round(wall, 1),
        "requests": len(latencies),
        "req_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": p95,
        "p99_ms": p99,
        # The percentiles' samples: p95 is the p95_rank-th of `samples` latencies, sorted.
        "samples": len(latencies),
        "p95_rank": p95_rank,
        "p99_rank": p99_rank,
        "enough_samples": len(latencies) >= max(min_samples, 100),
        "errors": errors[0],
        "error_kinds": kinds,
    }
    if think:
        result["think_seconds"] = list(think)
    if pdf_users:
        result["pdf_users"] = pdf_users
        result["pdfs"] = len(pdfs)
        # From asking to the file downloaded, rendering by the `exports` worker included.
        result["pdf_p50_ms"] = round(statistics.median(pdfs), 1) if pdfs else None
    return result


def main() -> None:
    fx = fixtures()
    from logement_toujours.management.commands.bench import load_average, machine

    at_start = machine()
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", 10))
    min_samples = int(os.environ.get("BENCH_LOAD_MIN_SAMPLES", 100))
    max_seconds = float(os.environ.get("BENCH_LOAD_MAX_SECONDS", 180))
    levels = [int(n) for n in os.environ.get("BENCH_LOAD_USERS", "1,4,16,50").split(",") if n]
    people = [int(n) for n in os.environ.get("BENCH_LOAD_PEOPLE", "4,16,50").split(",") if n]
    low, high = (float(n) for n in os.environ.get("BENCH_LOAD_THINK_SECONDS", "1-5").split("-"))
    bounds = {"min_samples": min_samples, "max_seconds": max_seconds}
    port = free_port()
    server = start_gunicorn(port)
    worker = start_exports_worker()
    base = f"http://127.0.0.1:{port}"
    try:
        run_level(base, fx, 2, 2)  # warm-up: every process has its connection and templates
        plain = [run_level(base, fx, users, seconds, **bounds) for users in levels]
        with_pdfs = [run_level(base, fx, users, seconds, pdf_users=3, **bounds) for users in levels]
        reading = [run_level(base, fx, n, seconds, think=(low, high), **bounds) for n in people]
        reading_with_pdfs = [
            run_level(base, fx, n, seconds, pdf_users=3, think=(low, high), **bounds)
            for n in people
        ]
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
    print(
        json.dumps(
            {
                "gunicorn": "gunicorn.conf.py (gthread), bound to 127.0.0.1",
                "machine": at_start,
                "load_average_at_start": at_start["load_average"],
                "load_average_at_end": load_average(),
                "min_seconds_per_level": seconds,
                "min_samples_per_level": min_samples,
                "max_seconds_per_level": max_seconds,
                "mixed": [path for _, path in fx["mixed"]],
                "levels": plain,
                "levels_with_3_long_pdfs": with_pdfs,
                "levels_people": reading,
                "levels_people_with_3_long_pdfs": reading_with_pdfs,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
