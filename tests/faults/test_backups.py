"""`make backup` and `make restore`: a database dumped, dropped and restored holds the same
ledger, history and access log, to the byte; the embedded SQLite is saved while open."""

import os
import sqlite3
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from logement_toujours.demo import load_all

ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    "funding_ledgerentry",
    "households_historicalhousehold",
    "actions_historicalaction",
    "households_accesslogentry",
]


def url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def checksums(database: str) -> dict[str, tuple[int, str]]:
    with psycopg.connect(url(database)) as db:
        return {
            table: db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f"FROM {table} t"
            ).fetchone()
            for table in TABLES
        }


def checksums_or_none(database: str):
    try:
        return checksums(database)
    except psycopg.errors.UndefinedTable:
        return None


def run(script: str, *args: str, database: str, **env: str) -> str:
    return subprocess.run(
        ["bash", f"scripts/{script}", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url(database), **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def recreate(database: str) -> None:
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is for PostgreSQL")
def test_a_dump_dropped_and_restored_gives_back_the_ledger_history_and_access_log(
    transactional_db, tmp_path
):
    load_all(documents=False)  # committed: pg_dump reads it from another connection
    source = connection.settings_dict["NAME"]
    scratch = f"{source}_backup"
    try:
        # A copy of the demo, where the pages were read (the access log) as in production.
        recreate(scratch)
        run("restore.sh", run("backup.sh", database=source, BACKUP_DIR=str(tmp_path)).strip(),
            database=scratch)  # fmt: skip
        with psycopg.connect(url(scratch)) as db:
            db.execute(
                "INSERT INTO households_accesslogentry "
                "(at, user_id, partner_id, household_id, household_pk, action, path, count) "
                "SELECT now(), (SELECT min(id) FROM partners_user), created_by_partner_id, id, id, "
                "'view', "
                "'/menages/' || id || '/?q=« Dupont »', 1 FROM households_household"
            )
        before = checksums(scratch)
        assert all(count > 0 for count, _ in before.values()), before

        backup = run("backup.sh", database=scratch, BACKUP_DIR=str(tmp_path)).strip()
        assert backup.endswith(".dump") and Path(ROOT, backup).exists()
        recreate(scratch)  # the database lost: dropped, and created empty
        assert checksums_or_none(scratch) is None
        run("restore.sh", backup, database=scratch)
        assert checksums(scratch) == before
    finally:
        with psycopg.connect(url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_the_embedded_sqlite_is_backed_up_online_and_restored(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    live = sqlite3.connect(var / "db.sqlite3")
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE note (text text)")
    live.execute("INSERT INTO note VALUES ('Écrit avant la sauvegarde « à chaud »')")
    live.commit()
    # A reader holds the database open during the backup.
    live.execute("BEGIN")
    live.execute("SELECT * FROM note").fetchall()
    env = {"VAR_DIR": str(var), "BACKUP_DIR": str(tmp_path / "backups")}
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    backup = subprocess.run(
        ["bash", "scripts/backup.sh"],
        cwd=ROOT,
        env={**environment, **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    live.rollback()
    live.execute("DELETE FROM note")
    live.commit()
    live.close()
    subprocess.run(
        ["bash", "scripts/restore.sh", backup],
        cwd=ROOT,
        env={**environment, **env},
        check=True,
        capture_output=True,
    )
    restored = sqlite3.connect(var / "db.sqlite3")
    assert restored.execute("SELECT text FROM note").fetchall() == [
        ("Écrit avant la sauvegarde « à chaud »",)
    ]
    restored.close()
