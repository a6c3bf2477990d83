"""Admin writes of organizations data go through services: scoped, and audited."""

import pytest
from django.utils import timezone

from organizations import services
from organizations.models import AuditEvent, DutyStatus, KeyPost, RoleScope
from organizations.roles import Role
from organizations.scoping import visible_agency_ids
from tests.conftest import login


def _bulk_delete(client, url: str, pks) -> None:
    client.post(
        url,
        {"action": "delete_selected", "_selected_action": pks, "index": 0, "post": "yes"},
    )


@pytest.mark.django_db
def test_deleting_key_posts_in_the_admin_is_audited(unit_admin_a, agency_a):
    post = KeyPost.objects.create(
        agency=agency_a, title="收费岗", duties="-", powers="-", complaint_channel="-"
    )
    _bulk_delete(login(unit_admin_a), "/admin/organizations/keypost/", [post.pk])
    assert not KeyPost.objects.exists()
    event = AuditEvent.objects.get(verb="keypost.delete")
    assert event.actor == unit_admin_a and event.data == {"title": "收费岗"}


@pytest.mark.django_db
def test_deleting_a_duty_status_in_the_admin_is_audited(unit_admin_a, clerk_a):
    duty = services.duty_status_set(
        actor=clerk_a, staff=clerk_a.staff_profile, status="leave", date=timezone.localdate()
    )
    response = login(unit_admin_a).post(
        f"/admin/organizations/dutystatus/{duty.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not DutyStatus.objects.exists()
    assert AuditEvent.objects.filter(verb="duty.delete", actor=unit_admin_a).exists()


@pytest.mark.django_db
def test_widening_a_role_scope_is_audited_and_takes_effect(
    admin_client, admin_user, clerk_a, agency_a, sub_agency_a
):
    scope = RoleScope.objects.get(group__name=Role.HANDLER)
    response = admin_client.post(
        f"/admin/organizations/rolescope/{scope.pk}/change/", {"scope": "subtree"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="rolescope.set")
    assert event.actor == admin_user
    assert event.data == {
        "role": "承办人",
        "from": "own",
        "to": "subtree",
        "changes": {"scope": ["own", "subtree"]},
    }
    clerk_a.refresh_from_db()
    assert visible_agency_ids(clerk_a) == {agency_a.pk, sub_agency_a.pk}


@pytest.mark.django_db
def test_roles_are_neither_added_nor_deleted_in_the_admin(admin_client):
    scope = RoleScope.objects.get(group__name=Role.LEADER)
    assert admin_client.get("/admin/organizations/rolescope/add/").status_code == 403
    response = admin_client.post(
        f"/admin/organizations/rolescope/{scope.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert RoleScope.objects.count() == len(Role)  # one per role; none added or deleted


@pytest.mark.django_db
def test_editing_an_agency_category_is_audited(admin_client):
    from organizations.models import AgencyCategory

    category = AgencyCategory.objects.get(code="window")
    response = admin_client.post(
        f"/admin/organizations/agencycategory/{category.pk}/change/",
        {"code": "window", "name": "窗口服务单位", "name_en": "Service windows", "order": 30},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name_en == "Service windows"
    assert AuditEvent.objects.filter(verb="category.update", subject_id=str(category.pk)).exists()


@pytest.mark.django_db
def test_a_unit_admin_places_new_agencies_only_under_agencies_they_manage(
    unit_admin_a, agency_a, agency_b, category
):
    from efficiency_portal.errors import ApplicationError
    from organizations.models import Agency

    station = services.agency_create(
        actor=unit_admin_a, code="SUB-1", name="城西所", category=category, parent=agency_a
    )
    assert station.path == f"{agency_a.path}{station.pk}/"
    with pytest.raises(ApplicationError, match="您无权管理该单位的数据。"):
        services.agency_create(
            actor=unit_admin_a, code="SUB-2", name="越权所", category=category, parent=agency_b
        )
    with pytest.raises(ApplicationError) as refused:
        services.agency_create(actor=unit_admin_a, code="TOP-1", name="越权局", category=category)
    assert refused.value.message == "只有可查看全部单位的角色才能设立顶级单位。"
    with pytest.raises(ApplicationError, match="您无权管理该单位的数据。"):
        services.agency_update(actor=unit_admin_a, agency=station, parent=agency_b)
    assert not Agency.objects.filter(code__in=["SUB-2", "TOP-1"]).exists()
