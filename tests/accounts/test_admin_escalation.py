"""A coordinator cannot take over the system from the Django admin."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partners.models import Membership, Partner, Role, User
from tests.factories import user_create


def admin_post_data(page, **changes) -> dict:
    """What the user's admin page posts back as it is, with `changes` applied."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None or name == "password":
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name in {"last_login", "date_joined"}:
            value = timezone.localtime(value)
            data[f"{name}_0"] = value.strftime("%Y-%m-%d")
            data[f"{name}_1"] = value.strftime("%H:%M:%S")
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = value
    for formset in page.context["inline_admin_formsets"]:
        formset = formset.formset
        prefix = formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(formset.forms)),
                f"{prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1",
            }
        )
        for index, inline in enumerate(formset.forms):
            for name in inline.fields:
                value = inline[name].value()
                if value is not None:
                    data[f"{prefix}-{index}-{name}"] = getattr(value, "pk", value)
    data.update(changes)
    return data


@pytest.fixture
def coordinator(demo):
    return demo["coordinator.lt"]


def test_a_coordinator_never_sees_nor_sets_superuser_staff_groups_or_permissions(
    client, coordinator
):
    client.force_login(coordinator)
    url = reverse("admin:partners_user_change", args=[coordinator.pk])
    page = client.get(url)
    assert page.status_code == 200
    fields = set(page.context["adminform"].form.fields)
    assert not fields & {"is_superuser", "is_staff", "groups", "user_permissions"}
    data = admin_post_data(page, is_superuser="on", is_staff="on")
    data["groups"] = [Partner.objects.get(short_name="actis").group_id]
    client.post(url, data)
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser
    assert list(coordinator.groups.all()) == [coordinator.partner.group]


def test_a_coordinator_never_moves_its_own_membership(client, coordinator, demo):
    client.force_login(coordinator)
    url = reverse("admin:partners_user_change", args=[coordinator.pk])
    page = client.get(url)
    actis = Partner.objects.get(short_name="actis")
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = admin_post_data(page, **{f"{prefix}-0-partner": actis.pk, f"{prefix}-0-role": "cesf"})
    client.post(url, data)
    membership = Membership.objects.get(user=coordinator)
    assert (membership.partner.short_name, membership.role) == ("coordination", Role.COORDINATOR)


def test_a_coordinator_never_sets_another_users_password_but_sends_a_reset_link(
    client, coordinator, demo
):
    cesf = demo["cesf.actis"]
    client.force_login(coordinator)
    password_url = reverse("admin:auth_user_password_change", args=[cesf.pk])
    response = client.post(
        password_url,
        {"password1": "Un nouveau mot de passe 2026", "password2": "Un nouveau mot de passe 2026"},
    )
    assert response.status_code in {403, 404}
    cesf.refresh_from_db()
    assert not cesf.check_password("Un nouveau mot de passe 2026")
    assert cesf.check_password(settings.DEMO_PASSWORD)
    changelist = reverse("admin:partners_user_changelist")
    response = client.post(
        changelist, {"action": "send_password_reset", "_selected_action": [cesf.pk]}
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[cesf.email]]
    assert "/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_only_a_superuser_changes_the_role_of_a_coordinator(client, coordinator, demo):
    other = user_create(Role.COORDINATOR, partner=coordinator.partner, email="c2@demo.invalid")
    cesf = demo["cesf.actis"]
    client.force_login(coordinator)
    for target, role in ((other, "manager"), (cesf, "coordinator")):
        url = reverse("admin:partners_user_change", args=[target.pk])
        page = client.get(url)
        prefix = page.context["inline_admin_formsets"][0].formset.prefix
        data = admin_post_data(
            page,
            **{
                f"{prefix}-0-partner": coordinator.partner.pk,
                f"{prefix}-0-role": role,
            },
        )
        client.post(url, data)
    assert Membership.objects.get(user=other).role == Role.COORDINATOR
    assert Membership.objects.get(user=cesf).role == Role.CESF

    root = User.objects.create_superuser("root", "root@demo.invalid", "Un mot de passe long 2026")
    client.force_login(root)
    url = reverse("admin:partners_user_change", args=[other.pk])
    page = client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = admin_post_data(page, **{f"{prefix}-0-role": "manager"})
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(user=other).role == Role.MANAGER


def test_membership_changes_are_in_the_history_with_who_when_and_what(client, coordinator, demo):
    cesf = demo["cesf.actis"]
    client.force_login(coordinator)
    url = reverse("admin:partners_user_change", args=[cesf.pk])
    page = client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    opac = Partner.objects.get(short_name="opac38")
    data = admin_post_data(page, **{f"{prefix}-0-partner": opac.pk})
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(user=cesf).partner == opac
    history = client.get(reverse("partners:account_history"))
    assert history.status_code == 200
    text = history.content.decode()
    assert "Actis" in text and "Opac38" in text
    assert str(coordinator) in text
    assert "Aucun champ modifié" not in text
