"""Account pages refused with their own message, said once in partners.permissions."""

import html

from django.urls import reverse

from partners.models import Role
from tests.factories import user_create


def refusal(client, user, name: str) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse(name))
    return response.status_code, html.unescape(response.content.decode())


def test_a_manager_reads_neither_the_security_log_nor_the_accounts_history(client, db):
    manager = user_create(Role.MANAGER)
    message = (
        "Les partenaires, l'historique des comptes et le journal de sécurité sont réservés à "
        "la coordination."
    )
    for name in ("partners:security_log", "partners:account_history"):
        status, page = refusal(client, manager, name)
        assert status == 403 and message in page, name


def test_a_caseworker_manages_no_account(client, db):
    status, page = refusal(client, user_create(Role.CASEWORKER), "partners:partner_list")
    assert status == 403
    assert "Seuls les responsables et la coordination gèrent les comptes." in page


def test_the_coordination_reads_the_security_log(client, db):
    status, _ = refusal(client, user_create(Role.COORDINATOR), "partners:security_log")
    assert status == 200
