"""Celery tasks: thin, take ids (never personal data), idempotent. E-mails are retried by the
outbox relay, by time (requests/outbox.py), not by Celery."""

from celery import shared_task

from requests import digest, outbox, services


@shared_task(acks_late=True)
def send_notification(notification_id):
    """One attempt, right after the cause commits. No retry here: a failed attempt sets the
    row's next attempt time, and the relay (every minute) makes it when it comes."""
    return outbox.notification_send(notification_id)


@shared_task(acks_late=True)
def relay_pending_notifications():
    """Every e-mail whose next attempt has come (broker down, worker died, SMTP refused)."""
    return outbox.relay_pending()


@shared_task(acks_late=True)
def send_dpo_digest():
    return digest.dpo_digest_queue()


@shared_task(acks_late=True)
def delete_unconfirmed_requests():
    return services.unconfirmed_delete()


@shared_task(acks_late=True)
def anonymise_closed_requests():
    return services.closed_anonymise()
