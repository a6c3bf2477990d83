"""The statistics rollup counts late and overdue handling, not only clocks stopped in time.

``timed`` (clocks stopped, met or missed) becomes ``late`` (missed) beside ``on_time``,
and ``overdue`` counts clocks still open past their due time. Existing rows get
``late`` from the old columns; ``overdue`` is known only after a rebuild, which the
beat task does for recent months within minutes — for older months run
``manage.py complaints_stats_refresh --from YYYY-MM``.
"""

from django.db import migrations, models
from django.db.models import F


def late_from_timed(apps, schema_editor):
    Stats = apps.get_model("complaints", "AgencyMonthStats")
    Stats.objects.update(late=F("timed") - F("on_time"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0009_keep_first_round_of_reopened_complaints")]

    operations = [
        migrations.AddField(
            model_name="agencymonthstats",
            name="late",
            field=models.PositiveIntegerField(default=0, verbose_name="超时办结"),
        ),
        migrations.AddField(
            model_name="agencymonthstats",
            name="overdue",
            field=models.PositiveIntegerField(default=0, verbose_name="超期未办结"),
        ),
        migrations.RunPython(late_from_timed, migrations.RunPython.noop),
        migrations.RemoveField(model_name="agencymonthstats", name="timed"),
    ]
