"""Editors draft the declaration; the DPO also publishes it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    notice_permissions = Permission.objects.filter(content_type__app_label="notices")
    dpo, _ = Group.objects.get_or_create(name="DPO")
    dpo.permissions.add(*notice_permissions)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *notice_permissions.exclude(codename="publish_noticeversion").exclude(
            codename__startswith="delete_notice"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("registry", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
