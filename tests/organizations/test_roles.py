"""Roles are groups with a scope and real permissions; the admin keeps the agency tree sound."""

import pytest
from django.contrib.auth.models import Group, Permission

from organizations.models import Agency, AgencyCategory, KeyPost, RoleScope
from organizations.roles import DEFAULT_SCOPES, ROLE_PERMISSIONS, Role
from organizations.scoping import visible_agency_ids
from tests.conftest import login, make_agency, make_staff


@pytest.mark.django_db
def test_every_role_exists_after_migrate_with_its_scope():
    scopes = dict(RoleScope.objects.values_list("group__name", "scope"))
    assert scopes == {str(role): scope for role, scope in DEFAULT_SCOPES.items()}
    assert len(scopes) == len(Role) == 8  # 效能监督员 (supervision) is the eighth


@pytest.mark.django_db
def test_each_role_holds_exactly_its_registered_permissions():
    for role in Role:
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        existing = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()}
        assert held, f"{role} has no permissions"
        assert held == ROLE_PERMISSIONS[str(role)] & existing
    handler = Group.objects.get(name=Role.HANDLER)
    assert not handler.permissions.filter(codename="change_agency").exists()
    assert Group.objects.get(name=Role.SYSADMIN).permissions.filter(codename="change_agency")


@pytest.mark.django_db
def test_unit_admin_sees_own_agency_and_its_sub_agencies_but_not_others(
    unit_admin_a, agency_a, sub_agency_a, agency_b
):
    assert visible_agency_ids(unit_admin_a) == {agency_a.pk, sub_agency_a.pk}


@pytest.mark.django_db
def test_handler_sees_only_own_agency_not_its_sub_agencies(clerk_a, agency_a, sub_agency_a):
    assert visible_agency_ids(clerk_a) == {agency_a.pk}


@pytest.mark.django_db
def test_efficiency_office_and_leaders_see_every_agency(office_user, leader, agency_a):
    assert visible_agency_ids(office_user) is None
    assert visible_agency_ids(leader) is None


@pytest.mark.django_db
def test_unit_admin_lists_staff_of_sub_agency_in_admin_and_handler_does_not(
    unit_admin_a, clerk_a, sub_agency_a, clerk_b
):
    sub_clerk = make_staff(agency=sub_agency_a, roles=[Role.HANDLER], name="孙分局")
    html = login(unit_admin_a).get("/admin/organizations/staffprofile/").content.decode()
    assert "孙分局" in html and "张承办" in html and "李承办" not in html
    html = login(clerk_a).get("/admin/organizations/staffprofile/").content.decode()
    assert "张承办" in html and "孙分局" not in html
    assert sub_clerk.staff_profile.agency == sub_agency_a


@pytest.fixture
def sysadmin(db):
    office = make_agency(name="市大数据中心", category=AgencyCategory.objects.get(code="party"))
    return make_staff(agency=office, roles=[Role.SYSADMIN], name="系统管理")


def _agency_form(agency: Agency, **changes) -> dict:
    data = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "name_en": agency.name_en,
        "parent": agency.parent_id or "",
        "category": agency.category_id,
        "address": agency.address,
        "phone": agency.phone,
        "is_active": "on" if agency.is_active else "",
    }
    return data | changes


@pytest.mark.django_db
def test_moving_an_agency_in_the_admin_re_roots_its_whole_subtree(
    sysadmin, agency_a, sub_agency_a, agency_b, category
):
    station = make_agency(name="城东市场监管所", category=category, parent=sub_agency_a)
    response = login(sysadmin).post(
        f"/admin/organizations/agency/{agency_a.pk}/change/",
        _agency_form(agency_a, parent=agency_b.pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agency_a.refresh_from_db()
    sub_agency_a.refresh_from_db()
    station.refresh_from_db()
    assert agency_a.path == f"/{agency_b.pk}/{agency_a.pk}/"
    assert sub_agency_a.path == f"/{agency_b.pk}/{agency_a.pk}/{sub_agency_a.pk}/"
    assert station.path == f"{sub_agency_a.path}{station.pk}/"


@pytest.mark.django_db
def test_moving_an_agency_under_its_own_child_is_refused_with_a_form_error(
    sysadmin, agency_a, sub_agency_a
):
    response = login(sysadmin).post(
        f"/admin/organizations/agency/{agency_a.pk}/change/",
        _agency_form(agency_a, parent=sub_agency_a.pk, name="改名不应保存"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能把单位移到它自己或其下属单位之下。" in html
    assert "改名不应保存" in html  # what the user typed comes back
    agency_a.refresh_from_db()
    assert agency_a.parent is None and agency_a.name == "市市场监督管理局"
    assert agency_a.path == f"/{agency_a.pk}/"


@pytest.mark.django_db
def test_key_post_holder_from_another_agency_is_refused_in_the_admin(
    unit_admin_a, agency_a, clerk_b
):
    response = login(unit_admin_a).post(
        "/admin/organizations/keypost/add/",
        {
            "agency": agency_a.pk,
            "title": "行政许可受理岗",
            "holder": clerk_b.staff_profile.pk,
            "duties": "受理申请",
            "powers": "受理",
            "complaint_channel": "12345",
            "is_published": "on",
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert not KeyPost.objects.exists()
    # A colleague of another agency is not even a choice for a unit admin of A.
    assert "选择一个有效的选项" in response.content.decode()


@pytest.mark.django_db
def test_key_post_holder_from_another_agency_is_refused_even_for_an_all_seeing_user(
    agency_a, clerk_b, admin_client
):
    response = admin_client.post(
        "/admin/organizations/keypost/add/",
        {
            "agency": agency_a.pk,
            "title": "行政许可受理岗",
            "holder": clerk_b.staff_profile.pk,
            "duties": "受理申请",
            "powers": "受理",
            "complaint_channel": "12345",
            "is_published": "on",
            "order": 0,
        },
    )
    assert response.status_code == 200
    assert "在岗人员必须属于该单位。" in response.content.decode()
    assert not KeyPost.objects.exists()


@pytest.mark.django_db
def test_staff_phone_is_masked_in_the_admin_list_and_the_api(unit_admin_a, clerk_a):
    phone = clerk_a.staff_profile.phone
    masked = f"{phone[:3]}****{phone[-4:]}"
    client = login(unit_admin_a)
    html = client.get("/admin/organizations/staffprofile/").content.decode()
    assert masked in html and phone not in html
    data = client.get("/api/v1/staff/").json()
    phones = {row["phone"] for row in data["results"]}
    assert masked in phones and phone not in phones


def _held(role) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.django_db
def test_migrate_gives_a_role_its_new_defaults_but_never_undoes_an_administrators_change(
    admin_user, monkeypatch
):
    from organizations import roles
    from organizations.services_accounts import group_update

    handler = Group.objects.get(name=Role.HANDLER)
    kept = [p for p in handler.permissions.all() if p.codename != "view_keypost"]
    extra = Permission.objects.get(
        content_type__app_label="organizations", codename="view_auditevent"
    )
    group_update(actor=admin_user, group=handler, name=handler.name, permissions=[*kept, extra])
    # A new version of the code registers a new default for the role.
    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS,
        str(Role.HANDLER),
        roles.ROLE_PERMISSIONS[str(Role.HANDLER)] | {"timelimits.view_workcalendarday"},
    )
    roles.sync_role_permissions()
    roles.sync_role_permissions()  # idempotent
    held = _held(Role.HANDLER)
    assert "timelimits.view_workcalendarday" in held  # the new default arrived
    assert "organizations.view_keypost" not in held  # the administrator's removal stands
    assert "organizations.view_auditevent" in held  # and their addition too


@pytest.mark.django_db
def test_w001_reports_a_role_whose_permissions_differ_from_its_defaults(admin_user):
    from organizations.checks import roles_differ_from_defaults
    from organizations.services_accounts import group_update

    assert roles_differ_from_defaults(databases=["default"]) == []
    leader = Group.objects.get(name=Role.LEADER)
    kept = [p for p in leader.permissions.all() if p.codename != "view_keypost"]
    group_update(actor=admin_user, group=leader, name=leader.name, permissions=kept)
    (warning,) = roles_differ_from_defaults(databases=["default"])
    assert warning.id == "organizations.W001"
    assert warning.msg == (
        "Role '领导' differs from its default permissions (角色权限与默认不同): "
        "missing organizations.view_keypost; added none."
    )


@pytest.mark.django_db
def test_changing_a_roles_permissions_in_the_admin_is_audited_with_what_was_added_and_removed(
    admin_client, admin_user
):
    from organizations.models import AuditEvent

    leader = Group.objects.get(name=Role.LEADER)
    kept = [p.pk for p in leader.permissions.all() if p.codename != "view_keypost"]
    response = admin_client.post(
        f"/admin/auth/group/{leader.pk}/change/", {"name": leader.name, "permissions": kept}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="group.update")
    assert event.actor == admin_user and event.subject_id == str(leader.pk)
    assert event.data["removed"] == ["organizations.view_keypost"] and event.data["added"] == []
    before, after = event.data["changes"]["permissions"]
    assert set(before) - set(after) == {"organizations.view_keypost"}


@pytest.mark.django_db
def test_a_role_is_neither_renamed_nor_deleted_in_the_admin(admin_client):
    handler = Group.objects.get(name=Role.HANDLER)
    perms = list(handler.permissions.values_list("pk", flat=True))
    response = admin_client.post(
        f"/admin/auth/group/{handler.pk}/change/", {"name": "经办员", "permissions": perms}
    )
    assert response.status_code == 200
    assert "角色“承办人”的名称由系统使用，不能修改。" in response.content.decode()
    response = admin_client.post(f"/admin/auth/group/{handler.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Group.objects.filter(name=Role.HANDLER).exists()


@pytest.mark.django_db
def test_a_users_roles_changed_in_the_admin_are_audited_before_and_after(sysadmin, clerk_a):
    from organizations.models import AuditEvent

    reviewer = Group.objects.get(name=Role.REVIEWER)
    response = login(sysadmin).post(
        f"/admin/auth/user/{clerk_a.pk}/change/",
        {
            "username": clerk_a.username,
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=Role.HANDLER).pk, reviewer.pk],
            "date_joined_0": clerk_a.date_joined.date().isoformat(),
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(clerk_a.groups.values_list("name", flat=True)) == {"承办人", "审核人"}
    event = AuditEvent.objects.get(verb="user.update", subject_id=str(clerk_a.pk))
    assert event.actor == sysadmin
    assert event.data["changes"]["groups"] == [["承办人"], ["审核人", "承办人"]]


@pytest.mark.django_db
def test_only_a_superuser_makes_a_superuser(sysadmin, clerk_a):
    response = login(sysadmin).post(
        f"/admin/auth/user/{clerk_a.pk}/change/",
        {
            "username": clerk_a.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": clerk_a.date_joined.date().isoformat(),
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 200
    assert "只有超级管理员可以授予超级管理员权限。" in response.content.decode()
    clerk_a.refresh_from_db()
    assert not clerk_a.is_superuser


@pytest.mark.django_db
def test_a_password_set_in_the_admin_is_audited_without_its_value(sysadmin, clerk_a):
    from organizations.models import AuditEvent

    response = login(sysadmin).post(
        f"/admin/auth/user/{clerk_a.pk}/password/",
        {"password1": "Xiao-Ming-2026!", "password2": "Xiao-Ming-2026!", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    clerk_a.refresh_from_db()
    assert clerk_a.check_password("Xiao-Ming-2026!")
    event = AuditEvent.objects.get(verb="user.password_set", subject_id=str(clerk_a.pk))
    assert event.actor == sysadmin
    assert "Xiao-Ming-2026!" not in str(event.data)


@pytest.mark.django_db
def test_an_account_added_in_the_admin_is_audited_and_can_log_in(sysadmin):
    from django.contrib.auth import get_user_model

    from organizations.models import AuditEvent

    response = login(sysadmin).post(
        "/admin/auth/user/add/",
        {
            "username": "new-clerk",
            "usable_password": "true",
            "password1": "Xin-Zhang-2026!",
            "password2": "Xin-Zhang-2026!",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="new-clerk")
    assert user.check_password("Xin-Zhang-2026!") and user.is_staff
    event = AuditEvent.objects.get(verb="user.create", subject_id=str(user.pk))
    assert event.actor == sysadmin and event.data["changes"]["username"] == [None, "new-clerk"]
