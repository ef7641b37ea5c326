"""How long a text typed by a user may be: each limit is declared here, once.

The models declare their free-text fields with `BoundedTextField(limit=…)`; the form and the
API field built from the model take the same `max_length` (French message beyond it), and
the database refuses a longer text (a CHECK constraint the field adds to its model). Forms
and serializers that declare a text field of their own use `form_field` /
`serializer_field` with a limit from here. Services save through
`core.history.save_with_history`, which checks every bounded field (`check_bounds`) and
answers a French DomainError instead of a database error.

A history's change reason (django-simple-history) is a text column with no limit: a reason
built from a comment keeps the whole comment (settings
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD). A label made of other texts (a ledger
line « Correction : … — motif ») is shortened with `clip`, the whole text being kept in
its own column.
"""

import hashlib

from django import forms
from django.apps import apps as global_apps
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from rest_framework import serializers

from core.errors import DomainError

# A name, an address, a label, a next step: one line.
SHORT_LINE = 200
# A reason, a comment, an answer, an objective's progress, an outcome's details.
REASON = 10_000
# An account of a visit or an interview, a diagnostic's conclusion, a committee's minutes.
ACCOUNT = 50_000


def too_long_message(limit: int, length: int) -> str:
    return (
        f"Ce texte compte {length:,} caractères ; la limite est de {limit:,} caractères. "
        "Raccourcissez-le ou répartissez-le en plusieurs notes."
    ).replace(",", "\u202f")


NUL_MESSAGE = "Ce texte contient un caractère nul (copié d'un autre logiciel) : retirez-le."


class BoundedTextField(models.TextField):
    """A free text with a maximum length that the form, the API and the database agree on."""

    def __init__(self, *args, limit: int | None = None, **kwargs):
        kwargs["max_length"] = limit or kwargs.get("max_length") or REASON
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        """The model also gets the database's CHECK on the text's length (a constraint of
        its Meta, so that migrations create it)."""
        super().contribute_to_class(cls, name, *args, **kwargs)
        if cls._meta.abstract or hasattr(cls, "instance_type"):
            return  # a history (django-simple-history) copies rows already checked
        if cls._meta.apps is not global_apps:
            # A model that a migration builds (from its state, or SQLite's copy of a table it
            # rebuilds) has the constraints the migrations list, no more: otherwise a
            # CreateModel then its AddConstraint would create the CHECK twice.
            return
        name = _constraint_name(cls._meta.db_table, self.attname)
        constraint = models.CheckConstraint(
            condition=LessThanOrEqual(Length(self.attname), self.max_length),
            name=name,
            violation_error_message=too_long_message(self.max_length, self.max_length + 1),
        )
        if any(known.name == constraint.name for known in cls._meta.constraints):
            return  # its Meta declares it already
        cls._meta.constraints = [*cls._meta.constraints, constraint]
        # Migrations read a model's options from what its Meta declared.
        cls._meta.original_attrs["constraints"] = cls._meta.constraints


def _constraint_name(table: str, column: str) -> str:
    name = f"{table}_{column}_length"
    if len(name) <= 60:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[:47]}_{digest}_len"


def check_bounds(obj: models.Model) -> None:
    """Refuse with a French DomainError any bounded text of `obj` longer than its limit."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, BoundedTextField | models.CharField) and field.max_length:
            value = getattr(obj, field.attname)
            if not isinstance(value, str):
                continue
            if len(value) > field.max_length:
                raise DomainError(too_long_message(field.max_length, len(value)), field=field.name)
            if "\x00" in value:
                raise DomainError(NUL_MESSAGE, field=field.name)


def ensure_within(text: str, limit: int, *, field: str | None = None) -> str:
    """`text` unchanged, or a French DomainError when it exceeds `limit`."""
    if len(text) > limit:
        raise DomainError(too_long_message(limit, len(text)), field=field)
    return text


def clip(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters with an ellipsis (for labels made of texts
    kept whole elsewhere)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def form_field(limit: int, **kwargs) -> forms.CharField:
    """A form's free-text field of at most `limit` characters (a textarea)."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(max_length=limit, **kwargs)


def serializer_field(limit: int, **kwargs) -> serializers.CharField:
    """An API free-text field of at most `limit` characters."""
    return serializers.CharField(max_length=limit, **kwargs)
