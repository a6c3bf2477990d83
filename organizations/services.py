"""Every write to agencies, staff, key posts and duty boards."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations import pinyin
from organizations.audit import audit, changes, snapshot
from organizations.models import (
    Agency,
    AgencyCategory,
    DutyStatus,
    KeyPost,
    RoleScope,
    StaffProfile,
)
from organizations.roles import AGENCY_ROLES, Role
from organizations.scoping import forget_scope, visible_agency_ids


def _check_can_act_for(actor, agency: Agency) -> None:
    ids = visible_agency_ids(actor)
    if ids is not None and agency.pk not in ids:
        raise ApplicationError(
            _("您无权管理该单位的数据。"), code="forbidden_agency", field="agency"
        )


def _check_can_place_under(actor, parent: Agency | None) -> None:
    """An agency goes under one the actor manages; a top-level agency only from an all-seeing role."""
    if actor is None:
        return
    if parent is not None:
        _check_can_act_for(actor, parent)
    elif visible_agency_ids(actor) is not None:
        raise ApplicationError(
            _("只有可查看全部单位的角色才能设立顶级单位。"), code="forbidden_root", field="parent"
        )


def _check_can_grant(actor, roles: list[str]) -> None:
    """Agency roles may be granted by whoever manages the agency; roles that see every
    agency (效能办, 领导, 系统管理员) only by a superuser or a 系统管理员."""
    if actor is None or actor.is_superuser or actor.groups.filter(name=Role.SYSADMIN).exists():
        return
    forbidden = sorted(set(roles) - set(AGENCY_ROLES))
    if forbidden:
        raise ApplicationError(
            _("您无权授予角色：%(r)s") % {"r": "、".join(forbidden)},
            code="forbidden_role",
            field="roles",
        )


@transaction.atomic
def agency_create(
    *, actor, code: str, name: str, category: AgencyCategory, parent: Agency | None = None, **fields
) -> Agency:
    _check_can_place_under(actor, parent)
    if Agency.objects.filter(code=code).exists():
        raise ApplicationError(
            _("机构代码 %(code)s 已存在。") % {"code": code}, code="duplicate_code", field="code"
        )
    agency = Agency.objects.create(
        code=code,
        name=name,
        name_pinyin=pinyin.sort_key(name),
        category=category,
        parent=parent,
        **fields,
    )
    agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
    agency.save(update_fields=["path"])
    audit(
        actor=actor,
        verb="agency.create",
        subject=agency,
        agency=agency,
        data={"code": code, "name": name, "changes": changes({}, snapshot(agency))},
    )
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, parent: Agency | None, **fields) -> Agency:
    """Change an agency; moving it re-roots the paths of its whole subtree in one statement."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if actor is not None:
        _check_can_act_for(actor, agency)
    if parent != agency.parent:
        _check_can_place_under(actor, parent)
    if parent is not None and (parent.pk == agency.pk or parent.path.startswith(agency.path)):
        raise ApplicationError(
            _("不能把单位移到它自己或其下属单位之下。"), code="tree_cycle", field="parent"
        )
    before = snapshot(agency)
    for name, value in fields.items():
        setattr(agency, name, value)
    agency.name_pinyin = pinyin.sort_key(agency.name)
    old_path = agency.path
    agency.parent = parent
    agency.save()
    new_path = f"{parent.path if parent else '/'}{agency.pk}/"
    if new_path != old_path:
        Agency.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
        )
    agency.path = new_path
    audit(
        actor=actor,
        verb="agency.update",
        subject=agency,
        agency=agency,
        data={
            "fields": sorted(fields),
            "path": new_path,
            "changes": changes(before, snapshot(agency)),
        },
    )
    return agency


@transaction.atomic
def staff_create(
    *,
    actor,
    username: str,
    name: str,
    agency: Agency,
    roles: list[str],
    post: str = "",
    phone: str = "",
    email: str = "",
    password: str | None = None,
    is_unit_head: bool = False,
) -> StaffProfile:
    """Create a staff account: a user (staff, so it may log into the admin), a profile, its roles."""
    if actor is not None:
        _check_can_act_for(actor, agency)
    _check_can_grant(actor, roles)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ApplicationError(
            _("用户名 %(u)s 已被使用。") % {"u": username},
            code="duplicate_username",
            field="username",
        )
    user = User(username=username, email=email, is_staff=True)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    groups = list(Group.objects.filter(name__in=roles))
    missing = set(roles) - {g.name for g in groups}
    if missing:
        raise ApplicationError(
            _("未知角色：%(r)s") % {"r": "、".join(sorted(missing))},
            code="unknown_role",
            field="roles",
        )
    user.groups.set(groups)
    profile = StaffProfile.objects.create(
        user=user, agency=agency, name=name, post=post, phone=phone, is_unit_head=is_unit_head
    )
    audit(
        actor=actor,
        verb="staff.create",
        subject=profile,
        agency=agency,
        data={"username": username, "roles": roles},
    )
    return profile


@transaction.atomic
def staff_update(
    *,
    actor,
    profile: StaffProfile,
    agency: Agency,
    name: str,
    post: str = "",
    phone: str = "",
    is_unit_head: bool = False,
) -> StaffProfile:
    """Change a staff member's details; moving them needs rights over both agencies."""
    current = StaffProfile.objects.select_for_update().get(pk=profile.pk)
    _check_can_act_for(actor, current.agency)
    _check_can_act_for(actor, agency)
    changed = {
        field: value
        for field, value in {
            "agency": agency,
            "name": name,
            "post": post,
            "phone": phone,
            "is_unit_head": is_unit_head,
        }.items()
        if getattr(current, field) != value
    }
    if not changed:
        return current
    moved_from = current.agency_id
    before = snapshot(current)
    for field, value in changed.items():
        setattr(current, field, value)
    current.save()
    forget_scope(current.user)
    audit(
        actor=actor,
        verb="staff.update",
        subject=current,
        agency=current.agency,
        # The phone is personal data: record that it changed, never its value.
        data={
            "fields": sorted(changed),
            "moved_from": moved_from if "agency" in changed else None,
            "changes": changes(before, snapshot(current), hidden=("phone",)),
        },
    )
    return current


@transaction.atomic
def key_post_save(*, actor, key_post: KeyPost) -> KeyPost:
    """Create or update a 关键岗位 entry (from the admin form)."""
    _check_can_act_for(actor, key_post.agency)
    if key_post.holder_id and key_post.holder.agency_id != key_post.agency_id:
        raise ApplicationError(_("在岗人员必须属于该单位。"), code="holder_agency", field="holder")
    created = key_post.pk is None
    stored = KeyPost.objects.select_for_update().filter(pk=key_post.pk).first()
    if stored is not None:
        _check_can_act_for(actor, stored.agency)  # moving a post needs rights over both agencies
    before = snapshot(stored)
    key_post.save()
    audit(
        actor=actor,
        verb="keypost.create" if created else "keypost.update",
        subject=key_post,
        agency=key_post.agency,
        data={"changes": changes(before, snapshot(key_post))},
    )
    return key_post


@transaction.atomic
def duty_status_set(
    *, actor, staff: StaffProfile, status: str, date: dt.date, note: str = ""
) -> DutyStatus:
    """Set one staff member's 在岗 status for a day (upsert); the board shows it at once."""
    _check_can_act_for(actor, staff.agency)
    if status not in DutyStatus.Status.values:
        raise ApplicationError(
            _("未知的在岗状态：%(s)s") % {"s": status}, code="unknown_status", field="status"
        )
    row, created = DutyStatus.objects.select_for_update().get_or_create(
        staff=staff,
        date=date,
        defaults={"agency": staff.agency, "status": status, "note": note, "updated_by": actor},
    )
    before = {} if created else {"status": row.status, "note": row.note}
    if not created:
        if row.status == status and row.note == note:
            return row  # unchanged: no event, no noise
        row.status, row.note, row.updated_by, row.agency = status, note, actor, staff.agency
        row.save()
    audit(
        actor=actor,
        verb="duty.set",
        subject=row,
        agency=staff.agency,
        data={
            "status": status,
            "date": date.isoformat(),
            "changes": changes(before, {"status": status, "note": note}),
        },
    )
    return row


@transaction.atomic
def key_post_delete(*, actor, key_post: KeyPost) -> None:
    _check_can_act_for(actor, key_post.agency)
    audit(
        actor=actor,
        verb="keypost.delete",
        subject=key_post,
        agency=key_post.agency,
        data={"title": key_post.title},
    )
    key_post.delete()


@transaction.atomic
def duty_status_delete(*, actor, duty: DutyStatus) -> None:
    _check_can_act_for(actor, duty.agency)
    audit(
        actor=actor,
        verb="duty.delete",
        subject=duty,
        agency=duty.agency,
        data={"date": duty.date.isoformat(), "status": duty.status},
    )
    duty.delete()


@transaction.atomic
def agency_category_save(*, actor, category: AgencyCategory) -> AgencyCategory:
    """Create or change an agency category (global configuration, from the admin)."""
    created = category.pk is None
    before = snapshot(AgencyCategory.objects.select_for_update().filter(pk=category.pk).first())
    category.save()
    audit(
        actor=actor,
        verb="category.create" if created else "category.update",
        subject=category,
        data={
            "code": category.code,
            "name": category.name,
            "changes": changes(before, snapshot(category)),
        },
    )
    return category


@transaction.atomic
def role_scope_set(*, actor, role_scope: RoleScope, scope: str) -> RoleScope:
    """Change how far a role sees. Security-relevant, so always audited with before and after."""
    if scope not in RoleScope.Scope.values:
        raise ApplicationError(
            _("未知的可见范围：%(s)s") % {"s": scope}, code="unknown_scope", field="scope"
        )
    row = RoleScope.objects.select_for_update().select_related("group").get(pk=role_scope.pk)
    if row.scope == scope:
        return row
    before, row.scope = row.scope, scope
    row.save(update_fields=["scope"])
    audit(
        actor=actor,
        verb="rolescope.set",
        subject=row,
        data={
            "role": row.group.name,
            "from": before,
            "to": scope,
            "changes": {"scope": [before, scope]},
        },
    )
    return row
