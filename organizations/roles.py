"""Roles are Django groups with real permissions and a visibility scope.

The groups and their scopes are created by a data migration. Their permissions
are kept in step after every ``migrate`` from ``ROLE_PERMISSIONS``, which each
app extends in its ``AppConfig.ready`` through ``register_role_permissions`` —
an app's permissions exist only once its own migrations have run.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import TextChoices


class Role(TextChoices):
    HANDLER = "承办人", "承办人 Handler"
    REVIEWER = "审核人", "审核人 Reviewer"
    APPROVER = "批准人", "批准人 Approver"
    UNIT_ADMIN = "单位管理员", "单位管理员 Unit administrator"
    EFFICIENCY_OFFICE = "效能办", "效能办 Efficiency office"
    LEADER = "领导", "领导 Leader"
    SYSADMIN = "系统管理员", "系统管理员 System administrator"
    # 效能监督员: an appointed inspector (from society or inside the agencies) who may only
    # record inspections (明察暗访) and see their own (supervision.selectors).
    INSPECTOR = "效能监督员", "效能监督员 Efficiency inspector"


# Roles that belong to one agency; a 单位管理员 may grant these and nothing wider.
AGENCY_ROLES: tuple[str, ...] = (Role.HANDLER, Role.REVIEWER, Role.APPROVER, Role.UNIT_ADMIN)

# Which agencies each role sees (organizations.RoleScope, editable in the admin).
DEFAULT_SCOPES: dict[str, str] = {
    Role.HANDLER: "own",
    Role.REVIEWER: "own",
    Role.APPROVER: "subtree",
    Role.UNIT_ADMIN: "subtree",
    Role.EFFICIENCY_OFFICE: "all",
    Role.LEADER: "all",
    Role.SYSADMIN: "all",
    Role.INSPECTOR: "own",
}

# role -> {"app_label.codename", …}
ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)


def register_role_permissions(mapping: dict[str, list[str] | set[str]]) -> None:
    for role, perms in mapping.items():
        ROLE_PERMISSIONS[str(role)].update(perms)


register_role_permissions(
    {
        Role.HANDLER: {
            "organizations.view_agency",
            "organizations.view_dutystatus",
            "organizations.change_dutystatus",
            "organizations.add_dutystatus",
            "organizations.view_keypost",
            "organizations.view_staffprofile",
        },
        Role.REVIEWER: {
            "organizations.view_agency",
            "organizations.view_dutystatus",
            "organizations.change_dutystatus",
            "organizations.add_dutystatus",
            "organizations.view_keypost",
            "organizations.view_staffprofile",
        },
        Role.APPROVER: {
            "organizations.view_agency",
            "organizations.view_dutystatus",
            "organizations.change_dutystatus",
            "organizations.add_dutystatus",
            "organizations.view_keypost",
            "organizations.view_staffprofile",
        },
        Role.UNIT_ADMIN: {
            "organizations.view_agency",
            "organizations.view_staffprofile",
            "organizations.change_staffprofile",
            "organizations.add_staffprofile",
            "organizations.view_keypost",
            "organizations.add_keypost",
            "organizations.change_keypost",
            "organizations.delete_keypost",
            "organizations.view_dutystatus",
            "organizations.add_dutystatus",
            "organizations.change_dutystatus",
            "organizations.delete_dutystatus",
        },
        Role.EFFICIENCY_OFFICE: {
            "organizations.view_agency",
            "organizations.view_staffprofile",
            "organizations.view_keypost",
            "organizations.view_dutystatus",
            "organizations.view_auditevent",
        },
        Role.LEADER: {
            "organizations.view_agency",
            "organizations.view_staffprofile",
            "organizations.view_keypost",
            "organizations.view_dutystatus",
        },
        Role.SYSADMIN: {
            "organizations.view_agency",
            "organizations.add_agency",
            "organizations.change_agency",
            "organizations.view_agencycategory",
            "organizations.add_agencycategory",
            "organizations.change_agencycategory",
            "organizations.view_rolescope",
            "organizations.change_rolescope",
            "organizations.view_staffprofile",
            "organizations.add_staffprofile",
            "organizations.change_staffprofile",
            "organizations.view_keypost",
            "organizations.add_keypost",
            "organizations.change_keypost",
            "organizations.delete_keypost",
            "organizations.view_dutystatus",
            "organizations.change_dutystatus",
            "organizations.view_auditevent",
            "auth.view_user",
            "auth.add_user",
            "auth.change_user",
            "auth.view_group",
            "auth.change_group",
        },
    }
)


def sync_role_permissions(sender=None, using: str = "default", **kwargs) -> None:
    """Give each role group exactly the permissions registered for it (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, wanted in ROLE_PERMISSIONS.items():
        try:
            group = Group.objects.using(using).get(name=role)
        except Group.DoesNotExist:
            continue  # before the organizations data migration ran
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
