"""The fault suite's figures: each scenario adds what it counted, and the run ends by
printing them (a table and one JSON line), as `make faults` and CI show them."""

import json

import pytest

FIGURES = {
    "writes attempted": 0,
    "writes lost": 0,
    "duplicates": 0,
    "longest request while the broker was frozen (s)": 0.0,
    "5xx outside the outage window": 0,
    "e-mails lost when a worker was killed": 0,
    "e-mails sent twice (the one in flight at the kill, at most 1)": 0,
}
SCENARIOS: list[str] = []


class Figures:
    def add(self, scenario: str, **counts) -> None:
        """`attempted`, `lost`, `duplicates`, `outside_5xx`, `emails_lost`, `emails_twice`
        add up; `frozen_seconds` keeps the longest."""
        SCENARIOS.append(scenario)
        FIGURES["writes attempted"] += counts.get("attempted", 0)
        FIGURES["writes lost"] += counts.get("lost", 0)
        FIGURES["duplicates"] += counts.get("duplicates", 0)
        FIGURES["5xx outside the outage window"] += counts.get("outside_5xx", 0)
        FIGURES["e-mails lost when a worker was killed"] += counts.get("emails_lost", 0)
        key = "e-mails sent twice (the one in flight at the kill, at most 1)"
        FIGURES[key] += counts.get("emails_twice", 0)
        key = "longest request while the broker was frozen (s)"
        FIGURES[key] = round(max(FIGURES[key], counts.get("frozen_seconds", 0.0)), 3)


@pytest.fixture
def figures() -> Figures:
    return Figures()


def pytest_terminal_summary(terminalreporter):
    if not SCENARIOS:
        return
    terminalreporter.section("fault suite figures")
    for scenario in SCENARIOS:
        terminalreporter.write_line(f"scenario: {scenario}")
    width = max(len(name) for name in FIGURES)
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name:<{width}}  {value}")
    terminalreporter.write_line("FAULTS " + json.dumps({**FIGURES, "scenarios": SCENARIOS}))
