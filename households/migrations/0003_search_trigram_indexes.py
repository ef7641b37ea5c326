"""Trigram indexes for « Mes ménages » search (reference, name, members' names).

The search uses case-insensitive substring matching (icontains), which PostgreSQL can serve
from a GIN index on UPPER(column) with pg_trgm. On other databases nothing is created."""

from django.db import migrations

INDEXES = [
    ("households_household", "reference", "household_reference_trgm"),
    ("households_household", "name", "household_name_trgm"),
    ("households_householdmember", "last_name", "member_last_name_trgm"),
    ("households_householdmember", "first_name", "member_first_name_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}"::text) '
            "gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, _, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("households", "0002_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
