"""Time the PDF case summary of a typical case: prints median and p95 in JSON.

A typical case: a household with three members, a diagnostic, an energy action approved by
both sides, a measure with two objectives and 40 follow-ups (`--follow-ups N` for a longer
case). Runs on a throw-away SQLite database unless DATABASE_URL says otherwise:
`make bench-pdf`."""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="bench-pdf-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logement_toujours.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from actions import services  # noqa: E402
from logement_toujours.demo import load_all  # noqa: E402
from tests.factories import both_approve, orientation_create  # noqa: E402


def typical_case(users, follow_ups: int = 40):
    cesf, caseworker = users["cesf.actis"], users["caseworker.ulisse"]
    orientation = orientation_create(cesf=cesf, association=caseworker.partner)
    both_approve(
        orientation.action.codecisions.get(),
        landlord_user=cesf,
        caseworker=caseworker,
        starts_on=date.today() - timedelta(days=120),
    )
    measure = orientation.action.measures.get()
    for text in ("Mutation vers un logement mieux isolé", "Ouvrir les droits au chèque énergie"):
        services.objective_add(measure=measure, by=caseworker, text=text)
    for index in range(follow_ups):
        services.follow_up_create(
            household=orientation.household,
            by=caseworker,
            measure=measure,
            data={
                "happened_on": measure.starts_on + timedelta(days=index % 120),
                "kind": "home_visit" if index % 3 else "phone",
                "duration_minutes": 45,
                "summary": "Point sur le budget, les factures d'énergie et la demande de "
                "mutation ; prochain rendez-vous fixé avec le ménage.",
            },
        )
    return orientation.household, caseworker


def main(repeat: int = 20, follow_ups: int = 40) -> None:
    from logement_toujours.celery import app

    app.conf.task_always_eager = True  # no broker needed to time a PDF
    call_command("migrate", verbosity=0)
    users, _ = load_all()
    household, user = typical_case(users, follow_ups)
    client = Client()
    client.force_login(user)
    url = reverse("households:summary_pdf", args=[household.pk])
    client.get(url)  # fonts and templates loaded once, as in a running server
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    samples.sort()
    print(
        json.dumps(
            {
                "pdf_case_summary": {
                    "follow_ups": follow_ups,
                    "pages": len(PdfReader(io.BytesIO(response.content)).pages),
                    "runs": repeat,
                    "median_s": round(statistics.median(samples), 3),
                    "p95_s": round(samples[min(repeat - 1, round(0.95 * (repeat - 1)))], 3),
                    "target_s": 1.0,
                }
            }
        )
    )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--follow-ups", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    main(arguments.repeat, arguments.follow_ups)
