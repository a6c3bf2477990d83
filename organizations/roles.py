"""Roles are Django groups with real permissions and a visibility scope.

The groups and their scopes are created by a data migration. Their default
permissions are ``ROLE_PERMISSIONS``, which each app extends in its
``AppConfig.ready`` through ``register_role_permissions``; after every
``migrate`` each role receives the defaults it was never given (an app's
permissions exist only once its own migrations have run). An administrator may
change a role's permissions in the admin (``group_update``, audited); the next
``migrate`` keeps that change, and the system check organizations.W001 lists the
roles that differ from their defaults.
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


def default_permissions(using: str = "default") -> dict[str, set[int]]:
    """role name -> ids of its registered permissions that exist (an app's exist once migrated)."""
    from django.contrib.auth.models import Permission

    wanted = {dotted for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    ids = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted
    }
    return {
        role: {ids[dotted] for dotted in perms if dotted in ids}
        for role, perms in ROLE_PERMISSIONS.items()
    }


def sync_role_permissions(sender=None, using: str = "default", **kwargs) -> None:
    """Give each role the registered defaults it was never given; never take one away.

    ``RoleDefaultPermission`` remembers every default once given, so a permission an
    administrator removed from a role (through ``group_update``) is not given back by
    the next ``migrate``, and one they added is kept. Idempotent. The rows of
    ``RoleDefaultPermission`` (with ``granted_at``) are the record of what was given
    and when: no one acted, so no audit row.
    """
    from django.contrib.auth.models import Group

    from organizations.models import RoleDefaultPermission

    groups = {g.name: g for g in Group.objects.using(using).filter(name__in=ROLE_PERMISSIONS)}
    if not groups:
        return  # before the organizations data migration ran
    given = set(RoleDefaultPermission.objects.using(using).values_list("group_id", "permission_id"))
    for role, wanted in sorted(default_permissions(using).items()):
        group = groups.get(role)
        if group is None:
            continue
        new = sorted(pk for pk in wanted if (group.pk, pk) not in given)
        if not new:
            continue
        group.permissions.add(*new)
        RoleDefaultPermission.objects.using(using).bulk_create(
            [RoleDefaultPermission(group=group, permission_id=pk) for pk in new]
        )


def role_differences(using: str = "default") -> dict[str, dict[str, list[str]]]:
    """{role: {"missing": [...], "added": [...]}} for every role whose permissions are not its defaults."""
    from django.contrib.auth.models import Group

    defaults = default_permissions(using)
    found = {}
    for group in (
        Group.objects.using(using).filter(name__in=defaults).prefetch_related("permissions")
    ):
        held = {p.pk for p in group.permissions.all()}
        wanted = defaults[group.name]
        if held != wanted:
            found[group.name] = {
                "missing": _dotted(wanted - held, using),
                "added": _dotted(held - wanted, using),
            }
    return found


def _dotted(ids, using: str) -> list[str]:
    from django.contrib.auth.models import Permission

    return sorted(
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.using(using)
        .filter(pk__in=list(ids))
        .values_list("content_type__app_label", "codename")
    )
