"""The tracking-number sequence, append-only event and access tables, and the default categories."""

from django.db import migrations

from efficiency_portal.db import append_only

# 投诉类别: local practice, editable in the admin afterwards.
CATEGORIES = [
    ("attitude", "服务态度", "Service attitude", False, "态度生硬、冷硬横推、门难进脸难看"),
    ("efficiency", "办事效率", "Efficiency", False, "拖延推诿、超时限办理、一次性告知不到位"),
    ("fees", "乱收费", "Improper fees", False, "违规收费、擅自提高标准、搭车收费"),
    ("bribery", "吃拿卡要", "Taking advantage", True, "索拿卡要、吃请受礼、刁难群众"),
    ("buck_passing", "推诿扯皮", "Buck-passing", False, "部门之间相互推诿、不作为"),
    ("openness", "政务公开", "Openness", False, "办事依据、程序、时限未公开或公开不实"),
    ("discipline", "工作纪律", "Work discipline", False, "迟到早退、脱岗、上班时间办私事"),
    ("law_enforcement", "执法不公", "Unfair enforcement", True, "执法不公、以罚代管、粗暴执法"),
    ("other", "其他", "Other", False, "其他影响机关效能的问题"),
]


def seed_categories(apps, schema_editor):
    Category = apps.get_model("complaints", "ComplaintCategory")
    for order, (code, name, name_en, urgent, description) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "is_urgent": urgent,
                "description": description,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("timelimits", "0002_seed_policies_calendar_append_only"),  # the complaint.* policies
    ]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS complaints_tracking_seq START 1;",
            reverse_sql="DROP SEQUENCE IF EXISTS complaints_tracking_seq;",
        ),
        append_only("complaints_complaintevent"),
        append_only("complaints_accesslog"),
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
    ]
