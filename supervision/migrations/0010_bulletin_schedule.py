"""The bulletin (通报) drafting schedule as data: a django-celery-beat row, Mondays at 08:00
(Asia/Shanghai), visible and editable in the admin (周期任务). The job drafts last week's
bulletin once, however often it runs."""

from django.db import migrations

NAME = "supervision-bulletin-weekly"


def seed(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="1",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    Task.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "supervision.draft_bulletin",
            "crontab": crontab,
            "description": "起草上周效能建设通报（每期一份）",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0009_bulletins"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
