"""Check every household's access rows against the rule of involvement and repair the drift:
`python manage.py involvement_check` (the nightly privacy task runs the same repair);
`--dry-run` only says what it would change."""

from django.core.management.base import BaseCommand

from households.involvement import describe, involvement_repair


class Command(BaseCommand):
    help = "Compare les droits d'accès aux ménages avec la règle d'implication et les répare."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Affiche les écarts sans les réparer."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        changes = involvement_repair(dry_run=dry_run)
        for line in describe(changes):
            self.stdout.write(line)
        verb = "à réparer" if dry_run else "réparé" + ("s" if len(changes) > 1 else "")
        if changes:
            self.stdout.write(f"{len(changes)} écart{'s' if len(changes) > 1 else ''} {verb}.")
        else:
            self.stdout.write("Aucun écart : les droits d'accès suivent la règle d'implication.")
