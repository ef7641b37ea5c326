import pytest
from django.urls import reverse

from partners.models import Membership, Partner, Role, User


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("coordinator.lt", 200),
        ("cesf.actis", 302),
        ("manager.ozanam", 302),
        ("funder.fondation", 302),
    ],
)
def test_only_coordinators_manage_partners_in_the_admin(client, demo, username, status):
    client.force_login(demo[username])
    assert client.get(reverse("admin:partners_partner_changelist")).status_code == status


def test_a_coordinator_creates_a_partner_with_its_group(client, demo):
    client.force_login(demo["coordinator.lt"])
    response = client.post(
        reverse("admin:partners_partner_add"),
        {
            "name": "Habitat du Grésivaudan",
            "short_name": "gresivaudan",
            "kind": "landlord",
            "active": "on",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(short_name="gresivaudan")
    assert partner.group.name == "partenaire:gresivaudan"


def test_a_coordinator_gives_a_user_its_partner_and_role(client, demo):
    client.force_login(demo["coordinator.lt"])
    user = User.objects.create_user(username="nouvelle.cesf", password="x")
    actis = Partner.objects.get(short_name="actis")
    url = reverse("admin:partners_user_change", args=[user.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"groups", "user_permissions", "password"}
    }
    data.update(
        {
            "username": "nouvelle.cesf",
            "date_joined_0": "2026-11-24",
            "date_joined_1": "10:00:00",
            "is_active": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1",
            f"{prefix}-0-partner": str(actis.pk),
            f"{prefix}-0-role": "cesf",
        }
    )
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert (membership.partner, membership.role) == (actis, Role.CESF)
    assert list(user.groups.all()) == [actis.group]


def test_a_partner_marked_as_having_left_in_the_admin_loses_its_households(client, demo):
    """Unticking « actif » is the partner leaving the programme: its access goes at once
    (households.involvement), and the partner's history says who did it and why."""
    from households.models import Household

    ulisse = Partner.objects.get(short_name="ulisse")
    caseworker = demo["caseworker.ulisse"]
    assert Household.objects.visible_to(caseworker).filter(name="Benali").exists()
    client.force_login(demo["coordinator.lt"])
    response = client.post(
        reverse("admin:partners_partner_change", args=[ulisse.pk]),
        {"name": ulisse.name, "short_name": ulisse.short_name, "kind": ulisse.kind},
    )
    assert response.status_code == 302
    ulisse.refresh_from_db()
    assert not ulisse.active
    assert not Household.objects.visible_to(caseworker).exists()
    last = ulisse.history.latest("history_date")
    assert (last.history_user, last.history_change_reason) == (
        demo["coordinator.lt"],
        "Sortie du dispositif",
    )
