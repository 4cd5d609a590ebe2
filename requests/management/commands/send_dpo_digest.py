"""manage.py send_dpo_digest: queue today's digest of due requests for the DPO group (cron)."""

from django.core.management.base import BaseCommand

from requests.digest import dpo_digest_queue


class Command(BaseCommand):
    help = (
        "Queue one e-mail per member of the DPO group listing the open requests that are overdue "
        "or due within 7 days (nothing when none is due). Same job as the Celery beat entry."
    )

    def handle(self, *args, **options):
        queued = dpo_digest_queue()
        self.stdout.write(f"DPO digest: {queued} e-mail(s) queued.")
