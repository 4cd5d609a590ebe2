"""The DPO sees the routing statistics; editors do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


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
            content_type__app_label="rights_requests", codename="view_routingcount"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("rights_requests", "0001_routing_counts"),
        ("registry", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
