"""The Celery app. Tasks live in each app's ``tasks.py``; the schedule in ``schedule.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency_portal.settings")

app = Celery("efficiency_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
