from django.core.management.base import BaseCommand
from django.db import transaction

from logement_toujours.demo import load_all


class Command(BaseCommand):
    help = "Charge les données de démonstration (partenaires, ménages, suivi, budget). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        users, created = load_all()
        self.stdout.write(
            f"Démo : {len(users)} utilisateurs, {created} ménage(s) ajouté(s) cette fois-ci."
        )
