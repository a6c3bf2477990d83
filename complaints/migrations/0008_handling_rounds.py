"""办理轮次: each handling round keeps its finding, reply and rating (complaints.models.rounds).

The complaint keeps its current round in its own fields and learns its round number;
a closed round becomes an append-only ``HandlingRound`` row; a remedy records the
round whose outcome decided it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from efficiency_portal.db import append_only

RATINGS = [("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")]


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_acceptedfiling_unfiled_is_scheduled"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="round_no",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="办理轮次"),
        ),
        migrations.AddField(
            model_name="remedy",
            name="round_no",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="办理轮次"),
        ),
        migrations.CreateModel(
            name="HandlingRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="轮次")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("unfounded", "不成立"),
                            ("partly", "部分成立"),
                            ("founded", "成立"),
                        ],
                        max_length=10,
                        verbose_name="核查结论",
                    ),
                ),
                ("findings", models.TextField(blank=True, verbose_name="核查情况")),
                (
                    "concluded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="办结时间"),
                ),
                ("reply_text", models.TextField(blank=True, verbose_name="答复内容")),
                (
                    "replied_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="答复时间"),
                ),
                (
                    "callback_rating",
                    models.CharField(
                        blank=True, choices=RATINGS, max_length=12, verbose_name="回访满意度"
                    ),
                ),
                (
                    "citizen_rating",
                    models.CharField(
                        blank=True, choices=RATINGS, max_length=12, verbose_name="投诉人评价"
                    ),
                ),
                (
                    "citizen_comment",
                    models.CharField(blank=True, max_length=500, verbose_name="评价意见"),
                ),
                ("rated_at", models.DateTimeField(blank=True, null=True, verbose_name="评价时间")),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="归档时间")),
                ("reopened_at", models.DateTimeField(verbose_name="重新办理时间")),
                ("reopen_reason", models.TextField(blank=True, verbose_name="重新办理理由")),
                (
                    "complaint",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rounds",
                        to="complaints.complaint",
                        verbose_name="投诉",
                    ),
                ),
                (
                    "reopened_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="经办人",
                    ),
                ),
            ],
            options={
                "verbose_name": "办理轮次",
                "verbose_name_plural": "往轮办理（重新办理前）",
                "ordering": ["complaint", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("complaint", "number"), name="handling_round_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("number__gte", 1)), name="handling_round_from_1"
                    ),
                ],
            },
        ),
        append_only("complaints_handlinground"),
    ]
