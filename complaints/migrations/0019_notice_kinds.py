"""Notice kinds of the steps added with review before reply, 批示, graded 督办 and 补充材料:
which need the reader's action at once and which wait for the daily digest (data, editable
in the admin as 通知类型; timelimits.NoticePolicy)."""

from django.db import migrations

KINDS = [
    ("complaint.reply_draft", "答复稿待审核", "immediate"),
    ("complaint.reply_returned", "答复稿被退回修改", "immediate"),
    ("complaint.supplement", "投诉人补充材料", "immediate"),
    ("complaint.endorsed", "领导已批示", "digest"),
    ("complaint.supervision-answer", "督办已答复", "immediate"),  # the office weighs it
]


def seed(apps, schema_editor):
    NoticePolicy = apps.get_model("timelimits", "NoticePolicy")
    for code, name, delivery in KINDS:
        NoticePolicy.objects.get_or_create(code=code, defaults={"name": name, "delivery": delivery})


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0018_listed_supervision_endorsement"),
        ("timelimits", "0009_notice_policy"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
