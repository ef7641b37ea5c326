"""Addresses of many rows at once: a list page links each of its rows to the row's page, and
Django's `reverse` costs about 70 µs a call (a page of 50 rows: 3.5 ms). The address is
reversed once, for an id no row has, then that id replaced by each row's."""

from django.urls import reverse

from core.converters import MAX_ID

_STAND_IN = str(MAX_ID)


def address_for_each(viewname: str, ids) -> dict[int, str]:
    """{id: reverse(viewname, args=[id])} for each id, with one call to `reverse`."""
    template = reverse(viewname, args=[MAX_ID])
    if template.count(_STAND_IN) != 1:  # never with the project's addresses; kept honest
        return {pk: reverse(viewname, args=[pk]) for pk in ids}
    return {pk: template.replace(_STAND_IN, str(int(pk))) for pk in ids}
