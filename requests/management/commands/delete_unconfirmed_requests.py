"""manage.py delete_unconfirmed_requests: delete requests never confirmed within 48 h (cron)."""

from django.core.management.base import BaseCommand

from requests.services import unconfirmed_delete


class Command(BaseCommand):
    help = (
        "Delete the requests whose e-mail address was not confirmed within 48 hours, with their "
        "e-mails and timeline."
    )

    def handle(self, *args, **options):
        deleted = unconfirmed_delete()
        self.stdout.write(f"Unconfirmed requests: {deleted} deleted.")
