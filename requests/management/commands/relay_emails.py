"""manage.py relay_emails: send the e-mails still pending in the outbox (cron)."""

from django.core.management.base import BaseCommand

from requests.outbox import relay_pending


class Command(BaseCommand):
    help = (
        "Send the e-mails of the outbox that are due (broker down, worker died, SMTP refused). "
        "Safe to run at any time, even next to Celery: a row is leased by one sender at a time; "
        "only a sender that dies mid-send causes a second copy, with the same Message-ID."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many e-mails (default 100)."
        )

    def handle(self, *args, limit, **options):
        sent = relay_pending(limit=limit)
        self.stdout.write(f"Outbox relay: {sent} e-mail(s) sent.")
