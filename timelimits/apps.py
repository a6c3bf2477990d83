from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelimitsConfig(AppConfig):
    name = "timelimits"
    verbose_name = _("时限管理")

    def ready(self) -> None:
        from timelimits import checks, roles  # noqa: F401  (registers checks and role permissions)
