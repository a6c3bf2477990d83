"""挂牌督办 goes to a leader for 批示: a rule of the data (complaints.duties), editable in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("complaints", "EndorsementRule").objects.get_or_create(
        code="listed_supervision",
        defaults={
            "name": "挂牌督办",
            "trigger": "supervision_level",
            "supervision_level": "listed",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0017_reply_review"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
