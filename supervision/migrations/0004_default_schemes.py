"""Default ranking schemes (local practice, editable: a change is a new version).

综合效能排名 per quarter and per year over every agency category: 按时办结率 30,
按时签收率 15, 投诉人满意率 30, 投诉成立件数 10, 红牌 15. Outcomes within each category:
top 3 → 先进单位; bottom 3 → 黄牌警告 and a proposed 通报批评; per year, bottom 3 two years
running → flagged for the leadership (末位：主要负责人引咎辞职审查).
"""

from django.db import migrations

WEIGHTS = {
    "complaints.handle_on_time": "30",
    "complaints.sign_on_time": "15",
    "complaints.satisfaction": "30",
    "complaints.upheld": "10",
    "timelimits.red_cards": "15",
}
OUTCOMES = [
    ("top", 3, "先进单位", ""),
    ("bottom", 3, "黄牌警告", "yellow_warning"),
    ("bottom", 3, "通报批评（建议）", "notice_criticism"),
]
YEAR_ONLY = [("bottom_two_years", 3, "连续两年末位：主要负责人引咎辞职审查", "")]


def seed(apps, schema_editor):
    Scheme = apps.get_model("supervision", "RankingScheme")
    Weight = apps.get_model("supervision", "SchemeIndicator")
    Rule = apps.get_model("supervision", "OutcomeRule")
    Category = apps.get_model("organizations", "AgencyCategory")
    for code, name, kind in [
        ("quarterly", "综合效能季度排名", "quarter"),
        ("yearly", "综合效能年度排名", "year"),
    ]:
        scheme, created = Scheme.objects.get_or_create(
            code=code, version=1, defaults={"name": name, "period_kind": kind}
        )
        if not created:
            continue
        scheme.categories.set(Category.objects.all())
        for indicator, weight in WEIGHTS.items():
            Weight.objects.create(scheme=scheme, indicator=indicator, weight=weight)
        for rule_kind, count, label, sanction in OUTCOMES + (YEAR_ONLY if kind == "year" else []):
            Rule.objects.create(
                scheme=scheme, kind=rule_kind, count=count, label=label, sanction_kind=sanction
            )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_rankings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
