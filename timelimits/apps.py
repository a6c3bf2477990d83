from django.apps import AppConfig


class TimelimitsConfig(AppConfig):
    name = "timelimits"
    verbose_name = "时限管理 Deadlines"

    def ready(self) -> None:
        from timelimits import checks, roles  # noqa: F401  (registers checks and role permissions)
