"""How a figure reads on the statistics pages and in the report: French numbers, euros,
and « < 5 » for a cell hidden by the statistical secrecy."""

from decimal import Decimal

from django import template
from django.conf import settings

from core.templatetags.fr_format import euros

register = template.Library()

NARROW_NBSP = "\u202f"


def hidden_label() -> str:
    return f"< {settings.STATS_SMALL_CELL_THRESHOLD}"


def number(value, places: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{Decimal(value):,.{places}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def figure_text(cell, unit: str) -> str:
    """One cell as text: the figure in its unit, « < 5 » if hidden, « — » if none."""
    if cell.suppressed:
        return hidden_label()
    value = cell.value
    if value is None:
        return "—"
    if unit == "text":
        return str(value)
    if unit == "euros":
        return euros(value)
    if unit == "percent":
        return f"{number(value, 1)}\u00a0%"
    if unit in ("months", "days", "hours") and isinstance(value, Decimal):
        return number(value, 1)
    return number(value)


@register.filter
def figure(cell, unit: str = "count") -> str:
    return figure_text(cell, unit)


def display_rows(table) -> list[tuple[str, list[str]]]:
    """The table's rows as text: (label, [each cell in its unit])."""
    return [
        (
            row.label,
            [figure_text(c, u) for c, u in zip(row.cells, table.units_of(row), strict=True)],
        )
        for row in table.rows
    ]


register.filter("display_rows", display_rows)
