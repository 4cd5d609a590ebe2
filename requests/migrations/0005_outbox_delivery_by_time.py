"""The outbox delivers by time, not by count: next attempt, lease, give-up time, and a stable
Message-ID per e-mail.

Existing rows: next attempt at their creation, give up 3 days after it, a fresh UUID each (a
callable default in AddField is evaluated once, which would give every row the same one).
Rows already failed stay failed: the DPO sees them in the digest and retries them by hand.
"""

import datetime
import uuid

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F

HORIZON = datetime.timedelta(days=3)


def fill(apps, schema_editor):
    Notification = apps.get_model("rights_requests", "Notification")
    Notification.objects.update(
        next_attempt_at=F("created_at"), give_up_at=F("created_at") + HORIZON
    )
    for pk in Notification.objects.values_list("pk", flat=True).iterator():
        Notification.objects.filter(pk=pk).update(message_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("rights_requests", "0004_request_groups")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="next attempt at"
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="claimed until"),
        ),
        migrations.AddField(
            model_name="notification",
            name="give_up_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="give up at"),
        ),
        migrations.AddField(
            model_name="notification",
            name="message_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="message ID"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="give_up_at",
            field=models.DateTimeField(blank=True, verbose_name="give up at"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="message_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="message ID"
            ),
        ),
        migrations.RemoveIndex(model_name="notification", name="rr_outbox_pending_idx"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["status", "next_attempt_at"], name="rr_outbox_due_idx"),
        ),
    ]
