"""The overdue list's partial index (supervision's dashboard reads it; see Deadline.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("timelimits", "0009_notice_policy"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("light", "red"), ("state__in", ["running", "paused"])),
                fields=["due_at"],
                name="deadline_red_open_due",
            ),
        ),
    ]
