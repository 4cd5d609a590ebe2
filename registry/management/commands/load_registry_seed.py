"""Load the facts of AIM's privacy declaration into the registry (idempotent)."""

from django.core.management.base import BaseCommand

from registry.models import ProcessingActivity
from registry.seed import registry_seed_load


class Command(BaseCommand):
    help = "Load, or bring back, the registry rows that AIM's privacy declaration states (FR/NL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the registry already holds activities (used by `make run`, "
            "so that edits made in the admin survive the next start).",
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and ProcessingActivity.objects.exists():
            self.stdout.write("Registry already holds activities: seed not loaded again.")
            return
        counts = registry_seed_load()
        summary = ", ".join(f"{model}={count}" for model, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Registry seed loaded: {summary}"))
