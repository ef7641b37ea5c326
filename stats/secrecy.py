"""Statistical secrecy: no figure lets anyone single out a household.

A figure that rests on fewer than STATS_SMALL_CELL_THRESHOLD households (1 to 4 by default;
0 singles out nobody) is hidden (« < 5 ») for everyone except the coordination. Where one
hidden cell could be worked out from a total and the cells beside it, a second cell of the
same total is hidden as well (the table's `column_groups` and `row_groups`)."""

import copy

from django.conf import settings

from partners.models import User
from stats.indicators import Cell, Indicators, Table


def is_small(cell: Cell, threshold: int) -> bool:
    return cell.base is not None and 0 < cell.base < threshold


def sees_every_cell(user: User) -> bool:
    """The coordination reads exact figures; everybody else reads them with the secrecy."""
    return user.is_coordinator


def for_user(indicators: Indicators, user: User) -> Indicators:
    if sees_every_cell(user):
        return indicators
    return apply(indicators)


def apply(indicators: Indicators, threshold: int | None = None) -> Indicators:
    threshold = settings.STATS_SMALL_CELL_THRESHOLD if threshold is None else threshold
    hidden = copy.deepcopy(indicators)
    hidden.suppressed = True
    for headline in hidden.headlines:
        headline.cell.suppressed = is_small(headline.cell, threshold)
    for table in hidden.tables:
        _hide(table, threshold)
    return hidden


def hide_table(table: Table, threshold: int | None = None) -> None:
    """Apply the secrecy to one table, in place."""
    _hide(table, settings.STATS_SMALL_CELL_THRESHOLD if threshold is None else threshold)


def _hide(table: Table, threshold: int) -> None:
    for row in table.rows:
        for cell in row.cells:
            cell.suppressed = is_small(cell, threshold)
    lines = []
    for total, parts in table.column_groups:
        for row in table.rows:
            lines.append(
                (row.cells[total] if total is not None else None, [row.cells[i] for i in parts])
            )
    for total, parts in table.row_groups:
        for column in range(len(table.columns)):
            lines.append(
                (
                    table.rows[total].cells[column] if total is not None else None,
                    [table.rows[i].cells[column] for i in parts],
                )
            )
    # Hiding a cell may expose another line: go on until nothing changes.
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            changed |= _hide_a_second(total, parts)


def _hide_a_second(total: Cell | None, parts: list[Cell]) -> bool:
    counted = [c for c in parts if c.base is not None and c.value]
    if sum(1 for c in counted if c.suppressed) != 1:
        return False
    if total is not None and total.suppressed:
        return False
    others = sorted((c for c in counted if not c.suppressed), key=lambda c: c.value)
    if others:
        others[0].suppressed = True
        return True
    if total is not None:
        total.suppressed = True
        return True
    return False
