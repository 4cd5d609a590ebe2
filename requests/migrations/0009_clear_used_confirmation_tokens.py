"""A confirmation link is cleared once used: clear the ones requests confirmed before that rule
still hold, so no used link leads anywhere."""

from django.db import migrations


def clear_used_tokens(apps, schema_editor):
    DataSubjectRequest = apps.get_model("rights_requests", "DataSubjectRequest")
    DataSubjectRequest.objects.exclude(status="unconfirmed").exclude(
        confirmation_token_hash=""
    ).update(confirmation_token_hash="")


class Migration(migrations.Migration):
    dependencies = [("rights_requests", "0008_dpo_can_unlock_and_reset_devices")]

    operations = [migrations.RunPython(clear_used_tokens, migrations.RunPython.noop)]
