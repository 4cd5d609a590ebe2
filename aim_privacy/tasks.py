"""Celery tasks of the project itself (beat schedule in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True)
def clear_expired_sessions():
    """Delete expired sessions (Django keeps them until `clearsessions` runs); the same as the
    cron command `manage.py clearsessions`."""
    call_command("clearsessions")
