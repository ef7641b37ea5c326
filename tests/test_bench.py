"""The benchmark's two commands keep working as the application grows (tiny scale)."""

import json
from io import StringIO

from django.core.management import call_command

from actions.models import FollowUp, SupportMeasure
from households.models import Household


def test_bench_data_builds_the_named_fixtures_and_bench_prints_figures(db):
    call_command("bench_data", scale=0.003, seed=7, stdout=StringIO())
    bench = Household.objects.filter(created_by_partner__short_name__startswith="bench-")
    assert bench.count() == 300
    caseworker_sees = Household.objects.filter(
        group_permissions__group__partner__short_name="bench-a01",
        group_permissions__permission__codename="view_household",
    ).count()
    assert caseworker_sees == 6
    bench_household = Household.objects.get(reference="LT-2026-BENCH")
    assert FollowUp.objects.filter(household=bench_household).count() >= 200
    active = (
        SupportMeasure.objects.active()
        .filter(action__association__short_name__startswith="bench-")
        .count()
    )
    assert active == 120  # 40 % of the first action of each household

    out = StringIO()
    call_command("bench", repeat=2, skip_sweep=True, stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["caseworker_sees"] == 6
    first_page = figures["lists"]["households_first_page"]
    assert first_page["page"]["status"] == [200]
    assert first_page["floor"]["rows"] == 6
    assert figures["lists"]["household_page_200_follow_ups"]["page"]["status"] == [200]
    pdf = figures["pdf"]
    assert pdf["typical"]["status"] == pdf["200_follow_ups"]["status"] == [200]
    assert 0 < pdf["typical"]["follow_ups"] < 200
    assert set(figures["targets"]) >= {"pdf_typical_under_1s", "pdf_200_follow_ups_under_1s"}
    assert figures["request_cost"]["profile_page"]["status"] == [200]
