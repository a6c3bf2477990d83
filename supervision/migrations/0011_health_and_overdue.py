"""An index behind the last rollup refresh (/healthz). The overdue list's partial index is
declared on the engine's model (``deadline_red_open_due``, timelimits 0010)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0010_bulletin_schedule"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rolluprun",
            index=models.Index(fields=["-finished_at"], name="rollup_run_finished"),
        ),
    ]
