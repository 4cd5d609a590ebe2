"""Only the DPO group sees stored requests, their timeline and e-mails; editors see none."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["datasubjectrequest", "requestevent", "notification", "historicaldatasubjectrequest"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    dpo, _ = Group.objects.get_or_create(name="DPO")
    dpo.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="rights_requests", content_type__model__in=MODELS
        ).exclude(codename__in=["add_datasubjectrequest", "delete_datasubjectrequest"])
    )


class Migration(migrations.Migration):
    dependencies = [("rights_requests", "0003_stored_requests")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
