from django.core.management.base import BaseCommand
from django.db import transaction

from households import demo as households_demo
from partners import demo as partners_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (partenaires, utilisateurs, ménages). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        users = partners_demo.load()
        created = households_demo.load(users)
        self.stdout.write(
            f"Démo : {len(users)} utilisateurs, {created} ménage(s) ajouté(s) cette fois-ci."
        )
