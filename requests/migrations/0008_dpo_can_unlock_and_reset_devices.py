"""The DPO group unlocks admin logins (deletes django-axes access attempts) and resets staff
members' authenticator apps (sees and deletes TOTP devices; never adds or changes one, so
never reads a secret key)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED = [
    ("axes", "accessattempt", ["view", "delete"]),
    ("otp_totp", "totpdevice", ["view", "delete"]),
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, actions in GRANTED:
        for action in actions:
            yield Permission.objects.get(
                content_type__app_label=app_label, codename=f"{action}_{model}"
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
    dependencies = [
        ("rights_requests", "0007_deadline_from_receipt_help"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
