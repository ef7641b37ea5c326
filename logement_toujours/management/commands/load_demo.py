from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from logement_toujours.demo import load_all


class Command(BaseCommand):
    help = "Charge les données de démonstration (partenaires, ménages, suivi, budget). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-production",
            action="store_true",
            help="Charger la démonstration malgré PRODUCTION=true (mot de passe DEMO_PASSWORD "
            "propre, jamais celui publié).",
        )

    @transaction.atomic
    def handle(self, *args, force_production: bool = False, **options):
        if settings.PRODUCTION:
            if not force_production:
                raise CommandError(
                    "PRODUCTION=true : la démonstration crée des comptes aux mots de passe "
                    "connus. Ajoutez --force-production si c'est vraiment voulu."
                )
            if settings.DEMO_PASSWORD == settings.PUBLISHED_DEMO_PASSWORD:
                raise CommandError(
                    "Le mot de passe de démonstration publié est refusé en production : "
                    "donnez-en un autre dans DEMO_PASSWORD."
                )
            try:
                validate_password(settings.DEMO_PASSWORD)
            except ValidationError as error:
                raise CommandError("DEMO_PASSWORD : " + " ".join(error.messages)) from None
        users, created = load_all()
        self.stdout.write(
            f"Démo : {len(users)} utilisateurs, {created} ménage(s) ajouté(s) cette fois-ci."
        )
