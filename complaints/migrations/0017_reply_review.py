"""答复审核 (review before reply): the rule table, seeded with the default, and the drafts.

Default: a reply to a founded or partly founded complaint (成立 / 部分成立) — one that
records a remedy against a unit or a person — is reviewed by the efficiency office
before it reaches the complainant; an unfounded one goes out directly. The office
changes this in the admin (答复审核规则).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def seed_default_rules(apps, schema_editor):
    Rule = apps.get_model("complaints", "ReplyReviewRule")
    for outcome, required, note in (
        ("", False, "默认：答复直接发出"),
        ("founded", True, "投诉成立：答复须经效能办审核"),
        ("partly", True, "投诉部分成立：答复须经效能办审核"),
    ):
        Rule.objects.get_or_create(
            category=None, outcome=outcome, defaults={"review_required": required, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0016_graded_supervision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReplyDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round_no", models.PositiveSmallIntegerField(default=1, verbose_name="办理轮次")),
                ("text", models.TextField(verbose_name="答复内容")),
                ("written_at", models.DateTimeField(auto_now_add=True, verbose_name="拟稿时间")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待审核"),
                            ("approved", "已同意发出"),
                            ("returned", "退回修改"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="审核状态",
                    ),
                ),
                (
                    "reviewed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="审核时间"),
                ),
                ("review_note", models.TextField(blank=True, verbose_name="审核意见")),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reply_drafts",
                        to="complaints.complaint",
                        verbose_name="投诉",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审核人",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="拟稿人",
                    ),
                ),
            ],
            options={
                "verbose_name": "答复稿",
                "verbose_name_plural": "答复稿",
                "ordering": ["written_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("complaint",),
                        name="reply_draft_one_pending",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "pending"),
                            models.Q(
                                ("reviewed_at__isnull", False), ("reviewed_by__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="reply_draft_decided_by_someone",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ReplyReviewRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("unfounded", "不成立"),
                            ("partly", "部分成立"),
                            ("founded", "成立"),
                        ],
                        help_text="留空表示所有结论。",
                        max_length=12,
                        verbose_name="核查结论",
                    ),
                ),
                (
                    "review_required",
                    models.BooleanField(default=True, verbose_name="答复须经效能办审核"),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        help_text="留空表示所有类别。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="complaints.complaintcategory",
                        verbose_name="投诉类别",
                    ),
                ),
            ],
            options={
                "verbose_name": "答复审核规则",
                "verbose_name_plural": "答复审核规则",
                "ordering": ["category__order", "category__code", "outcome", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("category", "outcome"),
                        name="reply_review_rule_once",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
        migrations.RunPython(seed_default_rules, migrations.RunPython.noop),
    ]
