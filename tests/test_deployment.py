"""What a maintainer checks before deploying: settings, migrations, the compose file."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PRODUCTION": "true",
    "SECRET_KEY": "k" * 20 + "a-real-secret-key-from-the-environment-0123456789",
    "DATABASE_URL": "postgres://logement@db.example/logement",
    "REDIS_URL": "redis://cache.example:6379/0",
    "ALLOWED_HOSTS": "logement.example.org",
    "SITE_URL": "https://logement.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": "short"}, "real SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"SITE_URL": None}, "SITE_URL"),
        ({"SITE_URL": "http://logement.example.org"}, "SITE_URL"),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_default(override, message):
    env = {**PRODUCTION_ENV, **override}
    env = {k: v for k, v in env.items() if v is not None}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_setting_value_fails_loudly():
    result = manage("check", env={"SESSION_COOKIE_AGE": "eight hours"})
    assert result.returncode != 0
    assert "SESSION_COOKIE_AGE must be a whole number" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_compose_file_describes_the_production_services():
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is missing: scripts/install-test-deps.sh installs it")
        pytest.skip("docker-compose is not installed (scripts/install-test-deps.sh)")
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "h",
        "POSTGRES_PASSWORD": "p",
        "SITE_URL": "https://h",
    }
    result = subprocess.run(
        [compose, "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    workers = {"worker-notices", "worker-emails", "worker-exports", "worker-nightly"}
    assert set(services) == {"postgres", "redis", "web", "beat", "backup", *workers}
    assert "pg_dump" in services["backup"]["command"] and "backups" in config["volumes"]
    # One worker pool per queue of CELERY_TASK_ROUTES, each with its health check.
    from django.conf import settings

    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    served = set()
    for name in workers:
        command = services[name]["command"]
        served |= set(command.split("--queues=")[1].split()[0].split(","))
        assert f"--hostname={services[name]['environment']['WORKER_NAME']}@" in command
    assert routed | {"celery"} == served
    # Background pools yield the processors to the web (logement_toujours.celery).
    for name in ("worker-exports", "worker-nightly"):
        assert int(services[name]["environment"]["WORKER_NICENESS"]) > 0, name
    for name in ("web", "worker-notices", "worker-emails"):
        assert "WORKER_NICENESS" not in services[name]["environment"], name
    assert "gunicorn.conf.py" in services["web"]["command"]
    assert (ROOT / "gunicorn.conf.py").exists()
    for name in ("postgres", "redis", "web", *workers):
        assert services[name]["healthcheck"]["test"], name
    assert "postgres-data" in config["volumes"]
    assert any("postgres-data" in str(volume) for volume in services["postgres"]["volumes"])
    web = (
        " ".join(services["web"]["command"])
        if isinstance(services["web"]["command"], list)
        else services["web"]["command"]
    )
    assert web.index("migrate") < web.index("gunicorn")
    for name in ("web", "beat", *workers):
        environment = services[name]["environment"]
        assert environment["PRODUCTION"] == "true"
        assert environment["REDIS_URL"].startswith("redis://redis")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    # Documents: an S3-compatible bucket when named, the documents-data volume otherwise.
    assert "documents-data" in config["volumes"]
    for name in ("web", *workers):
        environment = services[name]["environment"]
        assert environment["DATABASE_REPLICA_URL"] == ""
        assert any("/app/var/summaries" in str(v) for v in services[name]["volumes"]), name
        assert environment["DOCUMENTS_S3_BUCKET"] == ""
        assert environment["DOCUMENTS_S3_ENCRYPTION"] == "AES256"
        assert any("/app/var/documents" in str(v) for v in services[name]["volumes"]), name
    with_bucket = subprocess.run(
        [compose, "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env={**env, "DOCUMENTS_S3_BUCKET": "documents-prod"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    web_env = yaml.safe_load(with_bucket.stdout)["services"]["web"]["environment"]
    assert web_env["DOCUMENTS_S3_BUCKET"] == "documents-prod"


def test_the_health_endpoint_answers_without_login(client, db):
    assert client.get("/sante/").json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_the_embedded_broker_keeps_its_files_under_var(tmp_path):
    """`make run` needs no Redis: tasks go through files, all of them under VAR_DIR."""
    code = (
        "import django; django.setup()\n"
        "from notifications.tasks import send_daily_digests\n"
        "send_daily_digests.apply_async()\n"
    )
    (tmp_path / "broker").mkdir()
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env = {
        **clean,
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "logement_toujours.settings",
    }
    before = {path.name for path in ROOT.iterdir()}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert {path.name for path in ROOT.iterdir()} == before
    written = [path for path in (tmp_path / "broker").rglob("*") if path.is_file()]
    assert any(path.suffix == ".msg" for path in written)
    assert any(path.parent.name == "control" for path in written)


def test_database_connections_are_kept_and_checked_before_reuse_by_default():
    script = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = manage("shell", "--no-imports", "-c", script, env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]
    result = manage("shell", "--no-imports", "-c", script, env={"DATABASE_CONN_MAX_AGE": "0"})
    assert result.stdout.split() == ["0", "True"]


def test_the_embedded_sqlite_runs_in_wal_with_a_busy_wait_and_immediate_transactions(tmp_path):
    """The embedded database (`make run`; here in a temporary folder) is opened with what
    tests/faults/test_embedded_sqlite.py holds ten writers with (settings.SQLITE_OPTIONS)."""
    script = (
        "from django.db import connection; o = connection.settings_dict['OPTIONS'];"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(c.fetchone()[0], o['transaction_mode'], o['timeout'])"
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE", "20"]


def test_a_background_worker_runs_below_the_web_processes_priority(monkeypatch):
    """WORKER_NICENESS lowers a worker's priority before its pool is made (its processes
    inherit it); unset, the worker keeps the priority it was started with."""
    from celery.signals import worker_init

    from logement_toujours import celery

    asked = []
    monkeypatch.setattr(celery.os, "nice", asked.append)
    monkeypatch.delenv("WORKER_NICENESS", raising=False)
    worker_init.send(sender=None)
    assert asked == []
    monkeypatch.setenv("WORKER_NICENESS", "10")
    worker_init.send(sender=None)
    assert asked == [10]
