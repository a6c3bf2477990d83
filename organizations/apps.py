from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from organizations import checks  # noqa: F401  (registers system checks)
        from organizations.roles import sync_role_permissions

        # Permissions of later apps exist only after their migrations ran, so the
        # roles receive their new defaults after every migrate.
        post_migrate.connect(
            sync_role_permissions, dispatch_uid="organizations.sync_role_permissions"
        )
