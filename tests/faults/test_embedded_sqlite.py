"""The embedded default (`make run`, SQLite) holds ten people writing at once: WAL, a busy
wait and immediate transactions (settings.SQLITE_OPTIONS), and not one « database is
locked »."""

import threading

from django.conf import settings
from django.db import connections, transaction

WRITERS, WRITES = 10, 30


def test_ten_concurrent_writers_on_the_embedded_sqlite_get_no_error(tmp_path, django_db_blocker):
    alias = "embedded_sqlite"
    connections.settings[alias] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "db.sqlite3"),
        "OPTIONS": dict(settings.SQLITE_OPTIONS),
        "TEST": {},
    }
    errors: list[Exception] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        try:
            start.wait()
            for write in range(WRITES):
                # Read, then write, in one transaction: the pattern that deadlocks two
                # deferred SQLite transactions at once.
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM note WHERE writer = %s", [number])
                    (count,) = cursor.fetchone()
                    cursor.execute(
                        "INSERT INTO note (writer, text) VALUES (%s, %s)",
                        [number, f"Note n° {count + 1} — « écrite » à {write} 😊"],
                    )
        except Exception as error:  # every error is counted, none may happen
            errors.append(error)
        finally:
            connections[alias].close()

    try:
        with django_db_blocker.unblock():
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE note (writer integer, text text)")
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
            threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM note")
                written = cursor.fetchone()[0]
            connections[alias].close()
    finally:
        del connections.settings[alias]
    assert errors == []
    assert written == WRITERS * WRITES
