"""The state machine tables are the only place statuses change (core.states).

Two proofs: no code outside core.states.transition assigns a workflow status (an AST scan
of every app), and every move recorded in the histories of the demo's workflow is one the
tables allow (tests/test_workflow_properties.py checks the same after every random step)."""

import ast
from pathlib import Path

import pytest

from actions.models import MeasureStatus, SupportMeasure
from core.errors import DomainError
from core.states import allowed, initial_status, transition
from tests.helpers import STATEFUL, assert_every_recorded_move_is_allowed, recorded_moves

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "actions",
    "cases",
    "codecision",
    "core",
    "funding",
    "households",
    "logement_toujours",
    "notifications",
    "partners",
]
# The only function that may assign a status.
TRANSITION = ROOT / "core" / "states.py"
# The benchmark builds its synthetic rows in bulk, statuses included, never through the
# workflow: it reads as data, not as a step.
BULK_FIXTURES = {ROOT / "logement_toujours" / "management" / "commands" / "bench_data.py"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path not in BULK_FIXTURES:
                yield path


def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that write a `status` field: `x.status = …`, `setattr(x, "status", …)`,
    `….update(status=…)`, `….create(status=…)` and a model built with `status=…`."""
    lines = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for element in ast.walk(target):
                if isinstance(element, ast.Attribute) and element.attr == "status":
                    lines.append(node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "setattr" and len(node.args) > 1:
                field = node.args[1]
                if isinstance(field, ast.Constant) and field.value == "status":
                    lines.append(node.lineno)
            writers = {"update", "create", "get_or_create", "update_or_create"}
            writers |= {model.__name__ for model in STATEFUL}
            if name in writers and any(k.arg == "status" for k in node.keywords):
                lines.append(node.lineno)
    return lines


# Files whose `status` is no workflow status: an HTTP status code kept with a replayed answer.
NOT_WORKFLOW = {"core/idempotency.py"}


def test_no_code_but_the_transition_function_writes_a_status():
    offenders = []
    for path in _sources():
        if str(path.relative_to(ROOT)) in NOT_WORKFLOW:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        lines = _status_writes(tree)
        if path == TRANSITION:
            assert len(lines) == 1, "core.states.transition assigns the status, once"
            continue
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert offenders == []


def test_the_scan_finds_each_way_of_writing_a_status():
    source = """
a.status = "closed"
a.b.status += "x"
setattr(a, "status", "closed")
Action.objects.filter(pk=1).update(status="closed")
CoDecision(status="approved")
"""
    assert len(_status_writes(ast.parse(source))) == 5
    assert _status_writes(ast.parse("a.fsl_status = 'x'\nb = a.status\nf(status=1)")) == []


@pytest.mark.parametrize("model", STATEFUL)
def test_every_status_is_reached_from_the_initial_one_and_each_table_names_real_statuses(model):
    statuses = {value for value, _ in model._meta.get_field("status").choices}
    assert initial_status(model) == model._meta.get_field("status").default
    reachable, frontier = set(), {initial_status(model)}
    while frontier:
        status = frontier.pop()
        reachable.add(status)
        frontier |= set(model.TRANSITIONS.get(status, ())) - reachable
    # No status no row can keep: each one is reached by some move of the table.
    assert reachable == statuses
    assert set(model.TRANSITIONS) - {None} <= statuses


def test_a_move_outside_the_table_is_refused_in_french(demo):
    measure = SupportMeasure.objects.filter(status=MeasureStatus.CLOSED).first()
    assert measure is not None
    assert not allowed(SupportMeasure, MeasureStatus.CLOSED, MeasureStatus.ACTIVE)
    with pytest.raises(DomainError, match="Passage impossible de « Clôturée » à « En cours »"):
        transition(measure, MeasureStatus.ACTIVE, by=demo["coordinator.lt"], reason="essai")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CLOSED


def test_every_move_recorded_in_the_demo_histories_is_in_the_tables(demo):
    assert any(recorded_moves(model) for model in STATEFUL)
    assert_every_recorded_move_is_allowed()
