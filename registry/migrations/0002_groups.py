"""Groups "DPO" and "Editor": the DPO keeps the registry; editors read it to write the notice."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTRY_MODELS = [
    "organisation",
    "dataprotectionofficer",
    "legalbasis",
    "datacategory",
    "datasubjectcategory",
    "recipient",
    "retentionrule",
    "processingactivity",
    "transfer",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    registry_permissions = Permission.objects.filter(
        content_type__app_label="registry", content_type__model__in=REGISTRY_MODELS
    )
    dpo, _ = Group.objects.get_or_create(name="DPO")
    dpo.permissions.add(*registry_permissions)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*registry_permissions.filter(codename__startswith="view_"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["DPO", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
