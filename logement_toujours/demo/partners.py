"""Demo partners and users: the six real partners, the coordination and two funders (the
Fondation de France and the State's DDETS, which pays the AVDL)."""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q

from partners import second_factor, services
from partners.models import Partner, PartnerKind, Role, User

PARTNERS = [
    ("Actis", "actis", PartnerKind.LANDLORD),
    ("Opac38", "opac38", PartnerKind.LANDLORD),
    ("Pluralis", "pluralis", PartnerKind.LANDLORD),
    ("L'Oiseau Bleu", "oiseaubleu", PartnerKind.ASSOCIATION),
    ("Relais Ozanam", "ozanam", PartnerKind.ASSOCIATION),
    ("Ulisse Energie", "ulisse", PartnerKind.ASSOCIATION),
    ("Coordination Le logement toujours", "coordination", PartnerKind.COORDINATION),
    ("Fondation de France", "fondation", PartnerKind.FUNDER),
    ("État — DDETS de l'Isère", "ddets", PartnerKind.FUNDER),
]

FIRST_NAMES = ["Claire", "Nadia", "Sophie", "Karim", "Julie", "Thomas", "Inès", "Marc", "Léa"]


def demo_users() -> list[tuple[str, str, str]]:
    """(username, partner short name, role) of every demo login."""
    users = [
        ("coordinator.lt", "coordination", Role.COORDINATOR),
        ("funder.fondation", "fondation", Role.FUNDER_VIEWER),
        ("funder.ddets", "ddets", Role.FUNDER_VIEWER),
    ]
    for _, short, kind in PARTNERS:
        if kind == PartnerKind.LANDLORD:
            users.append((f"cesf.{short}", short, Role.CESF))
        if kind == PartnerKind.ASSOCIATION:
            users.append((f"caseworker.{short}", short, Role.CASEWORKER))
        if kind in (PartnerKind.LANDLORD, PartnerKind.ASSOCIATION):
            users.append((f"manager.{short}", short, Role.MANAGER))
    return users


def load() -> dict[str, User]:
    partners = {}
    for name, short, kind in PARTNERS:
        partner = Partner.objects.filter(short_name=short).first()
        partners[short] = partner or services.partner_create(name=name, short_name=short, kind=kind)
    users = {}
    for index, (username, short, role) in enumerate(demo_users()):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=settings.DEMO_PASSWORD,
                first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
                last_name=username.split(".")[1].capitalize(),
                email=f"{username}@demo.invalid",
            )
            services.membership_set(user=user, partner=partners[short], role=role)
        if second_factor.required_for(user) and not settings.PRODUCTION:
            # Published with the password (README): the demo's coordinators log in with the
            # codes of DEMO_TOTP_SECRET. In production they enrol their own app instead.
            second_factor.demo_device(user)
        users[username] = user
    coordination_admin_permissions(partners["coordination"])
    return users


def coordination_admin_permissions(partner: Partner) -> None:
    """Coordinators manage partners and users, funding sources and yearly budgets in the
    Django admin, and read the ledger there."""
    perms = Permission.objects.filter(
        Q(
            content_type__app_label="partners",
            content_type__model__in=["partner", "user", "membership"],
        )
        | Q(
            content_type__app_label="funding",
            content_type__model__in=["fundingsource", "yearlybudget"],
        )
        | Q(codename="view_ledgerentry")
    )
    partner.group.permissions.add(*perms)
