"""manage.py anonymise_closed_requests: anonymise requests closed longer than the registry's
retention period for them (cron)."""

from django.core.management.base import BaseCommand

from requests.services import closed_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise the closed requests older than the retention period of the registry's rule "
        "RIGHTS_REQUESTS_RETENTION_RULE (nothing when the rule is missing)."
    )

    def handle(self, *args, **options):
        anonymised = closed_anonymise()
        self.stdout.write(f"Closed requests: {anonymised} anonymised.")
