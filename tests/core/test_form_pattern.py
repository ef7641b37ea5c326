"""One error pattern for every form (templates/_form_fields.html, _form_errors.html)."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_form_leaves_validation_to_the_server():
    """No English bubble from the browser: every <form> is novalidate."""
    missing = [
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in TEMPLATES.rglob("*.html")
        for tag in re.findall(r"<form\b[^>]*>", path.read_text())
        if "novalidate" not in tag
    ]
    assert missing == []


class Sample(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'il figure sur le bail.")
    kind = forms.ChoiceField(
        label="Type", choices=[("a", "Un"), ("b", "Deux")], widget=forms.RadioSelect
    )
    amount = forms.DecimalField(label="Montant", max_digits=6, decimal_places=2)

    def clean(self):
        raise forms.ValidationError("Le dossier a changé entre-temps.")


def render(form) -> str:
    template = Template('{% include "_form_fields.html" %}')
    return template.render(Context({"form": form}))


def test_errors_are_listed_at_the_top_linked_to_their_fields_and_described(db):
    page = render(Sample({"name": "", "kind": "z", "amount": "1e9"}))
    summary = page[page.index('<div class="error-summary"') : page.index("</div>")]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "<li>Le dossier a changé entre-temps.</li>" in summary
    assert '<a href="#id_name">Nom : Ce champ est obligatoire.</a>' in summary
    assert '<a href="#id_kind_0">Type : ' in summary  # a radio group: its first choice
    assert '<a href="#id_amount">Montant : ' in summary
    name_input = re.search(r'<input[^>]*name="name"[^>]*>', page).group(0)
    assert 'aria-describedby="id_name_helptext id_name_error"' in name_input
    assert 'aria-invalid="true"' in name_input
    assert 'id="id_name_error"' in page and 'id="id_name_helptext"' in page
    # A radio group has a legend, not a label pointing nowhere.
    assert 'for=""' not in page
    assert re.search(r"<fieldset[^>]*aria-describedby=\"id_kind_error\"[^>]*>\s*<legend>Type", page)


def test_a_form_without_errors_has_no_summary(db):
    assert "data-error-summary" not in render(Sample())


FILTERED_LISTS = [
    ("households:access_log", [], {"since": "hier"}, "id_since"),
    ("partners:security_log", [], {"since": "hier"}, "id_since"),
    ("funding:ledger", [2026], {"kind": "inconnu"}, "id_kind"),
    ("actions:measure_overview", [], {"association": "x"}, "id_association"),
    ("stats:page", [2026], {"since": "hier"}, "id_since"),
    ("agenda", [], {"menage": "x"}, "id_menage"),
]


@pytest.mark.parametrize(("name", "args", "params", "field"), FILTERED_LISTS)
def test_a_list_s_filters_in_error_follow_the_one_pattern(client, flow, name, args, params, field):
    """A filter that cannot be read is in the summary at the top, linked to its field; every
    id a field's aria-describedby names is on the page (its error, its help)."""
    client.force_login(flow.coordinator)
    page = client.get(reverse(name, args=args), params).content.decode()
    summary = page[page.index("data-error-summary") :]
    assert f'<a href="#{field}">' in summary[: summary.index("</div>")]
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert f"{field}_error" in " ".join(described)
    missing = [i for names in described for i in names.split() if i not in ids]
    assert missing == []
