"""Measure the pages, API lists, PDF and reminder sweep on the data of `bench_data`.

Each page is requested repeatedly through Django's test client, in this process, against the
configured database (PostgreSQL for figures that mean anything); the time is the server-side
time of the whole request (middleware, access layer, queries, template). Each list is
compared with its floor: the same rows fetched by the plainest hand-written SQL query.
Prints one JSON object.
"""

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from actions.models import Action, FollowUp, SupportMeasure
from funding.models import LedgerEntry
from households.models import Diagnostic, Household, HouseholdGroupObjectPermission
from partners.models import ApiToken, Partner, User

TARGET_P95_MS = 100
TARGET_RATIO = 3
TARGET_PDF_MS = 1000
TARGET_SWEEP_S = 60


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and p99 by the nearest rank (p95 of 100 samples is the 95th, not the 99th);
    with fewer than 100 samples the p99 is the largest."""
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))], 2)

    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "samples": len(ordered),
    }


class Command(BaseCommand):
    help = "Mesure les pages, l'API, le PDF et le balayage des rappels (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--skip-sweep", action="store_true")

    def handle(self, *args, repeat: int, skip_sweep: bool, **options):
        try:
            self.caseworker = User.objects.get(username="bench.caseworker")
            self.coordinator = User.objects.get(username="bench.coordinator")
        except User.DoesNotExist as error:
            raise CommandError("Lancez d'abord : manage.py bench_data") from error
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            self.run(repeat=repeat, skip_sweep=skip_sweep)
        finally:
            settings.DEBUG = debug

    def run(self, *, repeat: int, skip_sweep: bool) -> None:
        self.repeat = repeat
        self.association = Partner.objects.get(short_name="bench-a01")
        self.bench_household = Household.objects.get(reference="LT-2026-BENCH")
        visible = Household.objects.visible_to(self.caseworker)
        some = visible.order_by("pk")[len(visible) // 2 :].first()
        results = {
            "machine": self.machine(),
            "data": self.data_sizes(),
            "caseworker_sees": visible.count(),
        }
        lists = results["lists"] = {}
        client = Client()
        client.force_login(self.caseworker)
        list_url = reverse("households:list")
        group = [
            self.association.group_id,
            Permission.objects.get(
                codename="view_household", content_type__app_label="households"
            ).pk,
        ]
        floor_visible = (
            "SELECT h.id, h.reference, h.name, h.housing_status, h.city, l.name "
            "FROM households_household h LEFT JOIN partners_partner l ON l.id = h.landlord_id "
            "WHERE EXISTS (SELECT 1 FROM households_householdgroupobjectpermission p "
            "WHERE p.content_object_id = h.id AND p.group_id = %s AND p.permission_id = %s) "
            "{extra} "
            "ORDER BY h.updated_at DESC, h.id DESC LIMIT 50 OFFSET {offset}"
        )
        lists["households_first_page"] = self.compare(
            client, list_url, floor_visible.format(extra="", offset=0), group
        )
        lists["households_filtered_page"] = self.compare(
            client,
            list_url + "?housing_status=tenant",
            floor_visible.format(extra="AND h.housing_status = 'tenant'", offset=0),
            group,
        )
        name = some.name
        in_members = "= ANY(ARRAY" if connection.vendor == "postgresql" else "IN ("
        name_sql = (
            "AND (UPPER(h.reference) LIKE UPPER(%s) OR UPPER(h.name) LIKE UPPER(%s) "
            f"OR h.id {in_members}(SELECT m.household_id FROM households_householdmember m "
            "WHERE UPPER(m.last_name) LIKE UPPER(%s) OR UPPER(m.first_name) LIKE UPPER(%s))))"
        )
        lists["households_search_name"] = self.compare(
            client,
            list_url + f"?q={name}",
            floor_visible.format(extra=name_sql, offset=0),
            group + [f"%{name}%"] * 4,
        )
        lists["households_search_reference"] = self.compare(
            client,
            list_url + f"?q={some.reference}",
            floor_visible.format(extra=name_sql, offset=0),
            group + [f"%{some.reference}%"] * 4,
        )
        lists["household_page_200_follow_ups"] = self.compare(
            client,
            reverse("households:detail", args=[self.bench_household.pk]),
            "SELECT f.id, f.happened_on, f.kind, f.summary, f.author_id "
            "FROM actions_followup f WHERE f.household_id = %s "
            "AND (NOT f.confidential OR f.author_partner_id = %s) "
            "ORDER BY f.happened_on DESC, f.id DESC",
            [self.bench_household.pk, self.association.pk],
        )
        measure = SupportMeasure.objects.filter(action__household=self.bench_household).first()
        lists["measure_page_200_follow_ups"] = self.compare(
            client,
            self.url("actions:measure_detail", measure.pk),
            "SELECT f.id, f.happened_on, f.kind, f.summary, f.author_id "
            "FROM actions_followup f WHERE f.measure_id = %s "
            "AND (NOT f.confidential OR f.author_partner_id = %s) "
            "ORDER BY f.happened_on DESC, f.id DESC",
            [measure.pk, self.association.pk],
        )
        coordinator_client = Client()
        coordinator_client.force_login(self.coordinator)
        self.give_second_factor(coordinator_client, self.coordinator)
        lists["coordinator_active_measures"] = self.compare(
            coordinator_client,
            self.url("actions:measure_overview"),
            "SELECT m.id, m.starts_on, m.ends_on, m.renewal_count, h.reference, h.name, "
            "a.kind, p.name, u.last_name FROM actions_supportmeasure m "
            "JOIN actions_action a ON a.id = m.action_id "
            "JOIN households_household h ON h.id = a.household_id "
            "JOIN partners_partner p ON p.id = a.association_id "
            "JOIN partners_user u ON u.id = m.referent_id "
            "WHERE m.status = 'active' ORDER BY m.ends_on, m.id LIMIT 50",
            [],
        )
        lists["api_households"] = self.api_list(floor_visible.format(extra="", offset=0), group)
        # What any request costs before a page does its own work: the health check (one
        # `SELECT 1`, no session) and the smallest page (session, user, partner, header).
        results["request_cost"] = {
            "health_check": self.time_request(Client(), self.url("health")),
            "profile_page": self.time_request(client, self.url("profile")),
        }
        results["pdf"] = self.pdf(client, visible)
        if not skip_sweep:
            results["sweep"] = self.sweep()
        results["targets"] = self.verdicts(results)
        self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))

    # --- helpers ------------------------------------------------------------------------

    def give_second_factor(self, client: Client, user) -> None:
        """Coordinators give a second factor: the session is verified as after a login."""
        from django_otp import DEVICE_ID_SESSION_KEY

        from partners import second_factor

        session = client.session
        session[DEVICE_ID_SESSION_KEY] = second_factor.demo_device(user).persistent_id
        session.save()

    def url(self, name: str, *args) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    def time_request(self, client: Client, url: str, **headers) -> dict:
        samples, statuses = [], set()
        for index in range(self.repeat + 3):
            reset_queries()
            started = time.perf_counter()
            response = client.get(url, **headers)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status_code)
            if index >= 3:
                samples.append(elapsed)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **headers)
        return {**percentiles(samples), "status": sorted(statuses), "queries": len(queries)}

    def time_sql(self, sql: str, params: list) -> dict:
        samples = []
        rows = 0
        with connection.cursor() as cursor:
            for index in range(self.repeat + 3):
                started = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                if index >= 3:
                    samples.append((time.perf_counter() - started) * 1000)
        return {**percentiles(samples), "rows": rows}

    def compare(self, client: Client, url: str | None, sql: str, params: list) -> dict:
        if url is None:
            return {"absent": "cette page n'existe pas encore"}
        page = self.time_request(client, url)
        floor = self.time_sql(sql, params)
        return {
            "url": url,
            "page": page,
            "floor": floor,
            "ratio_p50": round(page["p50_ms"] / max(floor["p50_ms"], 0.01), 1),
        }

    def api_list(self, floor_sql: str, group: list[int]) -> dict:
        url = self.url("api:household-list")
        if url is None:
            return {"absent": "l'API des ménages n'existe pas encore"}
        secret = ApiToken.objects.create_for(user=self.caseworker, name="mesure")[1]
        client = Client()
        page = self.time_request(client, url, HTTP_AUTHORIZATION=f"Token {secret}")
        floor = self.time_sql(floor_sql, group)
        return {
            "url": url,
            "page": page,
            "floor": floor,
            "ratio_p50": round(page["p50_ms"] / max(floor["p50_ms"], 0.01), 1),
        }

    def pdf(self, client: Client, visible) -> dict:
        """The PDF of a typical household (the caseworker's household whose number of
        follow-ups is the median of its caseload) and of the 200-follow-up case."""
        counts = sorted(
            FollowUp.objects.filter(household__in=visible.values("pk"))
            .values("household")
            .annotate(n=Count("pk"))
            .values_list("n", "household")
        )
        median_count, typical = counts[len(counts) // 2] if counts else (0, None)
        results = {}
        saved, self.repeat = self.repeat, min(self.repeat, 10)
        try:
            for name, pk, follow_ups in (
                ("typical", typical, median_count),
                ("200_follow_ups", self.bench_household.pk, 200),
            ):
                url = self.url("households:summary_pdf", pk) if pk else None
                if url is None:
                    results[name] = {"absent": "pas d'export PDF"}
                    continue
                timed = self.time_request(client, url)
                results[name] = {"url": url, "follow_ups": follow_ups, **timed}
        finally:
            self.repeat = saved
        return results

    def sweep(self) -> dict:
        """Run the daily sweep twice in a fresh process (DEBUG off, as in production): time,
        peak memory, idempotence. Memory is read from /proc: the resident set before, its
        high-water mark, reset just before the sweep (getrusage would report the parent
        process's peak, inherited across exec), and the resident set after the first and
        the last batch of notifications: equal when memory stays flat."""
        code = (
            "import json, time\n"
            "from datetime import timedelta\n"
            "from aiosmtpd.controller import Controller\n"
            "class Sink:\n"
            "    count = 0\n"
            "    async def handle_DATA(self, server, session, envelope):\n"
            "        Sink.count += 1\n"
            "        return '250 OK'\n"
            "import os, socket\n"
            "probe = socket.socket(); probe.bind(('127.0.0.1', 0))\n"
            "port = probe.getsockname()[1]; probe.close()\n"
            "sink = Controller(Sink(), hostname='127.0.0.1', port=port)\n"
            "sink.start()\n"
            "os.environ['EMAIL_PORT'] = str(port)\n"
            "import django; django.setup()\n"
            "from django.conf import settings\n"
            "settings.EMAIL_PORT = int(os.environ['EMAIL_PORT'])\n"
            "from actions.models import SupportMeasure\n"
            "from notifications.models import Notification\n"
            "from notifications.sweep import sweep\n"
            "def status(field):\n"
            "    for line in open('/proc/self/status'):\n"
            "        if line.startswith(field + ':'):\n"
            "            return int(line.split()[1]) / 1024\n"
            "from notifications import services\n"
            "batches, email_soon = [], services._email_soon\n"
            "def watched(batch):\n"
            "    email_soon(batch)\n"
            "    batches.append(status('VmRSS'))\n"
            "services._email_soon = watched\n"
            "active = SupportMeasure.objects.active().count()\n"
            "before = status('VmRSS')\n"
            "open('/proc/self/clear_refs', 'w').write('5')\n"
            "t = time.perf_counter(); first = sweep(); t1 = time.perf_counter() - t\n"
            "peak = status('VmHWM')\n"
            "t = time.perf_counter(); second = sweep(); t2 = time.perf_counter() - t\n"
            "digests = Notification.objects.filter(kind=services.DIGEST_KIND).count()\n"
            "t = time.perf_counter()\n"
            "mailed = services.send_pending_emails(\n"
            "    older_than=timedelta(0), within=timedelta(days=1))\n"
            "t3 = time.perf_counter() - t\n"
            "sink.stop()\n"
            "print(json.dumps({'active_measures': active, 'first_run_s': round(t1, 1),"
            " 'second_run_s': round(t2, 1), 'first_run': str(first), 'second_run': str(second),"
            " 'coordination_digests': digests,"
            " 'emails_sent': mailed, 'emails_received_by_smtp_sink': Sink.count,"
            " 'emails_s': round(t3, 2), 'email_batch': services.EMAIL_BATCH,"
            " 'rss_before_mb': round(before, 1), 'rss_peak_mb': round(peak, 1),"
            " 'rss_peak_growth_mb': round(peak - before, 1), 'batches_sent': len(batches),"
            " 'rss_after_first_batch_mb': round(batches[0], 1) if batches else None,"
            " 'rss_after_last_batch_mb': round(batches[-1], 1) if batches else None}))\n"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "logement_toujours.settings",
            "DEBUG": "false",
            # The sweep's e-mails through Django's SMTP backend, to a local aiosmtpd sink.
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
        }
        process = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        if process.returncode != 0:
            return {"absent": process.stderr.strip().splitlines()[-1:]}
        return json.loads(process.stdout.strip().splitlines()[-1])

    def machine(self) -> dict:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()") if connection.vendor == "postgresql" else None
            database = cursor.fetchone()[0] if connection.vendor == "postgresql" else "sqlite"
        return {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "database": database,
        }

    def data_sizes(self) -> dict:
        return {
            "partners": Partner.objects.count(),
            "users": User.objects.count(),
            "households": Household.objects.count(),
            "diagnostics": Diagnostic.objects.count(),
            "actions": Action.objects.count(),
            "measures": SupportMeasure.objects.count(),
            "active_measures": SupportMeasure.objects.active().count(),
            "follow_ups": FollowUp.objects.count(),
            "household_permissions": HouseholdGroupObjectPermission.objects.count(),
            "ledger_entries": LedgerEntry.objects.count(),
        }

    def verdicts(self, results: dict) -> dict:
        verdicts = {}
        for name, figures in results["lists"].items():
            if "page" not in figures:
                continue
            verdicts[name] = {
                "p95_under_100ms": figures["page"]["p95_ms"] < TARGET_P95_MS,
                "within_3x_floor": figures["ratio_p50"] <= TARGET_RATIO,
            }
        for name, figures in results["pdf"].items():
            if "p95_ms" in figures:
                verdicts[f"pdf_{name}_under_1s"] = figures["p95_ms"] < TARGET_PDF_MS
        sweep = results.get("sweep", {})
        if "first_run_s" in sweep:
            verdicts["sweep_under_60s"] = sweep["first_run_s"] < TARGET_SWEEP_S
        return verdicts
