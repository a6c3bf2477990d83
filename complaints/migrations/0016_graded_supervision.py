"""Graded 督办: levels as data, the recipient, the written answer, the answer clock's policies.

Levels 一般 / 重点 / 挂牌 and their answer limits are local practice (defaults below,
edited in the admin): the policy kind ``complaint.supervision_answer`` has one row per
level (category = the level's code) and a default row (category "") that a level
added later uses until it is given a limit of its own. The ladders escalate a late
answer to the unit head, then the efficiency office; 挂牌 climbs further and faster.

Existing 督办 rows become 一般, addressed to their case's handling agency (the accused
agency if the case was never routed), with no answer clock: nothing was asked of the
agency in writing then, so counting them as answered on time (a "met" clock) or as
owing an answer would both invent a fact; they stay outside 督办按时答复率.

The backfill runs between the AddField and the NOT NULL in one transaction, so the
deferred foreign-key checks are made immediate first (PostgreSQL refuses to ALTER a
table with pending trigger events).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KIND = "complaint.supervision_answer"
WD = "working_days"
# code, name, name_en, order
LEVELS = [
    ("general", "一般督办", "General supervision", 10),
    ("key", "重点督办", "Priority supervision", 20),
    ("listed", "挂牌督办", "Listed supervision", 30),
]
# category, name, limit (working days), warn_before, ladder [(level, delay, notify, channels, proposal)]
POLICIES = [
    (
        "",
        "督办答复（默认）",
        5,
        1,
        [
            (1, 0, ["responsible", "unit_head"], ["in_app"], "催办通知"),
            (2, 2, ["office"], ["in_app", "email"], "提请升级督办级别"),
        ],
    ),
    (
        "general",
        "一般督办答复",
        5,
        1,
        [
            (1, 0, ["responsible", "unit_head"], ["in_app"], "催办通知"),
            (2, 2, ["office"], ["in_app", "email"], "提请升级为重点督办"),
        ],
    ),
    (
        "key",
        "重点督办答复",
        3,
        1,
        [
            (1, 0, ["responsible", "unit_head", "office"], ["in_app", "sms"], "催办通知书"),
            (2, 2, ["office"], ["in_app", "email"], "提请升级为挂牌督办"),
        ],
    ),
    (
        "listed",
        "挂牌督办答复",
        3,
        1,
        [
            (1, 0, ["responsible", "unit_head", "office"], ["in_app", "sms"], "催办通知书"),
            (2, 1, ["unit_head", "office"], ["in_app", "email"], "约谈单位负责人（建议）"),
            (3, 3, ["office"], ["in_app", "email"], "通报批评（建议，需人工决定）"),
        ],
    ),
]


def seed(apps, schema_editor):
    Level = apps.get_model("complaints", "SupervisionLevel")
    Policy = apps.get_model("timelimits", "TimeLimitPolicy")
    Step = apps.get_model("timelimits", "EscalationStep")
    for code, name, name_en, order in LEVELS:
        Level.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    for category, name, limit, warn, ladder in POLICIES:
        policy, created = Policy.objects.get_or_create(
            kind=KIND,
            category=category,
            defaults={"name": name, "limit": limit, "unit": WD, "warn_before": warn},
        )
        if created:
            for level, delay, notify, channels, proposal in ladder:
                Step.objects.create(
                    policy=policy,
                    level=level,
                    delay=delay,
                    delay_unit=WD,
                    notify=notify,
                    channels=channels,
                    proposal=proposal,
                )


def backfill(apps, schema_editor):
    Level = apps.get_model("complaints", "SupervisionLevel")
    Supervision = apps.get_model("complaints", "Supervision")
    general = Level.objects.get(code="general")
    Supervision.objects.filter(level__isnull=True).update(level=general)
    # The handling agency, else the accused one (a join: one UPDATE … FROM, not a loop).
    schema_editor.execute(
        "UPDATE complaints_supervision s"
        " SET recipient_agency_id = COALESCE(c.handling_agency_id, c.agency_accused_id)"
        " FROM complaints_complaint c"
        " WHERE c.id = s.complaint_id AND s.recipient_agency_id IS NULL"
    )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0015_separation_of_duties"),
        ("organizations", "0003_role_default_permissions"),
        ("timelimits", "0008_rectification_policy_card_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SupervisionLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="创建后不能修改；也是答复时限规则的类别",
                        max_length=40,
                        unique=True,
                        verbose_name="代码",
                    ),
                ),
                ("name", models.CharField(max_length=40, verbose_name="名称")),
                ("name_en", models.CharField(blank=True, max_length=60, verbose_name="英文名称")),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="从轻到重", verbose_name="排序"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
            ],
            options={
                "verbose_name": "督办级别",
                "verbose_name_plural": "督办级别",
                "ordering": ["order", "code"],
            },
        ),
        migrations.AddField(
            model_name="supervision",
            name="answer",
            field=models.TextField(blank=True, verbose_name="书面答复"),
        ),
        migrations.AddField(
            model_name="supervision",
            name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="答复时间"),
        ),
        migrations.AddField(
            model_name="supervision",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="答复人",
            ),
        ),
        migrations.AddField(
            model_name="supervision",
            name="recipient_agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.agency",
                verbose_name="督办对象单位",
            ),
        ),
        migrations.AddField(
            model_name="supervision",
            name="recipient_person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="督办对象人员",
            ),
        ),
        migrations.AddField(
            model_name="supervision",
            name="level",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="complaints.supervisionlevel",
                verbose_name="督办级别",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="supervision",
            name="level",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="complaints.supervisionlevel",
                verbose_name="督办级别",
            ),
        ),
        migrations.AlterField(
            model_name="supervision",
            name="recipient_agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.agency",
                verbose_name="督办对象单位",
            ),
        ),
        migrations.AddConstraint(
            model_name="supervision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("answer", ""), ("answered_at__isnull", True), ("answered_by__isnull", True)
                    ),
                    models.Q(
                        ("answered_at__isnull", False),
                        ("answered_by__isnull", False),
                        models.Q(("answer", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="supervision_answer_whole",
            ),
        ),
    ]
