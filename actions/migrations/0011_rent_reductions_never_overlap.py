"""Two rent reductions of one action never cover the same month (actions.services
rent_reduction_create says so in French first). On PostgreSQL the database also refuses it:
an exclusion constraint on the action and the months' range. Other databases rely on the
service."""

from django.db import migrations

NAME = "rent_reductions_never_overlap"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE actions_rentreduction ADD CONSTRAINT {NAME} EXCLUDE USING gist "
        "(action_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE actions_rentreduction DROP CONSTRAINT IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("actions", "0010_text_bounds_and_dates")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
