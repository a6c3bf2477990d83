"""The default 明察暗访 checklist (local practice; edit, add or retire items in the admin)."""

from django.db import migrations

ITEMS = [
    ("on_post", "在岗在位（上班时间窗口有人，不串岗、不脱岗）", 10),
    ("discipline", "工作纪律（不玩手机游戏、不看与工作无关的内容、不吃零食）", 20),
    ("attitude", "服务态度（文明用语、热情耐心，不推诿、不刁难）", 30),
    ("one_time_notice", "一次性告知（办事材料和要求一次讲清）", 40),
    ("public_notice", "公示上墙（办事指南、收费标准、投诉电话公示到位）", 50),
    ("duty_board", "今日在岗公示与实际在岗人员一致", 60),
    ("badge", "佩戴工作牌、摆放岗位牌", 70),
]


def seed(apps, schema_editor):
    Item = apps.get_model("supervision", "ChecklistItem")
    for code, text, order in ITEMS:
        Item.objects.get_or_create(code=code, defaults={"text": text, "order": order})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0005_inspections")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
