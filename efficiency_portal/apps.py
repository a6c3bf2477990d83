from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-wide pieces: health checks, the error type, operations commands."""

    name = "efficiency_portal"
    verbose_name = "效能门户 Portal"

    def ready(self):
        from efficiency_portal import privacy  # noqa: F401  (registers system checks)
