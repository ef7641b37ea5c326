"""Charts drawn on the server as SVG (no script): horizontal bars, one per row of a table,
that scale down to a phone's width (the SVG has a viewBox and no fixed width)."""

from decimal import Decimal

from stats.indicators import Table
from stats.templatetags.stats_format import figure_text

WIDTH = 520
LABEL_WIDTH = 200
VALUE_ROOM = 90


def bars(table: Table, column: str, *, skip: tuple[str, ...] = ("Total",)) -> dict | None:
    """One bar per row for `column`; a hidden cell (statistical secrecy) draws no bar and
    reads « < 5 ». None when every value is zero."""
    index = table.columns.index(column)
    unit = table.units[index]
    rows = [row for row in table.rows if row.label not in skip]
    if not rows:
        return None
    values = [
        Decimal(row.cells[index].value or 0) if not row.cells[index].suppressed else Decimal(0)
        for row in rows
    ]
    if not any(values) and not any(row.cells[index].suppressed for row in rows):
        return None  # nothing to draw
    top = max([abs(v) for v in values] + [Decimal(1)])
    items, y = [], 0
    for row, value in zip(rows, values, strict=True):
        width = int(abs(value) / top * (WIDTH - LABEL_WIDTH - VALUE_ROOM))
        items.append(
            {
                "label": row.label,
                "y": y,
                "width": width,
                "text": figure_text(row.cells[index], unit),
                "text_x": LABEL_WIDTH + width + 6,
            }
        )
        y += 20
    return {
        "key": table.key,
        "title": f"{table.title} — {column}",
        "bars": items,
        "height": y + 4,
        "width": WIDTH,
        "label_width": LABEL_WIDTH,
    }
