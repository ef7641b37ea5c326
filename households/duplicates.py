"""Is this household already known? Duplicate detection before a case file is opened.

A file is *similar* to the one being opened when its name is close AND one more fact agrees:

- the name: the household's name or a member's last name, against the new household's name
  and its members' last names, accents and case aside. On PostgreSQL, pg_trgm's
  `similarity` of the unaccented upper-case names (`lt_unaccent`, households migration
  0001_initial) reaches DUPLICATE_NAME_SIMILARITY (« Martin » / « Martins », « Dupont » /
  « Dupond »); on SQLite (the embedded mode) the unaccented names are equal.
- and one of: a member born the same day as a member given; the same tenant number (spaces
  and case aside) with the same landlord; or a close address (similarity of at least
  DUPLICATE_ADDRESS_SIMILARITY on PostgreSQL, equal on SQLite, the same street numbers)
  in the same postcode, or the same town when a postcode is missing.

A name alone is not enough (there are many Martin); a birth date, an address or a tenant
number alone without the name is another household.

Merged and anonymised files are never proposed. The answer is split by who asks
(`duplicate_report`): the files the user may see, with their reference and a link; for the
others only « at least one », with nothing that would tell which, whose or how many.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, models
from django.db.models.functions import Greatest

from core.errors import DomainError
from core.search import searchable, strip_accents
from households.models import Household, HouseholdMember
from partners.models import User

# The most similar files looked at (and shown): a common name must not load thousands.
MAX_CANDIDATES = 20

SIMILAR_ELSEWHERE = (
    "Un dossier similaire existe chez un autre partenaire. Vous pouvez demander à la "
    "coordination de vérifier : elle est prévenue si vous ouvrez ce dossier."
)


@dataclass(frozen=True)
class Similar:
    household: Household
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateReport:
    """What the user who opens a file is told: the similar files it may see, and whether at
    least one other exists (never which, whose, nor how many)."""

    visible: list[Similar] = field(default_factory=list)
    elsewhere: bool = False
    # Every similar file, for the coordination's notice only: never shown to the user.
    all_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.visible) or self.elsewhere


class DuplicateSuspected(DomainError):
    """The file was not opened: similar files exist and the user has not confirmed. Pages
    show the confirmation step, the API answers 409 (`report` says what the user may know)."""

    def __init__(self, report: DuplicateReport):
        super().__init__(
            "Des dossiers similaires existent : vérifiez qu'il ne s'agit pas du même ménage, "
            "puis confirmez pour ouvrir ce dossier.",
            field="confirm_duplicate",
        )
        self.report = report


def _normalised(text: str | None) -> str:
    return " ".join((strip_accents(text or "") or "").upper().split())


def _numbers(address: str) -> list[str]:
    return re.findall(r"\d+", address)


def _tenant_number(value: str | None) -> str:
    return re.sub(r"\s", "", (value or "").upper())


def _similarity(expression, text: str):
    return models.Func(
        searchable(expression),
        models.Value(_normalised(text)),
        function="SIMILARITY",
        output_field=models.FloatField(),
    )


class _TrigramNear(models.Lookup):
    """`a % b` (pg_trgm): similar above pg_trgm.similarity_threshold, served by an index."""

    lookup_name = "lt_trigram_near"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %% {rhs}", (*lhs_params, *rhs_params)


def _name_candidates(names: list[str], exclude: int | None):
    """Files whose name or a member's last name is close to one of `names`, closest first."""
    households = Household.objects.filter(merged_into=None, anonymised_on=None)
    if exclude:
        households = households.exclude(pk=exclude)
    threshold = settings.DUPLICATE_NAME_SIMILARITY
    if connection.vendor == "postgresql":
        by_name = Greatest(*[_similarity(models.F("name"), name) for name in names], 0.0)
        by_member = models.Subquery(
            HouseholdMember.objects.filter(household=models.OuterRef("pk"))
            .annotate(
                score=Greatest(*[_similarity(models.F("last_name"), name) for name in names], 0.0)
            )
            .order_by("-score")
            .values("score")[:1]
        )
        # pg_trgm's `%` (similarity above pg_trgm.similarity_threshold, 0.3, below ours)
        # lets the trigram indexes (households migration 0001_initial) find the few
        # candidates; the score then keeps those at DUPLICATE_NAME_SIMILARITY.
        near = models.Q()
        for name in names:
            near |= models.Q(_TrigramNear(searchable(models.F("name")), models.Value(name)))
        members = HouseholdMember.objects.order_by()
        near_member = models.Q()
        for name in names:
            near_member |= models.Q(
                _TrigramNear(searchable(models.F("last_name")), models.Value(name))
            )
        near |= models.Q(pk__any_array=members.filter(near_member).values("household_id"))
        scored = households.filter(near).annotate(
            score=Greatest(by_name, models.functions.Coalesce(by_member, 0.0))
        )
        return scored.filter(score__gte=threshold).order_by("-score", "-pk")[:MAX_CANDIDATES]
    wanted = [models.Value(_normalised(name)) for name in names]
    members = HouseholdMember.objects.annotate(key=searchable(models.F("last_name")))
    match = models.Q()
    for value in wanted:
        match |= models.Q(models.lookups.Exact(searchable(models.F("name")), value))
        match |= models.Q(
            pk__in=members.filter(models.lookups.Exact(models.F("key"), value)).values(
                "household_id"
            )
        )
    return households.filter(match).order_by("-pk")[:MAX_CANDIDATES]


def _address_close(a: str, b: str) -> bool:
    """Two addresses read alike (trigram similarity of their unaccented forms, computed in
    Python the way pg_trgm does) and carry the same street numbers."""
    a, b = _normalised(a), _normalised(b)
    if not a or not b or _numbers(a) != _numbers(b):
        return False
    return a == b or _trigram_similarity(a, b) >= settings.DUPLICATE_ADDRESS_SIMILARITY


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams = set()
    for word in re.findall(r"[0-9A-Z]+", text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _trigram_similarity(a: str, b: str) -> float:
    first, second = _trigrams(a), _trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def find_similar(
    data: dict, members: list[dict] = (), *, exclude: int | None = None
) -> list[Similar]:
    """The files similar to a household about to be opened with `data` and `members` (the
    service's arguments), closest first, each with why it is similar. At most
    MAX_CANDIDATES files, in three queries whatever their number."""
    names = [data.get("name") or ""] + [m.get("last_name") or "" for m in members]
    names = list(dict.fromkeys(name for name in map(_normalised, names) if name))
    if not names:
        return []
    candidates = list(
        _name_candidates(names, exclude).select_related("landlord").prefetch_related("members")
    )
    births: set[date] = {m["birth_date"] for m in members if m.get("birth_date")}
    tenant_number = _tenant_number(data.get("tenant_number"))
    landlord = data.get("landlord")
    address, postcode = data.get("address") or "", (data.get("postcode") or "").strip()
    city = _normalised(data.get("city"))
    found = []
    for household in candidates:
        reasons = []
        if births & {m.birth_date for m in household.members.all() if m.birth_date}:
            reasons.append("une même date de naissance")
        if (
            tenant_number
            and tenant_number == _tenant_number(household.tenant_number)
            and (landlord is None or household.landlord_id in (None, landlord.pk))
        ):
            reasons.append("le même numéro de locataire")
        same_place = (
            postcode == household.postcode
            if postcode and household.postcode
            else bool(city) and city == _normalised(household.city)
        )
        if same_place and _address_close(address, household.address):
            reasons.append("une adresse proche")
        if reasons:
            found.append(Similar(household, ("un nom proche", *reasons)))
    return found


def duplicate_report(user: User, similar: list[Similar]) -> DuplicateReport:
    """Split the similar files by what `user` may see (households.permissions)."""
    if not similar:
        return DuplicateReport()
    ids = [item.household.pk for item in similar]
    visible_ids = set(
        Household.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return DuplicateReport(
        visible=[item for item in similar if item.household.pk in visible_ids],
        elsewhere=len(visible_ids) < len(ids),
        all_ids=tuple(ids),
    )
