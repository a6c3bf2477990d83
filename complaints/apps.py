from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "效能投诉 Complaints"

    def ready(self) -> None:
        from complaints import checks, labels  # noqa: F401  (checks registers system checks)
        from complaints.roles import register

        register()
        labels.register()  # kind and case labels for the deadline engine's pages
