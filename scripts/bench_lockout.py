"""What a login try costs with Django's real password hasher, before and after a lockout:
prints JSON. A try refused during a lock must cost no hashing (milliseconds, not the
hasher's hundreds). Runs on a throw-away SQLite database: `make bench-lockout`."""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="bench-lockout-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ.pop("REDIS_URL", None)
os.environ["VAR_DIR"] = workdir
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logement_toujours.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from partners.models import User  # noqa: E402

PASSWORD = "Un mot de passe correct 2026"


def timed(client: Client, password: str, address: str) -> tuple[int, float]:
    start = time.perf_counter()
    response = client.post(
        "/connexion/", {"username": "mesure", "password": password}, REMOTE_ADDR=address
    )
    return response.status_code, (time.perf_counter() - start) * 1000


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    User.objects.create_user("mesure", password=PASSWORD)
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    # Each failure from another address, so that the identifiant's lock is what is measured.
    failures = [timed(client, "mauvais", f"10.9.0.{i}") for i in range(limit)]
    locked = [timed(client, PASSWORD, f"10.9.1.{i}") for i in range(30)]
    print(
        json.dumps(
            {
                "hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1],
                "failure_limit": limit,
                "failures_ms": [round(ms) for _, ms in failures],
                "failures_status": [status for status, _ in failures],
                "locked_status": sorted({status for status, _ in locked}),
                "locked_p50_ms": round(statistics.median(ms for _, ms in locked), 1),
                "locked_max_ms": round(max(ms for _, ms in locked), 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
