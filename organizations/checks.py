"""System checks: roles whose permissions an administrator changed from the defaults.

Reads the database, so tagged ``database`` (``migrate`` and
``manage.py check --database default`` run it).
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def roles_differ_from_defaults(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from organizations.roles import role_differences

    try:
        differences = role_differences()
    except DatabaseError:  # tables not migrated yet
        return []
    return [
        Warning(
            f"Role {role!r} differs from its default permissions (角色权限与默认不同): "
            f"missing {', '.join(diff['missing']) or 'none'}; "
            f"added {', '.join(diff['added']) or 'none'}.",
            hint=(
                "An administrator changed this role in the admin (see the audit rows "
                "group.update). If that is intended, nothing needs doing; migrate never "
                "undoes it. Otherwise restore the permissions on the role's admin page."
            ),
            obj=role,
            id="organizations.W001",
        )
        for role, diff in sorted(differences.items())
    ]
