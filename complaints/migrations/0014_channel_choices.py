from django.db import migrations, models


def demo_cases_came_from_the_web(apps, schema_editor):
    """Earlier demo seeds stored the pseudo channel "demo"; it has no label, call it the web."""
    Complaint = apps.get_model("complaints", "Complaint")
    Complaint.objects.filter(channel="demo").update(channel="web")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0013_integration_accounts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="complaint",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web", "网上"),
                    ("phone", "电话"),
                    ("visit", "来访"),
                    ("letter", "来信"),
                    ("12345", "12345热线"),
                    ("api", "系统接入"),
                    ("open311", "Open311 接入"),
                ],
                default="web",
                max_length=20,
                verbose_name="来源渠道",
            ),
        ),
        migrations.RunPython(demo_cases_came_from_the_web, migrations.RunPython.noop),
    ]
