"""A transferred request's part at AIM ended on the day it was transferred: give the rows
transferred before this release their `closed_at`, so the retention job reaches them too."""

import datetime
import zoneinfo

from django.db import migrations

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def set_closed_at(apps, schema_editor):
    DataSubjectRequest = apps.get_model("rights_requests", "DataSubjectRequest")
    rows = DataSubjectRequest.objects.filter(status="transferred", closed_at__isnull=True)
    for row in rows.iterator():
        day = row.transferred_on or row.received_on or row.created_at.date()
        row.closed_at = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=BRUSSELS)
        row.save(update_fields=["closed_at"])


class Migration(migrations.Migration):
    dependencies = [("rights_requests", "0005_outbox_delivery_by_time")]

    operations = [migrations.RunPython(set_closed_at, migrations.RunPython.noop)]
