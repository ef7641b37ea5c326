"""A list's links to its rows' pages, reversed once (core.addresses)."""

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core.addresses import address_for_each
from core.converters import MAX_ID


@settings(deadline=None)  # the first call loads the project's addresses
@given(st.lists(st.integers(min_value=1, max_value=MAX_ID), max_size=60))
def test_each_row_gets_the_address_reverse_gives(ids):
    for name in ("households:detail", "actions:measure_detail"):
        assert address_for_each(name, ids) == {pk: reverse(name, args=[pk]) for pk in ids}
