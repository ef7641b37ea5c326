"""A live site (gunicorn with two workers, production settings) on a PostgreSQL and a Redis
of its own, under a load of API writes, each sent again with its Idempotency-Key until it is
answered, as a careful client does: PostgreSQL stopped under load and restarted while idle,
a worker killed while saving, Redis killed, and the same write sent many times at once.

Counted (and printed at the end of the run, tests/faults/conftest.py): writes attempted,
writes lost (answered 201 but not in the database), duplicates, and 5xx answers outside the
outage window. Inside it, the only 5xx is a French 503."""

import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.faults.server import call, gunicorn_site
from tests.faults.services import _postgres_bin, private_postgres, private_redis

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
# After the database answers again, a worker's next request may still find the old
# connection's error; the health check reconnects, so this is short.
GRACE = 1.0

# django_db: so that pytest-django sets up the test database this module copies.
pytestmark = [pytest.mark.broker, pytest.mark.django_db]


class Load:
    """Writers that create households through the API, each write retried with its key."""

    def __init__(self, site, token: str, prefix: str):
        self.site, self.token, self.prefix = site, token, prefix
        self.calls: list[tuple[int, float, float]] = []
        self.names: list[str] = []
        self.answered: set[str] = set()
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def write(self, name: str, give_up: float) -> None:
        self.names.append(name)
        while True:
            status, _body, started, ended = call(
                "POST",
                f"{self.site.url}/api/households/",
                {"name": name, "housing_status": "applicant", "city": "Échirolles"},
                {"Authorization": f"Token {self.token}", "Idempotency-Key": name},
                timeout=30,
            )
            self.calls.append((status, started, ended))
            if status == 201:
                self.answered.add(name)
                return
            if time.monotonic() > give_up:
                return
            time.sleep(0.1)

    def writer(self, number: int) -> None:
        count = 0
        while not self.stop.is_set():
            count += 1
            self.write(f"{self.prefix}-{number}-{count} « é »", give_up=time.monotonic() + 40)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.writer, args=(n,)) for n in range(WRITERS)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def figures(self, live, window: tuple[float, float] | None = None) -> dict:
        rows = live.rows(self.prefix)
        outside = [
            (status, started, ended)
            for status, started, ended in self.calls
            if status >= 500
            and (window is None or ended < window[0] or started > window[1] + GRACE)
        ]
        return {
            "attempted": len(self.names),
            "answered": len(self.answered),
            "lost": len([name for name in self.answered if rows.get(name, 0) == 0]),
            "duplicates": sum(count - 1 for count in rows.values() if count > 1),
            "outside_5xx": len(outside),
            "statuses": Counter(status for status, _, _ in self.calls),
        }


class Live:
    def __init__(self, site, postgres, redis, people: dict):
        self.site, self.postgres, self.redis, self.people = site, postgres, redis, people

    def rows(self, prefix: str) -> dict[str, int]:
        out = self.postgres.psql(
            "SELECT name || chr(9) || count(*) FROM households_household "
            f"WHERE name LIKE '{prefix}-%' GROUP BY name",
            database="faults",
        )
        return {name: int(count) for name, count in (line.split("\t") for line in out.splitlines())}

    def headers(self, who: str = "cesf") -> dict:
        return {"Authorization": f"Token {self.people[who]}"}


def pytest_database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker):
    """The test database (migrated by pytest-django) copied into a private PostgreSQL, a
    private Redis, and gunicorn on both."""
    with django_db_blocker.unblock():
        source = pytest_database_url()
    with private_postgres() as postgres, private_redis() as redis:
        postgres.psql("CREATE DATABASE faults")
        dump = subprocess.run(
            [_postgres_bin("pg_dump"), "-Fc", "--no-owner", "-d", source],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(
            [_postgres_bin("pg_restore"), "--no-owner", "-d", postgres.url],
            input=dump,
            check=True,
            capture_output=True,
        )
        environment = {
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "DATABASE_CONN_MAX_AGE": "60",
            "API_RATE_LIMIT": "100000/minute",
        }
        setup = subprocess.run(
            [
                str(ROOT / ".venv/bin/python"),
                "manage.py",
                "shell",
                "-c",
                "from tests.faults.live_setup import main; main()",
            ],
            cwd=ROOT,
            env={**os.environ, **environment},
            check=True,
            capture_output=True,
            text=True,
        )
        people = json.loads(setup.stdout.strip().splitlines()[-1])
        with gunicorn_site(workers=2, **environment) as site:
            live = Live(site, postgres, redis, people)
            warm_up(live)
            yield live


def warm_up(live) -> None:
    """Each worker's first write loads what Django loads lazily: seconds on a busy machine,
    not part of any fault."""
    for round_ in range(3):
        threads = [
            threading.Thread(
                target=call,
                args=("POST", f"{live.site.url}/api/households/"),
                kwargs={
                    "body": {"name": f"chauffe-{round_}-{n}", "housing_status": "applicant"},
                    "headers": live.headers(),
                    "timeout": 120,
                },
            )
            for n in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def test_postgresql_stopped_under_load(live, figures):
    with Load(live.site, live.people["cesf"], "arret") as load:
        time.sleep(1.5)
        outage_started = time.monotonic()
        live.postgres.stop("fast")
        status, body, _, _ = call("GET", f"{live.site.url}/sante/", timeout=10)
        api_status, api_body, _, _ = call(
            "GET", f"{live.site.url}/api/households/", headers=live.headers(), timeout=10
        )
        time.sleep(2)
        live.postgres.start()
        outage_ended = time.monotonic()
        time.sleep(2)
    counted = load.figures(live, (outage_started, outage_ended))
    assert status == 503, live.site.log_tail()
    assert json.loads(body)["database"] == "indisponible"
    assert api_status == 503 and "base de données" in json.loads(api_body)["detail"]
    figures.add("PostgreSQL stopped under load", **counted)
    print(f"\nPostgreSQL stopped under load: {counted}")
    assert counted["attempted"] > 0
    assert counted["answered"] == counted["attempted"]  # every write got through in the end
    assert counted["lost"] == counted["duplicates"] == counted["outside_5xx"] == 0
    # Inside the outage, the answer is the French 503, never a 500.
    assert not {s for s in counted["statuses"] if s >= 500} - {503}


def test_postgresql_restarted_while_idle(live, figures):
    call("GET", f"{live.site.url}/api/households/", headers=live.headers())
    live.postgres.stop("fast")
    live.postgres.start()
    statuses = [
        call("GET", f"{live.site.url}/api/households/", headers=live.headers())[0] for _ in range(8)
    ]
    figures.add("PostgreSQL restarted while idle", outside_5xx=sum(s >= 500 for s in statuses))
    assert statuses == [200] * 8


def test_a_worker_killed_while_saving(live, figures):
    with Load(live.site, live.people["cesf"], "tue") as load:
        time.sleep(1)
        for worker in live.site.workers():
            os.kill(worker, signal.SIGKILL)  # whatever it was writing
            time.sleep(0.7)
        time.sleep(1.5)
    counted = load.figures(live)
    figures.add("gunicorn worker killed while saving", **counted)
    print(f"\nWorker killed while saving: {counted}")
    assert counted["attempted"] > 0 and counted["answered"] == counted["attempted"]
    assert counted["lost"] == counted["duplicates"] == counted["outside_5xx"] == 0


def test_the_same_write_sent_ten_times_at_once_is_made_once(live, figures):
    start = threading.Barrier(10)
    answers = []

    def send():
        start.wait()
        answers.append(
            call(
                "POST",
                f"{live.site.url}/api/households/",
                {"name": "double-1 Ménage « Ævar »", "housing_status": "applicant"},
                {**live.headers(), "Idempotency-Key": "double-clic-42"},
            )
        )

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = live.rows("double")
    figures.add(
        "the same API write ten times at once",
        attempted=10,
        duplicates=sum(rows.values()) - 1,
        outside_5xx=sum(a[0] >= 500 for a in answers),
    )
    assert rows == {"double-1 Ménage « Ævar »": 1}
    assert [a[0] for a in answers] == [201] * 10
    assert len({a[1] for a in answers}) == 1  # the same answer, ten times


def test_a_form_sent_ten_times_at_once_with_its_one_time_token_is_stored_once(live, figures):
    cookie = live.people["session"]
    page = urllib.request.urlopen(
        urllib.request.Request(f"{live.site.url}/menages/nouveau/", headers={"Cookie": cookie}),
        timeout=60,
    )
    html = page.read().decode()
    csrf = re.search(rf"{live.people['csrf_cookie']}=([^;]+)", page.headers["Set-Cookie"])[1]
    # The household's form (the page has others: search, sign out).
    [form_html] = [f for f in html.split("<form")[1:] if 'name="housing_status"' in f]
    middleware_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_html)[1]
    submit_token = re.search(r'name="submit_token" value="([0-9a-f]{32})"', form_html)[1]
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": middleware_token,
            "submit_token": submit_token,
            "name": "formulaire-1 Ménage « Ōsaka » 🏠",
            "housing_status": "applicant",
            "landlord": "",
            "address": "3 rue du Drac",
            "postcode": "38000",
            "city": "Grenoble",
            "contact_phone": "",
            "contact_email": "",
            "consent_given_on": time.strftime("%Y-%m-%d"),
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        }
    )
    start = threading.Barrier(10)
    answers = []

    def send():
        connection = http.client.HTTPConnection(live.site.url.removeprefix("http://"), timeout=60)
        start.wait()
        connection.request(
            "POST",
            "/menages/nouveau/",
            body=form,
            headers={
                "Cookie": f"{cookie}; {live.people['csrf_cookie']}={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        answers.append((response.status, response.getheader("Location")))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = live.rows("formulaire")
    figures.add(
        "a form sent ten times at once with its one-time token",
        attempted=10,
        duplicates=sum(rows.values()) - 1,
        outside_5xx=sum(status >= 500 for status, _ in answers),
    )
    assert rows == {"formulaire-1 Ménage « Ōsaka » 🏠": 1}
    assert [status for status, _ in answers] == [302] * 10
    assert len({location for _, location in answers}) == 1  # the same household's page


def test_the_same_side_answering_a_codecision_ten_times_at_once_is_stored_once(live, figures):
    start = threading.Barrier(10)
    answers = []
    codecision = live.people["codecision"]

    def send():
        start.wait()
        answers.append(
            call(
                "POST",
                f"{live.site.url}/api/codecisions/{codecision}/approve/",
                {"comment": "Accord du bailleur 👍"},
                live.headers(),
            )[0]
        )

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = int(
        live.postgres.psql(
            f"SELECT count(*) FROM codecision_codecisionanswer WHERE codecision_id = {codecision}",
            database="faults",
        )
    )
    figures.add(
        "one co-decision answered ten times at once by the same side",
        attempted=10,
        duplicates=stored - 1,
        outside_5xx=sum(status >= 500 for status in answers),
    )
    assert stored == 1
    assert sorted(answers) == [200] + [400] * 9


def test_redis_frozen_under_load(live, figures):
    """Alive but answering nothing (SIGSTOP): the rate counters and the broker wait at most
    their socket timeouts, then the write goes on."""
    with Load(live.site, live.people["cesf"], "gel") as load:
        time.sleep(1)
        frozen_at = time.monotonic()
        live.redis.freeze()
        try:
            health, body, started, ended = call("GET", f"{live.site.url}/sante/")
            time.sleep(3)
        finally:
            thawed_at = time.monotonic()
            live.redis.thaw()
        time.sleep(1)
    counted = load.figures(live)
    during = [
        ended - started for _, started, ended in load.calls if frozen_at <= started < thawed_at
    ]
    slowest = max([*during, ended - started])
    figures.add("Redis frozen (SIGSTOP) under load", frozen_seconds=slowest, **counted)
    print(
        f"\nRedis frozen under load: {counted}, slowest request while frozen: {slowest:.2f} s "
        f"(health check {ended - started:.2f} s, writes {sorted(round(d, 2) for d in during)})"
    )
    assert health == 503 and json.loads(body)["broker"] == "indisponible"
    assert during and counted["answered"] == counted["attempted"]
    assert counted["lost"] == counted["duplicates"] == counted["outside_5xx"] == 0
    assert slowest < 3


def test_redis_killed_under_load(live, figures):
    with Load(live.site, live.people["cesf"], "redis") as load:
        time.sleep(1)
        killed_at = time.monotonic()
        live.redis.process.kill()
        live.redis.process.wait()
        health, body, _, _ = call("GET", f"{live.site.url}/sante/")
        time.sleep(2)
    counted = load.figures(live)
    slowest = max(ended - started for _, started, ended in load.calls if started >= killed_at)
    figures.add("Redis killed under load", **counted)
    print(f"\nRedis killed under load: {counted}, slowest write after: {slowest:.2f} s")
    assert health == 503 and json.loads(body)["broker"] == "indisponible"
    assert counted["answered"] == counted["attempted"]
    assert counted["lost"] == counted["duplicates"] == counted["outside_5xx"] == 0
    assert slowest < 3
