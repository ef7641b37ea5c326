"""The benchmark's two commands keep working as the application grows (tiny scale)."""

import json
from io import StringIO

from django.core.management import call_command

from actions.models import FollowUp, SupportMeasure
from households.models import Household
from notifications.models import Notification
from partners.models import User


def test_bench_data_builds_the_named_fixtures_and_bench_prints_figures(db, settings):
    # A cap the filtered page passes: its floor must then count as the page does.
    settings.CASELOAD_COUNT_CAP = 1
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
    # The history the forms would have left: 60 edits of LT-2026-BENCH, by several people,
    # its landlord changed now and then; and the creation and edits of a tenth of the others.
    history = Household.history.model.objects
    edits = history.filter(id=bench_household.pk, history_type="~")
    assert edits.count() == 60
    assert edits.values("history_user").distinct().count() == 4
    assert edits.values("landlord").distinct().count() > 1
    assert history.filter(id=bench_household.pk, history_type="+").count() == 1
    tenth = [pk for pk in bench.values_list("pk", flat=True) if pk % 10 == 0]
    tenth = [pk for pk in tenth if pk != bench_household.pk]
    created = history.filter(id__in=bench.values("pk"), history_type="+").exclude(
        id=bench_household.pk
    )
    assert sorted(created.values_list("id", flat=True)) == sorted(tenth)
    assert history.filter(id__in=tenth, history_type="~").count() >= len(tenth)
    assert bench_household.diagnostics.count() == 6
    assert (
        bench_household.diagnostics.model.history.filter(
            household_id=bench_household.pk, history_type="~"
        ).count()
        == 12
    )
    # The worst-case partner sees as many households as the ordinary one, the oldest.
    oldest = User.objects.get(username="bench.oldest")
    theirs = Household.objects.visible_to(oldest)
    assert theirs.count() == caseworker_sees
    newest_of_theirs = max(theirs.values_list("updated_at", flat=True))
    assert (
        bench.exclude(pk__in=theirs.values("pk")).filter(updated_at__lt=newest_of_theirs).count()
        == 0
    )
    # 1.6 M notifications at scale 1 for one user: mostly read, some unread, some tasks.
    notified = Notification.objects.filter(recipient__username="bench.notified")
    assert notified.count() == 4800
    assert notified.filter(read_at=None).count() == 150
    assert notified.filter(task=True, done_at=None).count() == 9
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
    # The honest floors return the rows and the count the pages show.
    for name in (
        "households_first_page",
        "households_filtered_page",
        "households_search_name",
        "households_search_reference",
        "api_households",
        "coordinator_active_measures",
    ):
        assert figures["lists"][name]["floor_same_rows_as_page"] is True, name
    assert figures["lists"]["households_search_reference"]["floor"]["rows"] == 1
    assert figures["data"]["bench_household_edits"] == 60
    worst = figures["worst_case_partner"]
    assert worst["sees"] == {"ordinary": 6, "worst": 6}
    assert worst["first_page"]["worst"]["status"] == [200]
    assert worst["api_households"]["worst"]["status"] == [200]
    for page in ("first_page", "filtered_page", "search_name", "api_households"):
        assert worst[page]["worst"]["queries"] == worst[page]["ordinary"]["queries"], page
    notifications = figures["notifications"]
    assert notifications["notifications"] == 4800
    assert notifications["header_counts_alone"]["queries"] == 2
    assert notifications["centre_first_page"]["floor_same_rows_as_page"] is True
    assert notifications["api_first_page"]["floor_same_rows_as_page"] is True
    for name in ("centre_first_page", "centre_deep_page", "api_first_page", "api_deep_page"):
        assert notifications[name]["page"]["status"] == [200], name
        assert notifications[name]["floor"]["rows"] == 51, name
    assert figures["lists"]["household_page_200_follow_ups"]["page"]["status"] == [200]
    pdf = figures["pdf"]
    assert pdf["typical"]["status"] == pdf["200_follow_ups"]["status"] == [200]
    assert 0 < pdf["typical"]["follow_ups"] < 200
    assert set(figures["targets"]) >= {"pdf_typical_under_1s", "pdf_200_follow_ups_under_1s"}
    assert figures["request_cost"]["profile_page"]["status"] == [200]
