"""Project-wide Celery tasks. Celery's autodiscovery imports ``<app>.tasks``, so the
heartbeat (defined beside the /healthz view that reads it) is registered here."""

from efficiency_portal.health import beat_heartbeat

__all__ = ["beat_heartbeat"]
