"""Route converters for what addresses carry: a row's id is 1 to 2^63 − 1 (PostgreSQL's
bigint), a year is four digits of a plausible year; anything else is a 404, never a database
error. Registered by core.apps; every urls.py uses `<id:…>` and `<year:…>`, never `<int:…>`
(tests/faults/test_hostile_values.py checks it)."""

MAX_ID = 2**63 - 1  # the largest id a database row may have
FIRST_YEAR, LAST_YEAR = 1900, 2100


class RowIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a row id")  # the pattern does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError("not a year")
        return year

    def to_url(self, value) -> str:
        return str(int(value))
