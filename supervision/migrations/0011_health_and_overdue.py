"""An index behind the last rollup refresh (/healthz), and the partial index the overdue list
reads (supervision.selectors.red_clocks_now):

    SELECT … FROM timelimits_deadline
    WHERE state IN ('running', 'paused') AND light = 'red' [AND agency_id IN (…)]
    ORDER BY due_at LIMIT 50

Only the clocks red now are in it, in due order: the list is the index's first entries
however many clocks exist, and the sweep pays an entry only when a clock turns red. It is
SQL on the engine's table because the index is this reader's, not the engine's (as
``deadline_event_card_day`` in timelimits 0008 is the card figures').
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0010_bulletin_schedule"),
        ("timelimits", "0008_rectification_policy_card_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rolluprun",
            index=models.Index(fields=["-finished_at"], name="rollup_run_finished"),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS deadline_red_open_due ON timelimits_deadline (due_at)"
            " WHERE light = 'red' AND state IN ('running', 'paused');",
            "DROP INDEX IF EXISTS deadline_red_open_due;",
        ),
    ]
