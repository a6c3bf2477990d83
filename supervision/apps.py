from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """效能监督 (supervision): reads every other app; nothing imports it."""

    name = "supervision"
    verbose_name = _("效能监督")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from supervision import checks, roles  # noqa: F401  (registers checks and permissions)
        from supervision.settings_sync import indicator_settings_sync
        from timelimits.checks import register_kinds

        register_kinds("supervision.rectify")  # its policy is seeded by a timelimits migration

        # The apps' declared indicators get their editable settings row after every migrate.
        post_migrate.connect(
            indicator_settings_sync, sender=self, dispatch_uid="supervision.indicator_settings"
        )
