"""Seed data every deployment needs: agency categories, role groups with their scopes,
and the append-only trigger on the audit table."""

from django.db import migrations

from efficiency_portal.db import append_only

CATEGORIES = [
    ("party", "党政机关", "Party and government organs", 10),
    ("government", "政府部门", "Government departments", 20),
    ("window", "窗口服务单位", "Public-service window units", 30),
    ("judicial", "法检机关", "Courts and procuratorates", 40),
    ("stationed", "驻地单位", "Stationed (vertically managed) units", 50),
    ("grassroots", "基层站所", "Grassroots stations", 60),
]

ROLES = {
    "承办人": "own",
    "审核人": "own",
    "批准人": "subtree",
    "单位管理员": "subtree",
    "效能办": "all",
    "领导": "all",
    "系统管理员": "all",
}


def seed(apps, schema_editor):
    AgencyCategory = apps.get_model("organizations", "AgencyCategory")
    Group = apps.get_model("auth", "Group")
    RoleScope = apps.get_model("organizations", "RoleScope")
    for code, name, name_en, order in CATEGORIES:
        AgencyCategory.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    for role, scope in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        RoleScope.objects.update_or_create(group=group, defaults={"scope": scope})


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        append_only("organizations_auditevent"),
    ]
