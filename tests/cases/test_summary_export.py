"""The PDF summary off the request path: queued on the `exports` queue, the page polls until
the file is ready, the download is what the access log records, a second download of an
unchanged case reads the kept file, and the journal in the PDF is capped (the full journal
is its own export)."""

import time
from datetime import date

from django.urls import reverse

from actions import services
from cases import exports
from cases.summary import case_summary
from households.models import AccessLogEntry
from logement_toujours.celery import app
from tests.factories import household_create
from tests.helpers import pdf_text


def follow_ups(household, by, count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        services.follow_up_create(
            household=household,
            by=by,
            data={
                "happened_on": date(2026, 3, 1 + index % 28),
                "kind": "phone",
                "summary": f"Suivi n° {index:03d} — appel, échéancier évoqué 😀",
            },
        )


def exports_logged(household) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(household_pk=household.pk, action__startswith="export")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_summary_is_rendered_by_a_task_then_downloaded_from_the_kept_file(
    client, flow, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    settings.SUMMARY_CACHE_DIR = str(tmp_path)
    household = household_create(by=flow.cesf, name="Müller-Éléonore")
    follow_ups(household, flow.cesf, 3)
    client.force_login(flow.cesf)
    url = reverse("households:summary_export", args=[household.pk])
    queued = []
    monkeypatch.setattr(exports, "enqueue_on_commit", lambda task, *args: queued.append(args))
    page = client.get(url, {"version": "interne"}).content.decode()
    # Nothing rendered on the request: a progress indicator polls the same address.
    assert "Préparation du résumé PDF" in page and 'hx-trigger="every 1s"' in page
    assert queued == [(household.pk, flow.cesf.pk, "interne")]
    client.get(url, {"version": "interne"}, HTTP_HX_REQUEST="true")
    assert len(queued) == 1  # asked once while it renders
    assert exports_logged(household) == []  # waiting is not exporting
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        exports.summary_request(household, flow.cesf, "partenaires")  # queued for real
    from cases.tasks import render_summary

    render_summary.delay(household.pk, flow.cesf.pk, "interne")  # the worker's run
    status = client.get(url, {"version": "interne"}, HTTP_HX_REQUEST="true").content.decode()
    download = reverse("households:summary_download", args=[household.pk])
    assert f'href="{download}?version=interne"' in status and "<html" not in status
    assert "every 1s" not in status
    rendered = []
    real_render = exports.render_pdf
    monkeypatch.setattr(
        exports, "render_pdf", lambda *a, **k: rendered.append(1) or real_render(*a, **k)
    )
    started = time.perf_counter()
    response = client.get(download, {"version": "interne"})
    elapsed = time.perf_counter() - started
    assert response["Content-Type"] == "application/pdf" and rendered == []
    assert elapsed < 1  # a file read (well under 20 ms on the benchmark's machine)
    _, text = pdf_text(response)
    assert "Suivi n° 002" in text and household.reference in text
    assert exports_logged(household) == ["export_internal"]  # the download is logged
    # A change of the case is a new file.
    follow_ups(household, flow.cesf, 1, start=3)
    response = client.get(download, {"version": "interne"})
    assert rendered == [1] and "Suivi n° 003" in pdf_text(response)[1]


def test_the_summary_task_runs_on_the_exports_queue():
    route = app.amqp.router.route({}, "cases.tasks.render_summary")
    assert route["queue"].name == "exports"


def test_the_journal_in_the_summary_is_capped_and_the_full_journal_exported(
    client, flow, settings, tmp_path
):
    settings.SUMMARY_CACHE_DIR = str(tmp_path)
    settings.SUMMARY_JOURNAL_MAX = 4
    household = household_create(by=flow.cesf)
    follow_ups(household, flow.cesf, 7)
    summary = case_summary(household, flow.cesf)
    assert [f.summary[:12] for f in summary.follow_ups] == [
        f"Suivi n° {i:03d}" for i in range(3, 7)
    ]
    assert summary.follow_ups_total == 7 and summary.journal_truncated
    client.force_login(flow.cesf)
    _, text = pdf_text(client.get(reverse("households:summary_pdf", args=[household.pk])))
    assert "Suivi n° 006" in text and "Suivi n° 002" not in text
    assert "Les 4 suivis les plus récents sur 7" in text
    journal = client.get(reverse("households:journal_csv", args=[household.pk]))
    rows = journal.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 8 and "Suivi n° 000 — appel, échéancier évoqué 😀" in rows[1]
    assert exports_logged(household) == ["export", "export"]
