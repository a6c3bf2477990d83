"""The 效能监督员 (efficiency inspector) role group with its scope (organizations.roles)."""

from django.db import migrations


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleScope = apps.get_model("organizations", "RoleScope")
    group, _ = Group.objects.get_or_create(name="效能监督员")
    RoleScope.objects.get_or_create(group=group, defaults={"scope": "own"})


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_rollup"),
        ("organizations", "0002_roles_categories_audit"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
