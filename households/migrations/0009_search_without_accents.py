"""Search without accents (« Ines » finds « Inès »): PostgreSQL's `unaccent` extension, an
immutable `lt_unaccent` on top of it (PostgreSQL will not index a function that is not), and
trigram indexes on UPPER(lt_unaccent(column)) for what « Mes ménages » searches: the
household's name, reference, tenant number and town, its members' names. They replace the
indexes of migration 0003 on UPPER(column). On other databases nothing is created (SQLite gets
`lt_unaccent` from core.search)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION lt_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""

INDEXES = [
    ("households_household", "reference", "household_reference_unaccent_trgm"),
    ("households_household", "name", "household_name_unaccent_trgm"),
    ("households_household", "tenant_number", "household_tenant_number_unaccent_trgm"),
    ("households_household", "city", "household_city_unaccent_trgm"),
    ("households_householdmember", "last_name", "member_last_name_unaccent_trgm"),
    ("households_householdmember", "first_name", "member_first_name_unaccent_trgm"),
]
REPLACED = [
    ("households_household", "reference", "household_reference_trgm"),
    ("households_household", "name", "household_name_trgm"),
    ("households_householdmember", "last_name", "member_last_name_trgm"),
    ("households_householdmember", "first_name", "member_first_name_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(FUNCTION)
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f'USING gin (UPPER(lt_unaccent("{column}"::text)) gin_trgm_ops)'
        )
    for _, _, name in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, _, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for table, column, name in REPLACED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}"::text) '
            "gin_trgm_ops)"
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS lt_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [("households", "0008_access_log_partner_and_count")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
