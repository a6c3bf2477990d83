"""单位管理员 (unit administrators) keep their own staff list through the admin, and no more."""

import pytest
from django.contrib.auth import get_user_model

from efficiency_portal.errors import ApplicationError
from organizations import services
from organizations.models import AuditEvent, StaffProfile
from organizations.roles import Role
from tests.conftest import login, make_staff


def _new_staff(agency, **changes) -> dict:
    return {
        "username": "new-clerk",
        "name": "周新人",
        "agency": agency.pk,
        "roles": [],
        "post": "窗口受理员",
        "phone": "13900001111",
        "email": "",
        "password": "",
    } | changes


def _group_pk(role):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=role).pk


@pytest.mark.django_db
def test_unit_admin_adds_a_handler_to_a_sub_agency_through_the_admin(unit_admin_a, sub_agency_a):
    response = login(unit_admin_a).post(
        "/admin/organizations/staffprofile/add/",
        _new_staff(sub_agency_a, roles=[_group_pk(Role.HANDLER)], password="Qz7!long-enough"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = StaffProfile.objects.get(user__username="new-clerk")
    assert profile.agency == sub_agency_a and profile.name == "周新人"
    assert profile.user.is_staff and profile.user.check_password("Qz7!long-enough")
    assert list(profile.user.groups.values_list("name", flat=True)) == [Role.HANDLER]
    assert AuditEvent.objects.filter(verb="staff.create", actor=unit_admin_a).exists()


@pytest.mark.django_db
def test_unit_admin_cannot_add_staff_to_another_agency(unit_admin_a, agency_b):
    response = login(unit_admin_a).post(
        "/admin/organizations/staffprofile/add/",
        _new_staff(agency_b, roles=[_group_pk(Role.HANDLER)]),
    )
    assert response.status_code == 200
    assert "周新人" in response.content.decode()  # what was typed comes back
    assert not get_user_model().objects.filter(username="new-clerk").exists()


@pytest.mark.django_db
def test_unit_admin_is_not_offered_roles_that_see_every_agency(unit_admin_a, agency_a):
    response = login(unit_admin_a).post(
        "/admin/organizations/staffprofile/add/",
        _new_staff(agency_a, roles=[_group_pk(Role.EFFICIENCY_OFFICE)]),
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="new-clerk").exists()


@pytest.mark.django_db
def test_granting_a_role_that_sees_every_agency_is_refused_with_the_reason(unit_admin_a, agency_a):
    with pytest.raises(ApplicationError) as refused:
        services.staff_create(
            actor=unit_admin_a,
            username="sneaky",
            name="越权",
            agency=agency_a,
            roles=[Role.HANDLER, Role.LEADER],
        )
    assert refused.value.message == "您无权授予角色：领导"
    assert not get_user_model().objects.filter(username="sneaky").exists()


@pytest.mark.django_db
def test_duplicate_username_comes_back_as_a_form_error_with_the_typed_values(
    unit_admin_a, agency_a, clerk_a
):
    response = login(unit_admin_a).post(
        "/admin/organizations/staffprofile/add/",
        _new_staff(agency_a, username=clerk_a.username, roles=[_group_pk(Role.HANDLER)]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"用户名 {clerk_a.username} 已被使用。" in html and "周新人" in html
    assert StaffProfile.objects.filter(name="周新人").count() == 0


@pytest.mark.django_db
def test_editing_staff_goes_through_the_service_and_never_logs_the_phone(unit_admin_a, clerk_a):
    profile = clerk_a.staff_profile
    response = login(unit_admin_a).post(
        f"/admin/organizations/staffprofile/{profile.pk}/change/",
        {
            "agency": profile.agency_id,
            "name": profile.name,
            "post": "副科长",
            "phone": "13700002222",
            "is_unit_head": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile.refresh_from_db()
    assert profile.post == "副科长" and profile.phone == "13700002222"
    event = AuditEvent.objects.get(verb="staff.update")
    assert event.data["fields"] == ["phone", "post"]
    assert "13700002222" not in str(event.data)


@pytest.mark.django_db
def test_moving_staff_to_an_agency_outside_the_scope_is_refused(clerk_a, agency_a, agency_b):
    unit_admin = make_staff(agency=agency_a, roles=[Role.UNIT_ADMIN])
    with pytest.raises(ApplicationError, match="您无权管理该单位的数据。"):
        services.staff_update(
            actor=unit_admin, profile=clerk_a.staff_profile, agency=agency_b, name="张承办"
        )
    clerk_a.staff_profile.refresh_from_db()
    assert clerk_a.staff_profile.agency == agency_a
