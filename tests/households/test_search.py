"""« Mes ménages » search forgives accents and case, and finds a household by its name, its
members' names, reference, tenant number, town or phone — only among the user's caseload."""

import sqlite3

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.search import register_sqlite_functions, strip_accents
from households.models import Household
from partners.models import Role
from tests.factories import household_create, user_create


def found(user, text: str) -> set[str]:
    return set(Household.objects.visible_to(user).search(text).values_list("name", flat=True))


def test_accents_and_case_do_not_matter(cesf):
    household_create(by=cesf, name="Bénédicte", city="Échirolles")
    household_create(by=cesf, name="Lefèvre-Cœur", city="Saint-Martin-d'Hères")
    assert found(cesf, "benedicte") == {"Bénédicte"}
    assert found(cesf, "ECHIROLLES") == {"Bénédicte"}
    assert found(cesf, "coeur") == {"Lefèvre-Cœur"}
    assert found(cesf, "martin-d'heres") == {"Lefèvre-Cœur"}
    assert found(cesf, "Lefèvre") == {"Lefèvre-Cœur"}


def test_members_tenant_number_reference_and_phone(cesf):
    household = household_create(
        by=cesf,
        name="Durand",
        tenant_number="ACT-004521",
        contact_phone="06 12.34 56 78",
    )
    household.members.update(first_name="Inès")
    household_create(by=cesf, name="Blanc")
    assert found(cesf, "Ines") == {"Durand"}
    assert found(cesf, "4521") == {"Durand"}
    assert found(cesf, household.reference.lower()) == {"Durand"}
    assert found(cesf, "0612345678") == {"Durand"}
    assert found(cesf, "06 12 34") == {"Durand"}


def test_wildcards_quotes_and_emoji_are_plain_text(cesf):
    household_create(by=cesf, name="Durand")
    for text in ("%", "_", "'", '"', "🏠", "\\", "Du%nd", "x" * 500):
        assert found(cesf, text) == set(), text


def test_another_partners_households_are_never_found(cesf):
    other = user_create(Role.CESF)
    household_create(by=other, name="Inès Étrangère")
    assert found(cesf, "ines") == set()
    assert found(other, "ines") == {"Inès Étrangère"}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from("aàâäeéèêëiîïoôöuùûüyÿcçnñœæAÉÈÎÔÙÇŒ -'"),
        min_size=3,
        max_size=30,
    ).filter(lambda name: name.strip() and len(name.strip()) >= 3)
)
def test_a_name_is_found_by_what_a_hurried_user_types(cesf, name):
    household = household_create(by=cesf, name=name.strip())
    typed = strip_accents(name.strip()).lower()
    assert household.pk in set(
        Household.objects.visible_to(cesf).search(typed).values_list("pk", flat=True)
    )
    household.delete()


def test_the_page_and_the_api_search_without_accents(client, cesf):
    household_create(by=cesf, name="Inès Martin")
    household_create(by=cesf, name="Blanc")
    client.force_login(cesf)
    page = client.get(reverse("households:list"), {"q": "ines"}).content.decode()
    assert "Inès Martin" in page and "Blanc" not in page
    api = client.get("/api/households/", {"q": "INES"}).json()
    names = [row["name"] for row in api.get("results", api)]
    assert names == ["Inès Martin"]


def test_the_embedded_database_strips_accents_too():
    raw = sqlite3.connect(":memory:")

    class Connection:
        vendor = "sqlite"
        connection = raw

    register_sqlite_functions(None, Connection())
    assert raw.execute("SELECT upper(lt_unaccent('Inès Lefèvre-Cœur'))").fetchone() == (
        "INES LEFEVRE-COEUR",
    )
    assert raw.execute("SELECT lt_unaccent(NULL)").fetchone() == (None,)
