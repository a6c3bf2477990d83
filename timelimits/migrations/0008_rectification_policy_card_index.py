"""The clock of a rectification (整改) ordered by an inspection finding of the efficiency office
(明察暗访, supervision): 5 working days by default, yellow one working day before, the short
督办 ladder — local practice, editable in the admin like every policy.

Also the partial index the dashboard's card figures read (timelimits/indicators.py):
a day's yellow and red cards are ``WHERE type IN ('warn', 'overdue') AND at >= … AND
at < …``. Only card events are in it, so the sweep pays one index entry per card and
none for the other events. It is SQL because the index is a reader's, not the model's.
"""

from django.db import migrations

WD = "working_days"
KIND = "supervision.rectify"
LADDER = [
    (1, 1, ["unit_head"], ["in_app"], "督办通知"),
    (2, 3, ["office"], ["in_app", "email"], "催办通知书"),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("timelimits", "TimeLimitPolicy")
    Step = apps.get_model("timelimits", "EscalationStep")
    policy, created = Policy.objects.get_or_create(
        kind=KIND,
        category="",
        defaults={"name": "明察暗访问题整改", "limit": 5, "unit": WD, "warn_before": 1},
    )
    if created:
        for level, delay, notify, channels, proposal in LADDER:
            Step.objects.create(
                policy=policy,
                level=level,
                delay=delay,
                delay_unit=WD,
                notify=notify,
                channels=channels,
                proposal=proposal,
            )


class Migration(migrations.Migration):
    dependencies = [("timelimits", "0007_deadline_event_reassign")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS deadline_event_card_day ON timelimits_deadlineevent (at)"
            " WHERE type IN ('warn', 'overdue');",
            "DROP INDEX IF EXISTS deadline_event_card_day;",
        ),
    ]
