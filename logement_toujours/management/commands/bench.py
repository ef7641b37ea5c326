"""Measure the pages, API lists, PDF and reminder sweep on the data of `bench_data`.

Each page is requested repeatedly through Django's test client, in this process, against the
configured database (PostgreSQL for figures that mean anything); the time is the server-side
time of the whole request (middleware, access layer, queries, template). Each list is
compared with its honest floor: the plainest hand-written SQL doing the page's own work (the
count its pager shows, the rows, the subqueries it shows for each row), and, where the
application has a service that gives the page's rows, the floor is checked to return the
same rows. Also: « Mes ménages » for the worst-case partner (oldest cases) against an
ordinary one, and the header and the notification centre for a user with 1.6 M
notifications (at scale 1). Prints one JSON object.
"""

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY

from actions.models import Action, FollowUp, MeasureStatus, SupportMeasure
from actions.permissions import visible_measures
from cases.caseload import caseload_page
from core.keyset import cursor_of
from funding.models import LedgerEntry
from households.models import Diagnostic, Household, HouseholdGroupObjectPermission
from notifications import services as notices
from notifications.models import Notification
from partners import second_factor
from partners.models import ApiToken, Partner, User

TARGET_P95_MS = 50
TARGET_RATIO = 3
TARGET_WORST_RATIO = 1.5
TARGET_HEADER_MS = 10
TARGET_CENTRE_MS = 50
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


def ratio(numerator: float, denominator: float) -> float:
    return round(numerator / max(denominator, 0.01), 2)


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def machine() -> dict:
    """The machine the figures come from: processors, model, memory, load average."""
    model, memory = "", ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                "",
            )
        with open("/proc/meminfo") as meminfo:
            memory = meminfo.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    database = "sqlite"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            database = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory": memory,
        "load_average": load_average(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": database,
    }


class Command(BaseCommand):
    help = "Mesure les pages, l'API, le PDF et le balayage des rappels (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--skip-sweep", action="store_true")
        parser.add_argument(
            "--pages-only",
            action="store_true",
            help="Seulement les listes et le coût d'une requête (la mesure de croissance).",
        )
        parser.add_argument(
            "--show-queries",
            action="store_true",
            help="Ajoute à chaque page le SQL de ses requêtes (pour écrire son plancher).",
        )

    def handle(
        self,
        *args,
        repeat: int,
        skip_sweep: bool,
        pages_only: bool = False,
        show_queries: bool = False,
        **options,
    ):
        self.show_queries = show_queries
        try:
            self.caseworker = User.objects.get(username="bench.caseworker")
            self.coordinator = User.objects.get(username="bench.coordinator")
        except User.DoesNotExist as error:
            raise CommandError("Lancez d'abord : manage.py bench_data") from error
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            self.run(repeat=repeat, skip_sweep=skip_sweep, pages_only=pages_only)
        finally:
            settings.DEBUG = debug

    def run(self, *, repeat: int, skip_sweep: bool, pages_only: bool) -> None:
        self.repeat = repeat
        self.association = Partner.objects.get(short_name="bench-a01")
        self.bench_household = Household.objects.get(reference="LT-2026-BENCH")
        visible = Household.objects.visible_to(self.caseworker)
        self.view_permission = Permission.objects.get(
            codename="view_household", content_type__app_label="households"
        ).pk
        results = {
            "machine": machine(),
            "data": self.data_sizes(),
            "caseworker_sees": visible.count(),
        }
        client = self.client_for(self.caseworker)
        results["lists"] = self.lists(client)
        # What any request costs before a page does its own work: the health check (one
        # `SELECT 1`, no session) and the smallest page (session, user, partner, header).
        results["request_cost"] = {
            "health_check": self.time_request(Client(), self.url("health")),
            "profile_page": self.time_request(client, self.url("profile")),
        }
        if not pages_only:
            results["worst_case_partner"] = self.worst_case()
            results["notifications"] = self.notifications()
            results["pdf"] = self.pdf(client, visible)
            if not skip_sweep:
                results["sweep"] = self.sweep()
        results["targets"] = self.verdicts(results)
        results["machine_at_end"] = {"load_average": load_average()}
        self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False))

    # --- lists and their honest floors --------------------------------------------------

    def lists(self, client: Client) -> dict:
        """Each list page against its floor: the plainest SQL doing the page's own work —
        the count its pager shows (capped where the page caps it), the rows, the subqueries
        it shows for each row (its next hearing and appointment included), and the filter
        choices it lists."""
        lists = {}
        list_url = reverse("households:list")
        some = self.middle_household(self.caseworker)
        for name, query, criteria in (
            ("households_first_page", "", {}),
            ("households_filtered_page", "?housing_status=tenant", {"housing_status": "tenant"}),
            ("households_search_name", f"?q={some.name}", {"q": some.name}),
            ("households_search_reference", f"?q={some.reference}", {"q": some.reference}),
        ):
            lists[name] = self.compare(
                client,
                list_url + query,
                self.caseload_floor(self.caseworker, criteria),
                expected=self.caseload_rows(self.caseworker, criteria),
            )
        # The household page keeps its history, workflow and involvements per state of the
        # case (cases.kept): timed as read again (the case unchanged since the last view),
        # and afresh (the first view after a change: the kept pieces forgotten each time).
        household_url = reverse("households:detail", args=[self.bench_household.pk])
        lists["household_page_200_follow_ups"] = self.compare(
            client, household_url, self.household_floor(self.bench_household.pk)
        )
        lists["household_page_200_follow_ups_afresh"] = self.compare(
            client, household_url, self.household_floor(self.bench_household.pk), afresh=True
        )
        measure = SupportMeasure.objects.filter(action__household=self.bench_household).first()
        lists["measure_page_200_follow_ups"] = self.compare(
            client, self.url("actions:measure_detail", measure.pk), self.measure_floor(measure.pk)
        )
        coordinator_client = self.client_for(self.coordinator)
        lists["coordinator_active_measures"] = self.compare(
            coordinator_client,
            self.url("actions:measure_overview"),
            self.measures_floor(),
            expected=self.measure_rows(self.coordinator),
        )
        secret = ApiToken.objects.create_for(user=self.caseworker, name="mesure")[1]
        lists["api_households"] = self.compare(
            Client(),
            self.url("api:household-list"),
            self.api_households_floor(self.caseworker),
            expected=self.api_household_rows(self.caseworker),
            HTTP_AUTHORIZATION=f"Token {secret}",
        )
        return lists

    def caseload_floor(self, user, criteria: dict) -> list:
        """« Mes ménages » by hand: the caseload from the partner's permission rows (with
        the filters and the search inside it), its count (exact unfiltered, capped as the
        page caps it otherwise), the page's rows with the latest diagnostic, the open
        action and the active measure it shows, then the referents and landlords of the
        filter's choices."""
        group = [user.partner.group_id, self.view_permission]
        extra, params = "", []
        if criteria.get("housing_status"):
            extra, params = "AND h.housing_status = %s", [criteria["housing_status"]]
        if criteria.get("q"):
            like = "UPPER(lt_unaccent({})) LIKE '%%' || UPPER(lt_unaccent(%s)) || '%%'"
            fields = ["h.reference", "h.name", "h.tenant_number", "h.city"]
            members = " OR ".join(like.format(f) for f in ("m.last_name", "m.first_name"))
            extra = (
                "AND ("
                + " OR ".join(like.format(f) for f in fields)
                + " OR EXISTS (SELECT 1 FROM households_householdmember m "
                f"WHERE m.household_id = h.id AND ({members})))"
            )
            params = [criteria["q"]] * 6
        cap = settings.CASELOAD_COUNT_CAP
        # Capped as the page caps it: past the cap, the pager says « plus de <cap> ».
        count = (
            f"(SELECT CASE WHEN count(*) > {cap} THEN {cap} ELSE count(*) END "
            f"FROM (SELECT 1 FROM mine LIMIT {cap + 1}) c)"
        )
        if not criteria:
            count = "(SELECT count(*) FROM mine)"
        size = settings.HOUSEHOLDS_PER_PAGE
        materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
        rows = (
            f"WITH mine AS {materialized}(SELECT h.id, h.updated_at FROM households_household h "
            "WHERE EXISTS (SELECT 1 FROM households_householdgroupobjectpermission p "
            "WHERE p.content_object_id = h.id AND p.group_id = %s AND p.permission_id = %s) "
            f"AND h.merged_into_id IS NULL {extra}), "
            "shown AS (SELECT id, updated_at FROM mine "
            f"ORDER BY updated_at DESC, id DESC LIMIT {size + 1}) "
            f"SELECT h.id, {count}, h.reference, h.name, h.housing_status, h.city, l.name, "
            "(SELECT d.made_on FROM households_diagnostic d WHERE d.household_id = h.id "
            "ORDER BY d.made_on DESC, d.id DESC LIMIT 1), "
            "(SELECT d.conclusion FROM households_diagnostic d WHERE d.household_id = h.id "
            "ORDER BY d.made_on DESC, d.id DESC LIMIT 1), "
            "(SELECT a.kind || ' ' || a.status FROM actions_action a "
            "WHERE a.household_id = h.id AND a.status IN ('in_codecision', 'in_progress') "
            "ORDER BY a.id DESC LIMIT 1), "
            "(SELECT m.ends_on || ' ' || m.referent_id FROM actions_supportmeasure m "
            "JOIN actions_action a ON a.id = m.action_id WHERE a.household_id = h.id "
            "AND m.status = 'active' ORDER BY m.ends_on, m.id LIMIT 1), "
            "(SELECT e.hearing_on FROM actions_evictionprocedure e WHERE e.household_id = h.id "
            "AND e.hearing_on >= CURRENT_DATE AND e.ended_on IS NULL), "
            "(SELECT r.\"on\" || ' ' || r.kind FROM actions_appointment r "
            "WHERE r.household_id = h.id AND r.status = 'planned' AND r.\"on\" >= CURRENT_DATE "
            'ORDER BY r."on", r.at, r.id LIMIT 1) '
            "FROM shown JOIN households_household h ON h.id = shown.id "
            "LEFT JOIN partners_partner l ON l.id = h.landlord_id "
            "ORDER BY shown.updated_at DESC, shown.id DESC"
        )
        referents = (
            "SELECT u.id, u.first_name, u.last_name FROM partners_user u WHERE u.id IN ("
            "SELECT m.referent_id FROM actions_supportmeasure m "
            "JOIN actions_action a ON a.id = m.action_id "
            "JOIN households_householdgroupobjectpermission p "
            "ON p.content_object_id = a.household_id "
            "WHERE p.group_id = %s AND p.permission_id = %s AND m.status = 'active') "
            "ORDER BY u.last_name, u.first_name"
        )
        landlords = "SELECT id, name FROM partners_partner WHERE kind = 'landlord' ORDER BY name"
        return [(rows, group + params), (referents, group), (landlords, [])]

    def caseload_rows(self, user, criteria: dict) -> dict:
        """What the page shows, read through the application's own service: the ids of
        the first page and the count of its pager."""

        page = caseload_page(user, **criteria)
        return {"ids": [h.pk for h in page.households], "count": page.count}

    def household_floor(self, pk: int) -> list:
        """The household page by hand: the household, its members, its diagnostics with
        their authors, its follow-ups the partner may read, its workflow (actions and
        measures), and its case history (the household's, its diagnostics' and members'
        records with their authors, and the landlords its changes name)."""
        partner = self.association.pk
        follow_ups = (
            "SELECT f.id, f.happened_on, f.kind, f.summary, f.next_step, u.first_name, "
            "u.last_name, p.name FROM actions_followup f "
            "JOIN partners_user u ON u.id = f.author_id "
            "JOIN partners_partner p ON p.id = f.author_partner_id WHERE f.household_id = %s "
            "AND (NOT f.confidential OR f.author_partner_id = %s) "
            "ORDER BY f.happened_on DESC, f.id DESC"
        )
        return [
            (follow_ups, [pk, partner]),
            (
                "SELECT h.*, l.name FROM households_household h "
                "LEFT JOIN partners_partner l ON l.id = h.landlord_id WHERE h.id = %s",
                [pk],
            ),
            ("SELECT * FROM households_householdmember WHERE household_id = %s ORDER BY id", [pk]),
            (
                "SELECT d.*, u.first_name, u.last_name, p.name FROM households_diagnostic d "
                "JOIN partners_user u ON u.id = d.author_id "
                "JOIN partners_partner p ON p.id = d.author_partner_id "
                "WHERE d.household_id = %s ORDER BY d.made_on DESC, d.id DESC",
                [pk],
            ),
            (
                "SELECT a.id, a.kind, a.status, m.id, m.starts_on, m.ends_on, m.status, "
                "u.first_name, u.last_name FROM actions_action a "
                "LEFT JOIN actions_supportmeasure m ON m.action_id = a.id "
                "LEFT JOIN partners_user u ON u.id = m.referent_id "
                "WHERE a.household_id = %s ORDER BY a.id",
                [pk],
            ),
            (
                "SELECT r.*, u.first_name, u.last_name FROM households_historicalhousehold r "
                "LEFT JOIN partners_user u ON u.id = r.history_user_id WHERE r.id = %s "
                "ORDER BY r.history_date, r.history_id",
                [pk],
            ),
            (
                "SELECT r.*, u.first_name, u.last_name FROM households_historicaldiagnostic r "
                "LEFT JOIN partners_user u ON u.id = r.history_user_id "
                "WHERE r.household_id = %s ORDER BY r.id, r.history_date, r.history_id",
                [pk],
            ),
            (
                "SELECT r.*, u.first_name, u.last_name "
                "FROM households_historicalhouseholdmember r "
                "LEFT JOIN partners_user u ON u.id = r.history_user_id "
                "WHERE r.household_id = %s ORDER BY r.id, r.history_date, r.history_id",
                [pk],
            ),
            (
                "SELECT id, name FROM partners_partner WHERE id IN (SELECT landlord_id "
                "FROM households_historicalhousehold WHERE id = %s)",
                [pk],
            ),
        ]

    def measure_floor(self, pk: int) -> list:
        return [
            (
                "SELECT f.id, f.happened_on, f.kind, f.summary, f.next_step, u.first_name, "
                "u.last_name FROM actions_followup f JOIN partners_user u ON u.id = f.author_id "
                "WHERE f.measure_id = %s AND (NOT f.confidential OR f.author_partner_id = %s) "
                "ORDER BY f.happened_on DESC, f.id DESC",
                [pk, self.association.pk],
            ),
            (
                "SELECT m.*, a.kind, a.status, h.reference, h.name, u.first_name, u.last_name "
                "FROM actions_supportmeasure m JOIN actions_action a ON a.id = m.action_id "
                "JOIN households_household h ON h.id = a.household_id "
                "JOIN partners_user u ON u.id = m.referent_id WHERE m.id = %s",
                [pk],
            ),
        ]

    def measures_floor(self) -> list:
        """The coordinators' active measures: the capped count, the first page by
        (ends_on, id) with the household, association, landlord and referent shown, and the
        date of each row's latest follow-up (its « no recent follow-up » flag)."""
        cap, size = settings.CASELOAD_COUNT_CAP, settings.HOUSEHOLDS_PER_PAGE
        return [
            (
                "SELECT m.id, (SELECT count(*) FROM (SELECT 1 FROM actions_supportmeasure "
                f"WHERE status = 'active' LIMIT {cap + 1}) c), "
                "m.starts_on, m.ends_on, m.renewal_count, h.reference, h.name, a.kind, "
                "p.name, l.name, u.first_name, u.last_name, "
                "(SELECT max(f.happened_on) FROM actions_followup f WHERE f.measure_id = m.id) "
                "FROM actions_supportmeasure m JOIN actions_action a ON a.id = m.action_id "
                "JOIN households_household h ON h.id = a.household_id "
                "JOIN partners_partner p ON p.id = a.association_id "
                "LEFT JOIN partners_partner l ON l.id = a.landlord_id "
                "JOIN partners_user u ON u.id = m.referent_id "
                f"WHERE m.status = 'active' ORDER BY m.ends_on, m.id LIMIT {size + 1}",
                [],
            )
        ]

    def measure_rows(self, user) -> dict:
        """The measures page's first rows and its capped count, as the view reads them."""

        active = visible_measures(user).filter(status=MeasureStatus.ACTIVE)
        cap, size = settings.CASELOAD_COUNT_CAP, settings.HOUSEHOLDS_PER_PAGE
        return {
            "ids": list(active.order_by("ends_on", "pk").values_list("pk", flat=True)[:size]),
            "count": active.order_by()[: cap + 1].count(),
        }

    def api_households_floor(self, user) -> list:
        """The API list: its exact count (the page-number pager's) and its first 50 rows."""
        group = [user.partner.group_id, self.view_permission]
        visible = (
            "EXISTS (SELECT 1 FROM households_householdgroupobjectpermission p "
            "WHERE p.content_object_id = h.id AND p.group_id = %s AND p.permission_id = %s) "
            "AND h.merged_into_id IS NULL"
        )
        return [
            (
                "SELECT h.id, (SELECT count(*) FROM households_household h "
                f"WHERE {visible}), h.reference, h.name, h.housing_status, h.landlord_id, "
                "l.name, h.city, h.updated_at FROM households_household h "
                f"LEFT JOIN partners_partner l ON l.id = h.landlord_id WHERE {visible} "
                "ORDER BY h.updated_at DESC, h.id DESC LIMIT 50",
                group + group,
            )
        ]

    def api_household_rows(self, user) -> dict:
        visible = Household.objects.visible_to(user).filter(merged_into=None)
        ids = list(visible.order_by("-updated_at", "-pk").values_list("pk", flat=True)[:50])
        return {"ids": ids, "count": visible.count()}

    # --- the worst-case partner ---------------------------------------------------------

    def worst_case(self) -> dict:
        """« Mes ménages » and the API's list of households for the ordinary caseworker and
        for `bench.oldest`, whose association sees as many households, the ones changed
        longest ago: the ratio worst ÷ ordinary per page (target ≤ 1.5)."""
        try:
            oldest = User.objects.get(username="bench.oldest")
        except User.DoesNotExist:
            return {"absent": "pas de structure « pire cas » dans ces données"}
        results = {}
        users = {"ordinary": self.caseworker, "worst": oldest}
        # Both signed in alike, with a second factor (the load run gives the caseworker
        # one): the two pages then make the same queries.
        clients = {}
        for who, user in users.items():
            clients[who] = Client()
            clients[who].force_login(user)
            self.give_second_factor(clients[who], user)
        list_url = reverse("households:list")
        for page in ("first_page", "filtered_page", "search_name"):
            figures = {}
            for who, user in users.items():
                query = {
                    "first_page": "",
                    "filtered_page": "?housing_status=tenant",
                    "search_name": f"?q={self.middle_household(user).name}",
                }[page]
                figures[who] = {"url": list_url + query} | self.time_request(
                    clients[who], list_url + query
                )
            figures["ratio_p50"] = ratio(figures["worst"]["p50_ms"], figures["ordinary"]["p50_ms"])
            results[page] = figures
        # The API's list of households, with each one's personal token.
        figures = {}
        for who, user in users.items():
            secret = ApiToken.objects.create_for(user=user, name="mesure")[1]
            figures[who] = {"url": "/api/households/"} | self.time_request(
                Client(), "/api/households/", HTTP_AUTHORIZATION=f"Token {secret}"
            )
        figures["ratio_p50"] = ratio(figures["worst"]["p50_ms"], figures["ordinary"]["p50_ms"])
        results["api_households"] = figures
        results["sees"] = {
            who: Household.objects.visible_to(user).count() for who, user in users.items()
        }
        return results

    # --- notifications at 1.6 M rows for one user ---------------------------------------

    def notifications(self) -> dict:
        """`bench.notified` (its notifications: 1.6 M at scale 1): the header's capped
        counts alone (the context processor's two queries), a small page with its header
        against the same page for a user with few notifications, the centre's first and a
        deep keyset page, and the API list's first and a deep page."""

        try:
            user = User.objects.get(username="bench.notified")
        except User.DoesNotExist:
            return {"absent": "pas d'utilisateur aux 1,6 M notifications dans ces données"}
        mine = Notification.objects.filter(recipient=user)
        total = mine.count()
        results = {
            "user": user.username,
            "notifications": total,
            "unread": mine.filter(read_at=None).count(),
            "tasks_to_do": mine.filter(task=True, done_at=None).count(),
            "header_counts_alone": self.time_call(
                lambda: (notices.unread_count(user), notices.to_do_count(user))
            ),
        }
        client = self.client_for(user)
        profile = self.url("profile")
        results["profile_page"] = self.time_request(client, profile)
        results["profile_page_few_notifications"] = self.time_request(
            self.client_for(self.caseworker), profile
        )
        centre = reverse("notifications:list")
        read = mine.filter(read_at__isnull=False).order_by("-created_at", "-pk")
        deep = read[max(0, int(read.count() * 0.9)) : max(1, int(read.count() * 0.9)) + 1].first()
        centre_floor = [
            (
                "SELECT n.id, n.kind, n.text, n.created_at, n.read_at, n.task, n.done_at, "
                "h.reference FROM notifications_notification n "
                "LEFT JOIN households_household h ON h.id = n.household_id "
                "WHERE n.recipient_id = %s AND n.read_at IS NULL "
                "ORDER BY n.created_at DESC, n.id DESC LIMIT 51",
                [user.pk],
            ),
            (
                "SELECT n.id, n.kind, n.text, n.created_at, n.read_at, n.task, n.done_at, "
                "h.reference FROM notifications_notification n "
                "LEFT JOIN households_household h ON h.id = n.household_id "
                "WHERE n.recipient_id = %s AND n.read_at IS NOT NULL "
                "ORDER BY n.created_at DESC, n.id DESC LIMIT 51",
                [user.pk],
            ),
        ]
        first_page = [n.pk for n in notices.notification_page(user).notifications]
        results["centre_first_page"] = self.compare(
            client, centre, centre_floor, expected={"ids": first_page}
        )
        if deep is not None:
            cursor = f"r.{deep.created_at.isoformat()}.{deep.pk}"
            results["centre_deep_page"] = self.compare(
                client,
                f"{centre}?{urlencode({'apres': cursor})}",
                [
                    (
                        "SELECT n.id, n.kind, n.text, n.created_at, n.read_at, h.reference "
                        "FROM notifications_notification n "
                        "LEFT JOIN households_household h ON h.id = n.household_id "
                        "WHERE n.recipient_id = %s AND n.read_at IS NOT NULL "
                        "AND (n.created_at, n.id) < (%s, %s) "
                        "ORDER BY n.created_at DESC, n.id DESC LIMIT 51",
                        [user.pk, deep.created_at, deep.pk],
                    )
                ],
            )
        api = self.url("api:notification-list")
        api_floor = (
            "SELECT n.* FROM notifications_notification n WHERE n.recipient_id = %s {extra}"
            "ORDER BY n.created_at DESC, n.id DESC LIMIT 51"
        )
        newest = mine.order_by("-created_at", "-pk")
        results["api_first_page"] = self.compare(
            client,
            api,
            [(api_floor.format(extra=""), [user.pk])],
            expected={"ids": list(newest.values_list("pk", flat=True)[:50])},
        )
        deep_any = newest[int(total * 0.9) : int(total * 0.9) + 1].first()
        if deep_any is not None:
            results["api_deep_page"] = self.compare(
                client,
                f"{api}?{urlencode({'apres': cursor_of(deep_any.created_at, deep_any.pk)})}",
                [
                    (
                        api_floor.format(extra="AND (n.created_at, n.id) < (%s, %s) "),
                        [user.pk, deep_any.created_at, deep_any.pk],
                    )
                ],
            )
        return results

    # --- helpers ------------------------------------------------------------------------

    def give_second_factor(self, client: Client, user) -> None:
        """Coordinators give a second factor: the session is verified as after a login."""
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = second_factor.demo_device(user).persistent_id
        session.save()

    def client_for(self, user) -> Client:
        client = Client()
        client.force_login(user)
        # Coordinators give a second factor, and so does anyone with a device (the load
        # run gives the caseworker one): the session is verified as after a login.
        if second_factor.required_for(user) or second_factor.has_device(user):
            self.give_second_factor(client, user)
        return client

    def middle_household(self, user) -> Household:
        """A household of the middle of `user`'s caseload (by id): its name and reference
        are what the searches look for."""
        visible = Household.objects.visible_to(user).order_by("pk")
        return visible[visible.count() // 2 :].first()

    def url(self, name: str, *args) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    def time_request(self, client: Client, url: str, *, afresh: bool = False, **headers) -> dict:
        """The page's percentiles; `afresh`: what pages keep in memory is forgotten before
        each sample (and before its queries are counted)."""
        samples, statuses = [], set()
        for index in range(self.repeat + 3):
            reset_queries()
            if afresh:
                caches["pages"].clear()
            started = time.perf_counter()
            response = client.get(url, **headers)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status_code)
            if index >= 3:
                samples.append(elapsed)
        if afresh:
            caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url, **headers)
        timed = {**percentiles(samples), "status": sorted(statuses), "queries": len(queries)}
        if self.show_queries:
            # What the page really runs, to write and check its floor against.
            timed["sql"] = [query["sql"] for query in queries.captured_queries]
        return timed

    def time_call(self, call) -> dict:
        samples = []
        for index in range(self.repeat + 3):
            started = time.perf_counter()
            call()
            if index >= 3:
                samples.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            call()
        return {**percentiles(samples), "queries": len(queries)}

    def time_sql(self, statements: list) -> dict:
        """The floor's statements run in turn, timed together; the rows and ids are those
        of the first (the page's rows)."""
        samples = []
        rows: list = []
        with connection.cursor() as cursor:
            for index in range(self.repeat + 3):
                started = time.perf_counter()
                for position, (sql, params) in enumerate(statements):
                    cursor.execute(sql, params)
                    fetched = cursor.fetchall()
                    if position == 0:
                        rows = fetched
                if index >= 3:
                    samples.append((time.perf_counter() - started) * 1000)
        return {**percentiles(samples), "statements": len(statements), "rows": len(rows)}, rows

    def compare(
        self,
        client: Client,
        url: str | None,
        floor: list,
        *,
        expected=None,
        afresh: bool = False,
        **headers,
    ) -> dict:
        """A page against its floor; with `expected` ({"ids", "count"} of the page, read
        through the application's service), whether the floor returns the same rows (the
        page's size) and the same count (second column)."""
        if url is None:
            return {"absent": "cette page n'existe pas encore"}
        page = self.time_request(client, url, afresh=afresh, **headers)
        timed, rows = self.time_sql(floor)
        result = {
            "url": url,
            "page": page,
            "floor": timed,
            "ratio_p50": ratio(page["p50_ms"], timed["p50_ms"]),
        }
        if expected is not None:
            ids = [row[0] for row in rows][: len(expected["ids"])]
            same = ids == expected["ids"]
            if "count" in expected:
                same = same and (rows[0][1] if rows else 0) == expected["count"]
            result["floor_same_rows_as_page"] = same
        return result

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

    def data_sizes(self) -> dict:

        history = Household.history.model
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
            "household_history_rows": history.objects.count(),
            "bench_household_edits": history.objects.filter(
                id=self.bench_household.pk, history_type="~"
            ).count(),
            "bench_household_diagnostics": self.bench_household.diagnostics.count(),
            "notifications": Notification.objects.count(),
        }

    def verdicts(self, results: dict) -> dict:
        """Each figure against the issue's targets (benchmark figures, 2 vCPUs, scale 1)."""
        verdicts = {}
        for name, figures in results["lists"].items():
            if "page" not in figures:
                continue
            verdicts[name] = {
                "p95_under_50ms": figures["page"]["p95_ms"] < TARGET_P95_MS,
                "within_3x_floor": figures["ratio_p50"] <= TARGET_RATIO,
            }
        for name, figures in results.get("worst_case_partner", {}).items():
            if isinstance(figures, dict) and "ratio_p50" in figures:
                verdicts[f"worst_case_{name}_within_1_5x"] = (
                    figures["ratio_p50"] <= TARGET_WORST_RATIO
                )
        notifications = results.get("notifications", {})
        if "header_counts_alone" in notifications:
            verdicts["header_count_under_10ms"] = (
                notifications["header_counts_alone"]["p95_ms"] < TARGET_HEADER_MS
            )
        for name in ("centre_first_page", "centre_deep_page"):
            if "page" in notifications.get(name, {}):
                verdicts[f"notification_{name}_under_50ms"] = (
                    notifications[name]["page"]["p95_ms"] < TARGET_CENTRE_MS
                )
        for name, figures in results.get("pdf", {}).items():
            if "p95_ms" in figures:
                verdicts[f"pdf_{name}_under_1s"] = figures["p95_ms"] < TARGET_PDF_MS
        sweep = results.get("sweep", {})
        if "first_run_s" in sweep:
            verdicts["sweep_under_60s"] = sweep["first_run_s"] < TARGET_SWEEP_S
        return verdicts
