"""The squashed migrations: one per app, taken as applied by a database on the former history,
and on PostgreSQL the objects the models do not declare (extensions, `lt_unaccent`, the
trigram indexes, the rent reductions' exclusion constraint). That the migrations produce
exactly the models is tests/test_deployment.py's `makemigrations --check`."""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

ROOT = Path(__file__).resolve().parent.parent
LOCAL_APPS = [
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).resolve().parent == ROOT
    and (Path(config.path) / "migrations" / "__init__.py").exists()
]
SEARCH_INDEXES = {
    "household_reference_unaccent_trgm": ("households_household", "reference"),
    "household_name_unaccent_trgm": ("households_household", "name"),
    "household_tenant_number_unaccent_trgm": ("households_household", "tenant_number"),
    "household_city_unaccent_trgm": ("households_household", "city"),
    "member_last_name_unaccent_trgm": ("households_householdmember", "last_name"),
    "member_first_name_unaccent_trgm": ("households_householdmember", "first_name"),
}

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="objects PostgreSQL alone has"
)


def test_every_app_has_one_initial_migration():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert set(LOCAL_APPS) >= {"core", "partners", "households", "codecision", "actions"}
    for label in LOCAL_APPS:
        names = sorted(name for app, name in loader.disk_migrations if app == label)
        # Changes after the squash come in new migrations on top of it (docs/architecture.md).
        assert [name for name in names if name.startswith("0001_")] == ["0001_initial"], label


@pytest.mark.django_db
def test_a_database_on_the_former_history_applies_only_what_came_after_the_squash():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    after_squash = {
        (app, name)
        for app, name in loader.disk_migrations
        if app in LOCAL_APPS and not name.startswith("0001_")
    }
    recorder = MigrationRecorder(connection)
    for label in LOCAL_APPS:
        replaced = loader.disk_migrations[(label, "0001_initial")].replaces
        if label in {"households", "actions"}:
            assert replaced, label  # squashed from a longer history
        recorder.migration_qs.filter(app=label).delete()
        # What `migrate` recorded on the last release before the squash: the former history,
        # which began with a 0001_initial of the same name unless it lists another 0001.
        if not any(name.startswith("0001_") for _, name in replaced):
            recorder.record_applied(label, "0001_initial")
        for app, name in replaced:
            recorder.record_applied(app, name)
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    # Nothing the former history built is built again; the later migrations are applied.
    assert {(migration.app_label, migration.name) for migration, _ in plan} == after_squash


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@postgresql_only
@pytest.mark.django_db
def test_the_search_and_overlap_extensions_are_installed():
    installed = {name for (name,) in rows("SELECT extname FROM pg_extension")}
    assert {"pg_trgm", "unaccent", "btree_gist"} <= installed


@postgresql_only
@pytest.mark.django_db
def test_lt_unaccent_is_immutable_so_that_it_can_be_indexed():
    assert rows("SELECT provolatile FROM pg_proc WHERE proname = 'lt_unaccent'") == [("i",)]
    assert rows("SELECT upper(lt_unaccent('Inès Œuvray'))") == [("INES OEUVRAY",)]


@postgresql_only
@pytest.mark.django_db
def test_the_search_columns_have_accent_insensitive_trigram_indexes():
    found = dict(
        rows(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(SEARCH_INDEXES)],
        )
    )
    assert set(found) == set(SEARCH_INDEXES)
    for name, (table, column) in SEARCH_INDEXES.items():
        definition = found[name]
        assert f"ON public.{table} USING gin" in definition, definition
        assert f"upper(lt_unaccent(({column})::text)) gin_trgm_ops" in definition, definition


@postgresql_only
@pytest.mark.django_db
def test_rent_reductions_have_their_exclusion_constraint():
    assert rows(
        "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conname = 'rent_reductions_never_overlap' "
        "AND conrelid = 'actions_rentreduction'::regclass"
    ) == [
        (
            "x",
            "EXCLUDE USING gist (action_id WITH =, "
            "daterange(starts_on, ends_on, '[]'::text) WITH &&)",
        )
    ]
