"""Every write to user accounts and role groups: users, passwords, group membership, permissions.

The admin's user and group pages call these (``organizations.admin``), so a
change of who may do what is audited like any other: who, when, before → after.

* ``user_create`` / ``user_update`` / ``user_set_password`` — an account, its flags,
  its groups (roles) and direct permissions. Only a superuser makes a superuser;
  roles that see every agency are granted by a superuser or a 系统管理员 only.
* ``group_create`` / ``group_update`` / ``group_delete`` — a group and its
  permissions. The seven roles keep their names (the code finds them by name)
  and are never deleted; ``post_migrate`` never undoes a change made here.
* ``login_lockout_clear`` — lift a login lock-out (django-axes' failed attempts).

Passwords and e-mail addresses are recorded as changed, never their values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.audit import audit, changes, snapshot
from organizations.roles import Role
from organizations.scoping import forget_scope

# The account fields an administrator edits on the user page (not the password: see
# user_set_password; not last_login: the login records it).
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
)
HIDDEN_USER_FIELDS = ("email",)
ROLE_NAMES = frozenset(str(role) for role in Role)


def _is_sysadmin(actor) -> bool:
    return actor is None or actor.is_superuser or actor.groups.filter(name=Role.SYSADMIN).exists()


def _dotted(permissions: Iterable[Permission]) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def _permissions(ids: Iterable[int]) -> list[Permission]:
    return list(Permission.objects.filter(pk__in=list(ids)).select_related("content_type"))


def _check_may_grant(actor, *, superuser: bool, roles: Iterable[str]) -> None:
    if superuser and not (actor is None or actor.is_superuser):
        raise ApplicationError(
            _("只有超级管理员可以授予超级管理员权限。"),
            code="forbidden_superuser",
            field="is_superuser",
        )
    wide = sorted(set(roles) & {Role.EFFICIENCY_OFFICE, Role.LEADER, Role.SYSADMIN})
    if wide and not _is_sysadmin(actor):
        raise ApplicationError(
            _("您无权授予角色：%(r)s") % {"r": "、".join(wide)},
            code="forbidden_role",
            field="groups",
        )


def _membership(user) -> dict[str, list[str]]:
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": _dotted(user.user_permissions.select_related("content_type")),
    }


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, is_staff: bool = True) -> Any:
    """A new account (the admin's "add user" page); roles follow on its change page."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            _("用户名 %(u)s 已被使用。") % {"u": username},
            code="duplicate_username",
            field="username",
        )
    user = User(username=username, is_staff=is_staff)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit(
        actor=actor,
        verb="user.create",
        subject=user,
        data={"changes": changes({}, snapshot(user, USER_FIELDS), hidden=HIDDEN_USER_FIELDS)},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user,
    fields: dict[str, Any],
    groups: Iterable[Group] | None = None,
    user_permissions: Iterable[Permission] | None = None,
) -> Any:
    """Change an account's details, flags, roles and direct permissions; one audit row.

    ``fields`` holds any of ``USER_FIELDS``; ``groups`` / ``user_permissions`` replace
    the current ones when given. Nothing changed, nothing written.
    """
    unknown = sorted(set(fields) - set(USER_FIELDS))
    if unknown:
        raise ApplicationError(
            _("不能修改的字段：%(f)s") % {"f": "、".join(unknown)}, code="unknown_field"
        )
    User = get_user_model()
    current = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(current, USER_FIELDS) | _membership(current)
    new_groups = list(groups) if groups is not None else None
    _check_may_grant(
        actor,
        superuser=bool(fields.get("is_superuser")) and not current.is_superuser,
        roles={g.name for g in new_groups or ()} - set(before["groups"]),
    )
    renamed = fields.get("username", current.username)
    if User.objects.filter(username=renamed).exclude(pk=current.pk).exists():
        raise ApplicationError(
            _("用户名 %(u)s 已被使用。") % {"u": renamed},
            code="duplicate_username",
            field="username",
        )
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    if new_groups is not None:
        current.groups.set(new_groups)
    if user_permissions is not None:
        current.user_permissions.set(list(user_permissions))
    after = snapshot(current, USER_FIELDS) | _membership(current)
    diff = changes(before, after, hidden=HIDDEN_USER_FIELDS)
    if diff:
        audit(actor=actor, verb="user.update", subject=current, data={"changes": diff})
    forget_scope(current)
    return current


@transaction.atomic
def user_set_password(*, actor, user, password: str | None) -> Any:
    """Set a new password, or (``None``) switch password login off for the account."""
    current = get_user_model().objects.select_for_update().get(pk=user.pk)
    if current.is_superuser and not (actor is None or actor.is_superuser):
        raise ApplicationError(
            _("只有超级管理员可以修改超级管理员的密码。"),
            code="forbidden_superuser",
            field="password1",
        )
    if password:
        current.set_password(password)
    else:
        current.set_unusable_password()
    current.save(update_fields=["password"])
    audit(
        actor=actor,
        verb="user.password_set" if password else "user.password_disabled",
        subject=current,
        data={"changes": {"password": ["***", "***"]}},
    )
    return current


def _check_group_name(group: Group | None, name: str) -> None:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写名称。"), code="required", field="name")
    if group is not None and group.name in ROLE_NAMES and name != group.name:
        raise ApplicationError(
            _("角色“%(r)s”的名称由系统使用，不能修改。") % {"r": group.name},
            code="role_renamed",
            field="name",
        )
    taken = Group.objects.filter(name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise ApplicationError(
            _("名称“%(n)s”已被使用。") % {"n": name}, code="duplicate_name", field="name"
        )


@transaction.atomic
def group_create(*, actor, name: str, permissions: Iterable[Permission] = ()) -> Group:
    _check_group_name(None, name)
    group = Group.objects.create(name=name.strip())
    group.permissions.set(list(permissions))
    audit(
        actor=actor,
        verb="group.create",
        subject=group,
        data={
            "changes": changes(
                {},
                {
                    "name": group.name,
                    "permissions": _dotted(_permissions(p.pk for p in permissions)),
                },
            )
        },
    )
    return group


@transaction.atomic
def group_update(*, actor, group: Group, name: str, permissions: Iterable[Permission]) -> Group:
    """Rename a group (not one of the seven roles) and replace its permissions; one audit row."""
    current = Group.objects.select_for_update().get(pk=group.pk)
    _check_group_name(current, name)
    permissions = list(permissions)
    before = {
        "name": current.name,
        "permissions": _dotted(_permissions(current.permissions.values_list("pk", flat=True))),
    }
    after = {"name": name.strip(), "permissions": _dotted(_permissions(p.pk for p in permissions))}
    diff = changes(before, after)
    if not diff:
        return current
    current.name = after["name"]
    current.save()
    current.permissions.set(permissions)
    added = sorted(set(after["permissions"]) - set(before["permissions"]))
    removed = sorted(set(before["permissions"]) - set(after["permissions"]))
    audit(
        actor=actor,
        verb="group.update",
        subject=current,
        data={"changes": diff, "added": added, "removed": removed},
    )
    return current


@transaction.atomic
def group_delete(*, actor, group: Group) -> None:
    if group.name in ROLE_NAMES:
        raise ApplicationError(
            _("角色“%(r)s”由系统使用，不能删除。") % {"r": group.name}, code="role_deleted"
        )
    audit(
        actor=actor,
        verb="group.delete",
        subject=group,
        data={"changes": changes({"name": group.name, "members": group.user_set.count()}, {})},
    )
    group.delete()


@transaction.atomic
def login_lockout_clear(*, actor, attempts) -> int:
    """Delete failed-login records (django-axes ``AccessAttempt``), lifting their lock-out.

    One audit row per record, naming the account; the client address is left out.
    """
    cleared = 0
    for attempt in attempts.select_for_update():
        audit(
            actor=actor,
            verb="login.lockout_clear",
            subject=attempt,
            data={
                "username": attempt.username,
                "failures": attempt.failures_since_start,
                "changes": {"failures_since_start": [attempt.failures_since_start, None]},
            },
        )
        attempt.delete()
        cleared += 1
    return cleared
