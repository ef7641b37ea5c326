"""Generate a country-sized, reproducible data set straight into the database, in bulk.

At --scale 1: 60 partners (20 landlords, 40 associations), about 3,000 users, 100,000
households with their members, 250,000 diagnostics, 120,000 actions with their orientations
and start co-decisions (both answers), 120,000 measures (a third active), 1,500,000
follow-ups, the funding ledger when the funding app provides it, and the object permissions
the workflow would have granted (view and change for the dwelling's landlord and for the
association of each action).

Named fixtures the benchmark uses:
- `bench.caseworker` works for the association `bench-a01`, which sees exactly 2,000 households
  (at scale 1);
- `bench.coordinator` is a coordinator;
- the household `LT-2026-BENCH` has 200 follow-ups in an active measure of `bench-a01`, 6
  diagnostics and 60 edits in its history;
- `bench.oldest` works for the association `bench-aold`, the worst case: it sees as many
  households as `bench.caseworker` (2,000 at scale 1), the ones changed longest ago;
- `bench.notified`, a caseworker of `bench-a01`, has 1,600,000 notifications (at scale 1),
  mostly read, some unread, some tasks.

Rows are written with bulk inserts (COPY, or INSERT … SELECT over generate_series). The
history is written as the forms would have left it (django-simple-history's tables): the
creation of every household of a tenth of them and 1 to 3 edits each, and 60 edits of
`LT-2026-BENCH` (address, telephone, now and then its landlord, by four caseworkers). The
command refuses to run on a database that already holds bench data.
"""

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from actions.models import (
    Action,
    ActionKind,
    ActionStatus,
    CoDecisionLink,
    FollowUp,
    FollowUpKind,
    MeasureStatus,
    Orientation,
    Outcome,
    SupportMeasure,
)
from codecision.models import CoDecision, CoDecisionAnswer, CoDecisionStatus, Purpose
from households.models import (
    Diagnostic,
    Household,
    HouseholdGroupObjectPermission,
    HouseholdMember,
    HousingStatus,
    ReferenceCounter,
)
from logement_toujours import bench_ledger
from notifications.models import Notification
from partners.models import Membership, Partner, PartnerKind, Role, User
from partners.services import partner_create

BATCH = 5000
_LAST_NAMES = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Lefevre Faure Andre Mercier Blanc Guerin Boyer Garnier Chevalier "
    "Francois Legrand Gauthier Garcia Perrin Robin Clement Morin Nicolas Henry Roussel Mathieu "
    "Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noel Meyer Dufour Meunier Brun "
    "Blanchard Giraud Joly Riviere Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Roche "
    "Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud "
    "Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoit Rey Leclerc Payet Rolland Leclercq "
    "Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin "
    "Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier "
    "Marty Aubry Guyot Carre Charles Renault Charpentier Menard Maillard Baron Bertin Bailly "
    "Herve Schneider Fernandez Collet Leger Bouvier Julien Prevost Millet Perrot Daniel Cousin"
)
_FIRST_NAMES = (
    "Marie Jean Nathalie Pierre Isabelle Michel Sylvie Philippe Catherine Alain Nadia Karim "
    "Sophie Thomas Julie Nicolas Camille Lucas Léa Hugo Chloé Louis Emma Gabriel Inès Adam "
    "Sarah Mohamed Fatima Yasmine Rachid Aïcha Paul Claire Marc Anne Eric Laura David Céline"
)
LAST_NAMES = _LAST_NAMES.split()
FIRST_NAMES = _FIRST_NAMES.split()
CITIES = [
    ("38000", "Grenoble"),
    ("38100", "Grenoble"),
    ("38400", "Saint-Martin-d'Hères"),
    ("38130", "Échirolles"),
    ("38600", "Fontaine"),
    ("38200", "Vienne"),
    ("38300", "Bourgoin-Jallieu"),
    ("38500", "Voiron"),
]
KINDS = list(ActionKind)


def copy_rows(model, objects: list) -> None:
    """Insert rows whose ids nobody needs back: COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


class Command(BaseCommand):
    help = "Génère un jeu de données de mesure de performance (100 000 ménages à l'échelle 1)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--caseload",
            type=int,
            default=None,
            help="Ménages vus par bench.caseworker et bench.oldest (défaut : 2 000 × échelle), "
            "le même à toutes les échelles pour la mesure de croissance.",
        )

    def handle(self, *args, scale: float, seed: int, caseload: int | None = None, **options):
        if Partner.objects.filter(short_name="bench-a01").exists():
            raise CommandError("Cette base contient déjà les données de mesure.")
        self.rng = random.Random(seed)
        self.scale = scale
        self.caseload = caseload
        self.today = timezone.localdate()
        self.now = timezone.now()
        started = time.perf_counter()
        self.step_started = started
        with transaction.atomic():
            self.partners_and_users()
            self.households()
            self.diagnostics()
        with transaction.atomic():
            self.workflow()
        with transaction.atomic():
            self.follow_ups()
            self.ledger()
        if connection.vendor == "postgresql":
            with transaction.atomic():
                self.history()
            with transaction.atomic():
                self.notifications()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Statistics for the planner and the visibility map for index-only scans, as
            # autovacuum would leave them on a database in service.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"Terminé en {time.perf_counter() - started:.0f} s.")

    def log(self, what: str) -> None:
        now = time.perf_counter()
        self.stdout.write(f"  {what} ({now - self.step_started:.1f} s)")
        self.step_started = now

    def n(self, count: int) -> int:
        return max(1, round(count * self.scale))

    # --- partners and users ---------------------------------------------------------------

    def partners_and_users(self) -> None:
        self.landlords = [
            partner_create(
                name=f"Bailleur {i:02d}", short_name=f"bench-l{i:02d}", kind=PartnerKind.LANDLORD
            )
            for i in range(1, 21)
        ]
        self.associations = [
            partner_create(
                name=f"Association {i:02d}",
                short_name=f"bench-a{i:02d}",
                kind=PartnerKind.ASSOCIATION,
            )
            for i in range(1, 41)
        ]
        coordination = partner_create(
            name="Coordination (mesure)", short_name="bench-coord", kind=PartnerKind.COORDINATION
        )
        funder = partner_create(
            name="Financeur (mesure)", short_name="bench-funder", kind=PartnerKind.FUNDER
        )
        # The worst case of « Mes ménages »: an association whose households are the ones
        # changed longest ago (households()).
        self.oldest_association = partner_create(
            name="Association (dossiers anciens)",
            short_name="bench-aold",
            kind=PartnerKind.ASSOCIATION,
        )
        hasher_user = User()
        hasher_user.set_password(settings.DEMO_PASSWORD)
        users, memberships = [], []

        def add(username: str, partner: Partner, role: str) -> None:
            user = User(
                username=username,
                password=hasher_user.password,
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                email=f"{username}@bench.invalid",
                is_staff=role == Role.COORDINATOR,
            )
            users.append(user)
            memberships.append((user, partner, role))

        add("bench.caseworker", self.associations[0], Role.CASEWORKER)
        add("bench.coordinator", coordination, Role.COORDINATOR)
        for landlord in self.landlords:
            for i in range(40):
                add(f"bench.{landlord.short_name}.cesf{i:02d}", landlord, Role.CESF)
            for i in range(2):
                add(f"bench.{landlord.short_name}.manager{i}", landlord, Role.MANAGER)
        for association in self.associations:
            for i in range(50):
                add(f"bench.{association.short_name}.cw{i:02d}", association, Role.CASEWORKER)
            for i in range(2):
                add(f"bench.{association.short_name}.manager{i}", association, Role.MANAGER)
        for i in range(19):
            add(f"bench.coordinator{i:02d}", coordination, Role.COORDINATOR)
        for i in range(60):
            add(f"bench.funder{i:02d}", funder, Role.FUNDER_VIEWER)
        # Added last, out of the lists the data draws authors from: the seed's draws stay
        # those of the data set without them.
        drawn = len(memberships)
        add("bench.oldest", self.oldest_association, Role.CASEWORKER)
        add("bench.notified", self.associations[0], Role.CASEWORKER)
        User.objects.bulk_create(users, batch_size=BATCH)
        Membership.objects.bulk_create(
            [Membership(user=u, partner=p, role=r) for u, p, r in memberships], batch_size=BATCH
        )
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=u.pk, group_id=p.group_id) for u, p, _ in memberships],
            batch_size=BATCH,
        )
        memberships = memberships[:drawn]
        self.cesf_by_landlord = {
            p.pk: [u for u, q, r in memberships if q == p and r == Role.CESF]
            for p in self.landlords
        }
        self.caseworkers_by_association = {
            p.pk: [u for u, q, r in memberships if q == p and r == Role.CASEWORKER]
            for p in self.associations
        }
        self.log(f"{len(self.landlords) + len(self.associations)} partenaires, {len(users)} users")

    # --- households -----------------------------------------------------------------------

    def households(self) -> None:
        total = self.n(100_000)
        bench_share = min(self.caseload or self.n(2_000), total // 2)
        rng = self.rng
        # The association of each household: bench-a01 gets exactly `bench_share`, the
        # others share the rest evenly.
        others = self.associations[1:]
        self.association_of: list[Partner] = [self.associations[0]] * bench_share + [
            others[i % len(others)] for i in range(total - bench_share)
        ]
        rng.shuffle(self.association_of)
        # The first household is the benchmark's named case, followed by bench-a01.
        first = self.association_of.index(self.associations[0])
        self.association_of[0], self.association_of[first] = (
            self.association_of[first],
            self.association_of[0],
        )
        per_year: dict[int, int] = {}
        households, created_on = [], []
        for index in range(total):
            year = 2017 + index % 10
            per_year[year] = per_year.get(year, 0) + 1
            tenant = rng.random() < 0.85
            landlord = self.landlords[rng.randrange(len(self.landlords))]
            postcode, city = rng.choice(CITIES)
            created = datetime(year, 1, 1, tzinfo=self.now.tzinfo) + timedelta(
                days=rng.randrange(330), seconds=rng.randrange(86400)
            )
            created_on.append(created.date())
            households.append(
                Household(
                    reference=f"LT-{year}-{per_year[year]:05d}",
                    name=rng.choice(LAST_NAMES),
                    housing_status=HousingStatus.TENANT if tenant else HousingStatus.APPLICANT,
                    landlord=landlord if tenant else None,
                    tenant_number=f"{rng.randrange(10**7):07d}" if tenant else "",
                    address=f"{rng.randrange(1, 200)} rue des Alpes",
                    postcode=postcode,
                    city=city,
                    contact_phone=f"06 {rng.randrange(10**8):08d}",
                    consent_given_on=created.date(),
                    created_by_partner=landlord if tenant else self.association_of[index],
                    created_at=created,
                    updated_at=created,
                )
            )
        households[0].reference = "LT-2026-BENCH"
        households[0].name = "Benchmark"
        Household.objects.bulk_create(households, batch_size=BATCH)
        self.households_list = households
        self.created_on = created_on
        for year, count in per_year.items():
            ReferenceCounter.objects.update_or_create(
                year=year, defaults={"last_number": max(count, 9999)}
            )
        members = []
        for household in households:
            for position in range(rng.choice((1, 1, 2, 3, 4))):
                members.append(
                    HouseholdMember(
                        household=household,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=household.name,
                        relationship="head" if position == 0 else "child",
                        birth_date=date(1950 + rng.randrange(70), 1 + rng.randrange(12), 1),
                    )
                )
        copy_rows(HouseholdMember, members)
        view = Permission.objects.get(
            codename="view_household", content_type__app_label="households"
        )
        change = Permission.objects.get(
            codename="change_household", content_type__app_label="households"
        )
        perms = []
        for household, association in zip(households, self.association_of, strict=True):
            groups = {association.group_id}
            if household.landlord_id:
                groups.add(household.landlord.group_id)
            for group_id in groups:
                for permission in (view, change):
                    perms.append(
                        HouseholdGroupObjectPermission(
                            group_id=group_id, permission=permission, content_object=household
                        )
                    )
        # The worst-case association sees as many households as bench-a01, the oldest ones
        # (smallest updated_at): a plan walking updated_at from the newest would probe
        # every other household before reaching its first page.
        oldest = sorted(households, key=lambda h: (h.updated_at, h.pk))[:bench_share]
        for household in oldest:
            for permission in (view, change):
                perms.append(
                    HouseholdGroupObjectPermission(
                        group_id=self.oldest_association.group_id,
                        permission=permission,
                        content_object=household,
                    )
                )
        copy_rows(HouseholdGroupObjectPermission, perms)
        self.log(f"{total} ménages, {len(members)} membres, {len(perms)} permissions")

    def diagnostics(self) -> None:
        rng = self.rng
        rows = []
        total = self.n(250_000)
        households = self.households_list
        for index in range(total):
            household = households[index % len(households)]
            if household.landlord_id:
                author = rng.choice(self.cesf_by_landlord[household.landlord_id])
                partner = household.landlord
            else:
                partner = self.association_of[index % len(households)]
                author = rng.choice(self.caseworkers_by_association[partner.pk])
            resources = Decimal(rng.randrange(600, 2500))
            rows.append(
                Diagnostic(
                    household=household,
                    author=author,
                    author_partner=partner,
                    made_on=self.created_on[index % len(households)]
                    + timedelta(days=30 * (index // len(households))),
                    persons=rng.randrange(1, 6),
                    income_minimum=resources,
                    rent=Decimal(rng.randrange(250, 700)),
                    housing_aid=Decimal(rng.randrange(0, 300)),
                    energy_costs=Decimal(rng.randrange(40, 200)),
                    rent_arrears=Decimal(rng.randrange(0, 5000)),
                    conclusion="Accompagnement proposé.",
                )
            )
        # LT-2026-BENCH has 6 diagnostics, a long case's, whatever the scale.
        bench = households[0]
        for extra in range(6 - sum(1 for d in rows if d.household is bench)):
            rows.append(
                Diagnostic(
                    household=bench,
                    author=self.bench_referent(),
                    author_partner=self.associations[0],
                    made_on=self.created_on[0] + timedelta(days=400 + 60 * extra),
                    persons=3,
                    income_minimum=Decimal(900 + 10 * extra),
                    rent=Decimal(520),
                    housing_aid=Decimal(180),
                    energy_costs=Decimal(90),
                    rent_arrears=Decimal(2400 - 300 * extra),
                    conclusion="Point d'étape : le plan d'apurement est tenu.",
                )
            )
        Diagnostic.objects.bulk_create(rows, batch_size=BATCH)
        self.first_diagnostic = {d.household_id: d for d in reversed(rows)}
        self.log(f"{len(rows)} diagnostics")

    # --- workflow ---------------------------------------------------------------------------

    def workflow(self) -> None:
        rng = self.rng
        households = self.households_list
        total = self.n(120_000)
        orientations, actions, measures = [], [], []
        plan = []
        for index in range(total):
            position = index % len(households)
            household = households[position]
            association = self.association_of[position]
            landlord = household.landlord or self.landlords[position % len(self.landlords)]
            if household.landlord_id:
                kind = KINDS[index % 3]
                proposer = rng.choice(self.cesf_by_landlord[landlord.pk])
                proposer_partner = landlord
            else:
                kind = ActionKind.SCATTERED_HOUSING
                proposer = rng.choice(self.caseworkers_by_association[association.pk])
                proposer_partner = association
            # 40 % of the first action of each household is active: 40,000 at scale 1.
            active = index < len(households) and index % 5 < 2
            referent = (
                self.bench_referent()
                if position == 0
                else rng.choice(self.caseworkers_by_association[association.pk])
            )
            if active:
                starts_on = self.today - timedelta(days=rng.randrange(0, 175))
            else:
                starts_on = self.today - timedelta(days=rng.randrange(200, 3000))
            orientation = Orientation(
                household=household,
                kind=kind,
                association=association,
                landlord=landlord,
                diagnostic=self.first_diagnostic.get(household.pk),
                reason="Orientation proposée après diagnostic.",
                proposed_by=proposer,
                proposed_by_partner=proposer_partner,
                created_at=self.aware(starts_on - timedelta(days=20)),
            )
            orientations.append(orientation)
            plan.append((household, kind, landlord, association, referent, starts_on, active))
        Orientation.objects.bulk_create(orientations, batch_size=BATCH)
        for orientation, (household, kind, landlord, association, _, _, active) in zip(
            orientations, plan, strict=True
        ):
            actions.append(
                Action(
                    orientation=orientation,
                    household=household,
                    kind=kind,
                    landlord=landlord,
                    association=association,
                    status=ActionStatus.IN_PROGRESS if active else ActionStatus.CLOSED,
                    created_at=orientation.created_at,
                )
            )
        Action.objects.bulk_create(actions, batch_size=BATCH)
        codecisions = []
        for action, orientation, (_, _, _, _, _, starts_on, _) in zip(
            actions, orientations, plan, strict=True
        ):
            codecisions.append(
                CoDecision(
                    household_id=action.household_id,
                    kind=action.kind,
                    proposed_by_id=orientation.proposed_by_id,
                    proposed_by_partner_id=orientation.proposed_by_partner_id,
                    reason=orientation.reason,
                    diagnostic_id=orientation.diagnostic_id,
                    purpose=Purpose.START,
                    landlord=action.landlord,
                    association=action.association,
                    status=CoDecisionStatus.APPROVED,
                    landlord_answer="approve",
                    association_answer="approve",
                    opened_at=action.created_at,
                    decided_at=self.aware(starts_on - timedelta(days=1)),
                )
            )
        CoDecision.objects.bulk_create(codecisions, batch_size=BATCH)
        CoDecisionLink.objects.bulk_create(
            (
                CoDecisionLink(codecision=codecision, action=action)
                for codecision, action in zip(codecisions, actions, strict=True)
            ),
            batch_size=BATCH,
        )
        answers = []
        for codecision, (_, _, landlord, association, referent, starts_on, _) in zip(
            codecisions, plan, strict=True
        ):
            at = self.aware(starts_on - timedelta(days=2))
            answers.append(
                CoDecisionAnswer(
                    codecision=codecision,
                    side="landlord",
                    partner=landlord,
                    answer="approve",
                    answered_by=rng.choice(self.cesf_by_landlord[landlord.pk]),
                    answered_at=at,
                )
            )
            answers.append(
                CoDecisionAnswer(
                    codecision=codecision,
                    side="association",
                    partner=association,
                    answer="approve",
                    referent=referent,
                    answered_by=referent,
                    answered_at=at,
                )
            )
        copy_rows(CoDecisionAnswer, answers)
        for action, (_, _, _, _, referent, starts_on, active) in zip(actions, plan, strict=True):
            renewals = 0 if active else rng.choice((0, 1))
            ends_on = SupportMeasure.end_for(starts_on, renewals)
            measures.append(
                SupportMeasure(
                    action=action,
                    referent=referent,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    renewal_count=renewals,
                    status=MeasureStatus.ACTIVE if active else MeasureStatus.CLOSED,
                    closed_on=None if active else ends_on,
                    outcome="" if active else rng.choice(list(Outcome)[:6]),
                    created_at=self.aware(starts_on),
                )
            )
        SupportMeasure.objects.bulk_create(measures, batch_size=BATCH)
        self.measures = measures
        active_count = sum(1 for m in measures if m.status == MeasureStatus.ACTIVE)
        self.log(
            f"{len(actions)} actions et co-décisions, {len(measures)} mesures "
            f"dont {active_count} actives"
        )

    def bench_referent(self) -> User:
        return self.caseworkers_by_association[self.associations[0].pk][0]

    def aware(self, day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 10, tzinfo=self.now.tzinfo)

    def follow_ups(self) -> None:
        rng = self.rng
        total = self.n(1_500_000)
        measures = self.measures
        kinds = list(FollowUpKind)
        rows = []
        written = 0
        bench_measure = measures[0]
        for index in range(total):
            measure = bench_measure if index < 200 else measures[index % len(measures)]
            action = measure.action
            rows.append(
                FollowUp(
                    household_id=action.household_id,
                    measure=measure,
                    happened_on=measure.starts_on + timedelta(days=rng.randrange(0, 170)),
                    kind=kinds[index % len(kinds)],
                    duration_minutes=rng.choice((15, 30, 45, 60, 90)),
                    summary="Point sur le budget et les démarches en cours.",
                    next_step="Prochain rendez-vous dans deux semaines.",
                    confidential=index % 17 == 0,
                    author=measure.referent,
                    author_partner=action.association,
                    created_at=self.now,
                )
            )
            if len(rows) >= 50_000:
                copy_rows(FollowUp, rows)
                written += len(rows)
                rows = []
        copy_rows(FollowUp, rows)
        written += len(rows)
        self.log(f"{written} suivis")

    def history(self) -> None:
        """History rows as saving with history (core.history) would have left them: the
        creation and 1 to 3 edits of a tenth of the households (telephone, address), and
        60 edits of LT-2026-BENCH (telephone, address, its landlord every twelfth, four
        authors in turn), with the creation and two corrections of each of its
        diagnostics and the creation of its members. One INSERT … SELECT each."""
        bench = self.households_list[0]
        authors = [u.pk for u in self.caseworkers_by_association[self.associations[0].pk][:4]]
        all_caseworkers = [
            u.pk for users in self.caseworkers_by_association.values() for u in users
        ]
        landlords = [p.pk for p in self.landlords]
        written = 0
        # Every tenth household: its creation and 1 to 3 edits.
        written += self.history_insert(
            Household,
            series="0, 1 + mod(h.id, 3)",
            where="mod(h.id, 10) = 0 AND h.id <> %s",
            params=[bench.pk],
            user=f"(%s::bigint[])[1 + mod(h.id, {len(all_caseworkers)})]",
            user_params=[all_caseworkers],
            overrides={
                "contact_phone": "CASE WHEN g = 0 THEN h.contact_phone "
                "ELSE '06 ' || lpad(mod(h.id * 7919 + g * 104729, 100000000)::text, 8, '0') END",
            },
            reason="CASE WHEN g = 0 THEN '' ELSE 'Nouveau numéro de téléphone.' END",
            step="interval '41 days'",
        )
        # LT-2026-BENCH: its creation and 60 edits.
        written += self.history_insert(
            Household,
            series="0, 60",
            where="h.id = %s",
            params=[bench.pk],
            user="(%s::bigint[])[1 + mod(g, 4)]",
            user_params=[authors],
            overrides={
                "contact_phone": "CASE WHEN g = 0 THEN h.contact_phone "
                "ELSE '06 ' || lpad((g * 1234567)::text, 8, '0') END",
                "address": "CASE WHEN mod(g, 5) = 1 THEN (mod(g, 40) + 1) || ' rue des Alpes' "
                "ELSE h.address END",
                "landlord_id": "CASE WHEN g > 0 AND mod(g, 12) = 0 "
                f"THEN (%s::bigint[])[1 + mod(g / 12, {len(landlords)})] ELSE h.landlord_id END",
            },
            override_params=[landlords],
            reason="CASE mod(g, 3) WHEN 0 THEN 'Nouveau numéro de téléphone.' "
            "WHEN 1 THEN 'Déménagement signalé par le ménage.' ELSE 'Mise à jour.' END",
            step="interval '5 days'",
        )
        written += self.history_insert(
            Diagnostic,
            series="0, 2",
            where="h.household_id = %s",
            params=[bench.pk],
            user="h.author_id",
            overrides={
                "rent_arrears": "h.rent_arrears + g * 50",
                "conclusion": "CASE WHEN g = 0 THEN h.conclusion "
                "ELSE h.conclusion || ' (corrigé)' END",
            },
            reason="CASE WHEN g = 0 THEN '' ELSE 'Correction de la dette locative.' END",
            step="interval '2 days'",
            created="h.created_at",
        )
        written += self.history_insert(
            HouseholdMember,
            series="0, 0",
            where="h.household_id = %s",
            params=[bench.pk],
            user="%s",
            user_params=[authors[0]],
            created=f"(SELECT created_at FROM {Household._meta.db_table} WHERE id = %s)",
            created_params=[bench.pk],
        )
        self.log(f"{written} lignes d'historique")

    def history_insert(
        self,
        model,
        *,
        series: str,
        where: str,
        params: list,
        user: str,
        user_params: list | None = None,
        overrides: dict | None = None,
        override_params: list | None = None,
        reason: str = "''",
        step: str = "interval '1 day'",
        created: str = "h.created_at",
        created_params: list | None = None,
    ) -> int:
        """INSERT … SELECT into `model`'s history table: one row per g of
        generate_series(`series`) for each row of `model` matching `where` (aliased h), a
        creation at g = 0 and edits after, `step` apart."""
        history = model.history.model
        columns = [
            f.column for f in history._meta.concrete_fields if not f.column.startswith("history_")
        ]
        overrides = overrides or {}
        values = [overrides.get(column, f"h.{column}") for column in columns]
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = (
            f"INSERT INTO {history._meta.db_table} ({names}, history_date, history_type, "
            "history_user_id, history_change_reason) "
            f"SELECT {', '.join(values)}, {created} + g * {step}, "
            f"CASE WHEN g = 0 THEN '+' ELSE '~' END, {user}, {reason} "
            f"FROM {model._meta.db_table} h CROSS JOIN LATERAL generate_series({series}) g "
            f"WHERE {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                (override_params or []) + (created_params or []) + (user_params or []) + params,
            )
            return cursor.rowcount

    def notifications(self) -> None:
        """`bench.notified`'s 1,600,000 notifications (at scale 1), one every 20 seconds
        back from now, in one INSERT … SELECT: the newest 150 unread, the rest read (and
        e-mailed); one in 500 a task, the 30 newest of them not done yet."""

        user = User.objects.get(username="bench.notified")
        ids = list(
            HouseholdGroupObjectPermission.objects.filter(
                group_id=self.associations[0].group_id, permission__codename="view_household"
            ).values_list("content_object_id", flat=True)
        )
        total = self.n(1_600_000)
        table = Notification._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (recipient_id, kind, text, household_id, link, "
                "created_at, read_at, emailed_at, email_claimed_at, digest_on, digest_counts, "
                "object_type, object_id, task, done_at) "
                "SELECT %s, k.kind, h.reference || k.text, h.id, '/menages/' || h.id || '/', "
                "t.at, CASE WHEN i > 150 THEN t.at + interval '2 hours' END, t.at, t.at, "
                "NULL, '{}'::jsonb, CASE WHEN mod(i, 500) = 0 THEN 'codecision' ELSE '' END, "
                "CASE WHEN mod(i, 500) = 0 THEN h.id END, mod(i, 500) = 0, "
                "CASE WHEN mod(i, 500) = 0 AND i > 15000 THEN t.at + interval '1 day' END "
                "FROM generate_series(1, %s) i "
                "CROSS JOIN LATERAL (SELECT now() - i * interval '20 seconds' AS at) t "
                "JOIN households_household h ON h.id = (%s::bigint[])[1 + mod(i, %s)] "
                "CROSS JOIN LATERAL (SELECT CASE mod(i, 4) "
                "WHEN 0 THEN 'measure_end_30' WHEN 1 THEN 'follow_up_logged' "
                "WHEN 2 THEN 'codecision_opened' ELSE 'appointment' END AS kind, "
                "CASE mod(i, 4) WHEN 0 THEN ' : la mesure prend fin dans 30 jours.' "
                "WHEN 1 THEN ' : un suivi a été saisi.' "
                "WHEN 2 THEN ' : une co-décision vous attend.' "
                "ELSE ' : rendez-vous fixé.' END AS text) k",
                [user.pk, total, ids, len(ids)],
            )
            written = cursor.rowcount
        self.log(f"{written} notifications pour {user.username}")

    def ledger(self) -> None:
        """The funding ledger the workflow would have booked, in bulk."""
        count = bench_ledger.generate(measures=self.measures, rng=self.rng)
        self.log(f"{count} écritures du registre financier")
