"""`{% error_list forms as errors %}`: every error of one or more forms or formsets, as the
error summary at the top of a form lists them (templates/_form_errors.html): the field's
label, the message, and the id of the field to jump to."""

from django import forms as django_forms
from django import template

register = template.Library()


def _anchor(field) -> str:
    if field.is_hidden or not field.auto_id:
        return ""
    # A group of radio buttons or checkboxes is reached by its first choice.
    return f"{field.auto_id}_0" if field.use_fieldset else field.id_for_label


def _form_errors(form, prefix: str = "") -> list[tuple[str, str, str]]:
    rows = [("", str(message), "") for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == django_forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        field = form[name]
        label = f"{prefix}{field.label}"
        rows.extend((label, str(message), _anchor(field)) for message in messages)
    return rows


@register.simple_tag
def error_list(forms) -> list[tuple[str, str, str]]:
    if not isinstance(forms, list | tuple):
        forms = [forms]
    rows = []
    for form in forms:
        if isinstance(form, django_forms.BaseFormSet):
            rows.extend(("", str(message), "") for message in form.non_form_errors())
            for number, row in enumerate(form.forms, start=1):
                rows.extend(_form_errors(row, prefix=f"Ligne {number} — "))
        elif form is not None:
            rows.extend(_form_errors(form))
    return rows
