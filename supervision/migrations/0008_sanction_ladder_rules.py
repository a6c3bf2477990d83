"""The sanctions ladder and the threshold rules (local practice, cn_rules §6.2; editable).

Ladder, mild to severe: 提醒, 督办通知, 催办通知书, 黄牌警告, 通报批评, 诫勉谈话, 效能告诫
(with the 效能告诫书 letter), 组织处理; 政务处分 only as a reference to a decision made
elsewhere. Rules per calendar year or month: three 诫勉谈话 of a person in a year → propose
效能告诫; two 效能告诫 → propose 组织处理; three red cards of an agency in a month →
propose 通报批评.
"""

from django.db import migrations

KINDS = [
    ("reminder", "提醒", 10, False, False),
    ("supervision_notice", "督办通知", 20, False, False),
    ("urge_notice", "催办通知书", 25, False, False),
    ("yellow_warning", "黄牌警告", 30, False, False),
    ("notice_criticism", "通报批评", 40, False, False),
    ("admonition_talk", "诫勉谈话", 50, False, False),
    ("efficiency_warning", "效能告诫", 60, False, True),
    ("organisational", "组织处理", 70, False, False),
    ("disciplinary", "政务处分（外部决定）", 80, True, False),
]
RULES = [
    (
        "一年内三次诫勉谈话 → 效能告诫",
        "sanctions",
        "admonition_talk",
        3,
        "year",
        "person",
        "efficiency_warning",
    ),
    (
        "一年内两次效能告诫 → 组织处理",
        "sanctions",
        "efficiency_warning",
        2,
        "year",
        "person",
        "organisational",
    ),
    ("一个月内三张红牌 → 通报批评", "red_cards", None, 3, "month", "agency", "notice_criticism"),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("supervision", "SanctionKind")
    Rule = apps.get_model("supervision", "ThresholdRule")
    for code, name, severity, reference_only, has_letter in KINDS:
        Kind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "severity": severity,
                "reference_only": reference_only,
                "has_letter": has_letter,
            },
        )
    kinds = {k.code: k for k in Kind.objects.all()}
    for name, counts, counted, threshold, window, subject, proposes in RULES:
        Rule.objects.get_or_create(
            name=name,
            defaults={
                "counts": counts,
                "counted_kind": kinds.get(counted),
                "threshold": threshold,
                "window": window,
                "subject": subject,
                "proposes": kinds[proposes],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0007_sanctions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
