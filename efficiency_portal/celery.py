"""The Celery app. Tasks live in each app's ``tasks.py``; the schedule in ``schedule.py``."""

import os

from celery import Celery

from efficiency_portal.startup import load_settings_or_exit, running_celery_cli

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency_portal.settings")

app = Celery("efficiency_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if running_celery_cli():
    # Celery would otherwise load the settings lazily while parsing its options and
    # print a long traceback for a missing DATABASE_URL.
    load_settings_or_exit()
