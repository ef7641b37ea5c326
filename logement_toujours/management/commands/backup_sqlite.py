"""`manage.py backup_sqlite <file>`: an online backup of the embedded SQLite database (the
application may keep running: SQLite's backup API copies a consistent state)."""

import sqlite3

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Sauvegarde à chaud de la base SQLite intégrée dans le fichier donné."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        if connection.vendor != "sqlite":
            raise CommandError("La base n'est pas SQLite : utilisez `make backup` (pg_dump).")
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(file)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        self.stdout.write(f"Base sauvegardée dans {file}")
