"""French formatting on pages and PDFs."""

from datetime import date

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
