"""接入账号: a row per integration account, so the admin can show, rotate and revoke them.

Existing accounts (users holding an API token who may not open the admin) get
their row, named after their staff profile where they have one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def adopt_existing(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    StaffProfile = apps.get_model("organizations", "StaffProfile")
    IntegrationAccount = apps.get_model("complaints", "IntegrationAccount")
    profiles = {p.user_id: p for p in StaffProfile.objects.all()}
    IntegrationAccount.objects.bulk_create(
        [
            IntegrationAccount(
                user_id=token.user_id,
                name=(profiles[token.user_id].name if token.user_id in profiles else "")
                or token.user.username,
                agency_id=profiles[token.user_id].agency_id if token.user_id in profiles else None,
            )
            for token in Token.objects.select_related("user").filter(user__is_staff=False)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("complaints", "0012_public_text"),
        ("organizations", "0002_roles_categories_audit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IntegrationAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80, verbose_name="接入系统名称")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                (
                    "rotated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="最近更换密钥时间"),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="停用时间"),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="最近使用时间"),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.agency",
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="创建人",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="停用人",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="integration_account",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "接入账号",
                "verbose_name_plural": "接入账号",
                "ordering": ["name", "pk"],
            },
        ),
        migrations.RunPython(adopt_existing, migrations.RunPython.noop),
    ]
