"""Remember the defaults each role already holds, so the next migrate never gives one back.

Until now every migrate set each role to exactly its defaults; from now on it only
adds defaults a role was never given (organizations.roles.sync_role_permissions).
A role's current permissions are those defaults, so they are recorded as given.
"""

import django.db.models.deletion
from django.db import migrations, models

ROLES = ["承办人", "审核人", "批准人", "单位管理员", "效能办", "领导", "系统管理员"]


def record_given(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleDefaultPermission = apps.get_model("organizations", "RoleDefaultPermission")
    RoleDefaultPermission.objects.bulk_create(
        [
            RoleDefaultPermission(group=group, permission=permission)
            for group in Group.objects.filter(name__in=ROLES)
            for permission in group.permissions.all()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("organizations", "0002_roles_categories_audit"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleDefaultPermission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("granted_at", models.DateTimeField(auto_now_add=True, verbose_name="授予时间")),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="auth.group",
                        verbose_name="角色",
                    ),
                ),
                (
                    "permission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="auth.permission",
                        verbose_name="权限",
                    ),
                ),
            ],
            options={
                "verbose_name": "角色默认权限",
                "verbose_name_plural": "角色默认权限",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group", "permission"), name="role_default_granted_once"
                    )
                ],
            },
        ),
        migrations.RunPython(record_given, migrations.RunPython.noop),
    ]
