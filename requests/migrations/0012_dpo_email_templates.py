"""The DPO group reads and changes the e-mail templates; nobody adds or deletes one in the admin
(the six rows come from migration 0011)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_emailtemplate", "change_emailtemplate"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="rights_requests", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # On a fresh database the permissions are created after all migrations: create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    dpo, _ = Group.objects.get_or_create(name="DPO")
    dpo.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    dpo = Group.objects.filter(name="DPO").first()
    if dpo is not None:
        dpo.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("rights_requests", "0011_email_template_defaults")]

    operations = [migrations.RunPython(grant, revoke)]
