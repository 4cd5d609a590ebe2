"""Celery tasks: thin, take ids (never personal data), retry with backoff, idempotent."""

from celery import shared_task

from requests import outbox, services


@shared_task(
    acks_late=True,
    autoretry_for=(outbox.SendFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=7,
)
def send_notification(notification_id):
    outbox.notification_send(notification_id)


@shared_task(acks_late=True)
def relay_pending_notifications():
    return outbox.relay_pending()


@shared_task(acks_late=True)
def send_dpo_digest():
    return services.dpo_digest_queue()


@shared_task(acks_late=True)
def delete_unconfirmed_requests():
    return services.unconfirmed_delete()


@shared_task(acks_late=True)
def anonymise_closed_requests():
    return services.closed_anonymise()
