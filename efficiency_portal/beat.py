"""The beat scheduler: django-celery-beat's DatabaseScheduler with the apps' schedules added.

The apps' ``schedules.py`` may read settings and are found through the app registry,
so they cannot be read while the settings module loads; the scheduler is built after
Django is set up and reads them then.
"""

from __future__ import annotations

from django_celery_beat.schedulers import DatabaseScheduler

from efficiency_portal.schedule import full_schedule


class Scheduler(DatabaseScheduler):
    def setup_schedule(self):
        self.app.conf.beat_schedule = full_schedule()
        super().setup_schedule()
