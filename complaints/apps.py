from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = pgettext_lazy("app", "效能投诉")

    def ready(self) -> None:
        from complaints import checks, labels  # noqa: F401  (checks registers system checks)
        from complaints.roles import register

        register()
        labels.register()  # kind and case labels for the deadline engine's pages
