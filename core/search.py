"""Search that forgives accents and case: « ines » finds « Inès », « ECHIROLLES » finds
« Échirolles ».

`searchable(expression)` is the expression in upper case without its accents. On PostgreSQL
it calls `lt_unaccent`, the `unaccent` extension's function declared immutable so that a
trigram index can be built on it (households migration 0001_initial creates both); on SQLite
(the embedded mode) `lt_unaccent` is the Python function below, registered on each
connection."""

import unicodedata

from django.db import models
from django.db.models.functions import Upper

# Letters that Unicode does not decompose but `unaccent` spells out.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def strip_accents(text: str | None) -> str | None:
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Unaccent(models.Func):
    function = "lt_unaccent"
    output_field = models.TextField()


def searchable(expression) -> Upper:
    return Upper(Unaccent(expression))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite gets `lt_unaccent` in Python."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lt_unaccent", 1, strip_accents, deterministic=True)
