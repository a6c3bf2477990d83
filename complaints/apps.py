from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "效能投诉 Complaints"

    def ready(self) -> None:
        from complaints import checks  # noqa: F401  (registers system checks)
        from complaints.roles import register

        register()
