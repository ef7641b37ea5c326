"""Members added several at once: blank lines without JavaScript, « Ajouter une ligne » with
it (static/js/formset.js clones the empty form), one error summary for the whole page."""

import re
from html import unescape

from django.urls import reverse

from households.models import Household
from tests.factories import household_create
from tests.helpers import household_form_data


def member(index: int, first: str, last: str, relationship: str) -> dict:
    return {
        f"members-{index}-first_name": first,
        f"members-{index}-last_name": last,
        f"members-{index}-relationship": relationship,
        f"members-{index}-birth_date": "",
        f"members-{index}-occupation": "",
        f"members-{index}-left_on": "",
    }


def test_a_family_of_three_is_entered_in_one_save(logged_in, cesf):
    data = household_form_data(landlord=str(cesf.partner.pk), **{"members-TOTAL_FORMS": "4"})
    data.update(member(1, "Léa", "LAMBERT", "spouse"))
    data.update(member(2, "Noé 🙂", "LAMBERT", "child"))
    data.update(member(3, "", "", ""))  # a line left blank
    response = logged_in.post(reverse("households:create"), data)
    assert response.status_code == 302
    household = Household.objects.get(name="Lambert")
    assert sorted(household.members.values_list("first_name", flat=True)) == [
        "Alice",
        "Léa",
        "Noé 🙂",
    ]


def test_the_form_offers_blank_lines_and_an_add_line_button(logged_in, cesf):
    page = logged_in.get(reverse("households:create")).content.decode()
    assert 'name="members-TOTAL_FORMS" value="3"' in page
    for index in range(3):
        assert f'name="members-{index}-first_name"' in page
    template = page[page.index("<template data-formset-empty>") : page.index("</template>")]
    assert 'name="members-__prefix__-first_name"' in template
    assert "Ajouter une ligne" in page and "js/formset.js" in page
    assert "enregistrez puis revenez" not in page


def test_members_are_added_to_an_existing_household_several_at_once(logged_in, cesf):
    household = household_create(by=cesf, members=1)
    page = logged_in.get(reverse("households:edit", args=[household.pk])).content.decode()
    assert 'name="members-TOTAL_FORMS" value="4"' in page  # the member and three blank lines
    existing = household.members.get()
    data = household_form_data(
        name=household.name,
        landlord=str(cesf.partner.pk),
        version=str(household.version),
        **{"members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "1"},
    )
    data.update(member(0, existing.first_name, existing.last_name, existing.relationship))
    data["members-0-id"] = str(existing.pk)
    data["members-0-household"] = str(household.pk)
    data.update(member(1, "Inès", "DURAND", "child"))
    data.update(member(2, "Élie", "DURAND", "child"))
    response = logged_in.post(reverse("households:edit", args=[household.pk]), data)
    assert response.status_code == 302
    assert household.members.count() == 3


def test_a_member_line_in_error_is_in_the_one_summary_at_the_top(logged_in, cesf):
    data = household_form_data(landlord=str(cesf.partner.pk), **{"members-TOTAL_FORMS": "2"})
    data.update(member(1, "Léa", "", "spouse"))
    data["members-1-birth_date"] = "pas une date"
    page = unescape(logged_in.post(reverse("households:create"), data).content.decode())
    assert page.count("data-error-summary") == 1
    summary = page[page.index("data-error-summary") :]
    summary = summary[: summary.index("</div>")]
    assert re.search(r'<a href="#id_members-1-birth_date">Ligne 2 — [^<]+ : ', summary)
    assert not Household.objects.filter(name="Lambert").exists()
    assert 'value="Léa"' in page
