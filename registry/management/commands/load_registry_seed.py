"""Load the facts of AIM's privacy declaration into the registry (idempotent)."""

from django.core.management.base import BaseCommand

from registry.seed import registry_seed_load


class Command(BaseCommand):
    help = "Load, or bring back, the registry rows that AIM's privacy declaration states (FR/NL)."

    def handle(self, *args, **options):
        counts = registry_seed_load()
        summary = ", ".join(f"{model}={count}" for model, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Registry seed loaded: {summary}"))
