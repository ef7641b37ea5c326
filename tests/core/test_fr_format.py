"""French formatting on pages and PDFs."""

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from core.templatetags.fr_format import date_fr, euros


def test_french_formats():
    assert euros(1234.5) == "1\u202f234,50\xa0€"
    assert euros("1234567.891") == "1\u202f234\u202f567,89\xa0€"
    assert euros(-12) == "−12,00\xa0€"
    assert date_fr(date(2027, 3, 1)) == "1er mars 2027"


def test_a_phone_number_becomes_what_a_phone_dials():
    from core.templatetags.fr_format import tel_uri

    assert tel_uri("06 12 34 56 78") == "tel:0612345678"
    assert tel_uri(" +33 6.12.34.56.78") == "tel:+33612345678"
    assert tel_uri("") == "" and tel_uri(None) == ""


# Moments as Django hands them to a filter: naive ones, and aware ones of any day from 1900
# (shown on the day they were in France).
MOMENTS = st.one_of(
    st.datetimes(),
    st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
)


def both_filters(ours: str, django: str, value) -> tuple[str, str]:
    from django.template import Context, Template

    both = Template(f"{{% load fr_format %}}{{{{ value|{ours} }}}}|{{{{ value|{django} }}}}")
    return tuple(both.render(Context({"value": value})).split("|"))


@given(st.one_of(st.dates(), MOMENTS))
def test_a_short_date_reads_as_djangos_date_filter_has_it(value):
    """`date_court` is the lists' cheaper « 24/11/2026 »: what `|date:"d/m/Y"` gives, for
    any date from year 1 to 9999, and a moment on the day it was in France."""
    short, django = both_filters("date_court", 'date:"d/m/Y"', value)
    assert short == django


def test_a_short_date_of_nothing_is_empty():
    from core.templatetags.fr_format import date_court

    assert date_court(None) == "" and date_court("") == ""


@given(MOMENTS)
def test_a_moment_reads_as_djangos_date_filter_has_it(value):
    """`date_heure` is the history's « 24/11/2026 14:05 »: `|date:"d/m/Y H:i"`, cheaper."""
    short, django = both_filters("date_heure", 'date:"d/m/Y H:i"', value)
    assert short == django
