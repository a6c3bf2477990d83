"""Integration accounts: what ``integration_account_create`` gives a system, and what it does not."""

from __future__ import annotations

import pytest

from complaints.integrations.accounts import integration_account_create, may_file
from organizations.models import AuditEvent
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_an_integration_account_cannot_open_the_admin(agency_a):
    token = integration_account_create(actor=None, name="甲系统", agency=agency_a)
    user = token.user
    assert not user.is_staff and not user.has_usable_password()
    assert login(user).get("/admin/").status_code == 302  # sent to the login page


def test_an_agency_account_may_file_and_read_its_agency(agency_a):
    user = integration_account_create(actor=None, name="甲系统", agency=agency_a).user
    assert may_file(user)
    assert user.has_perm("complaints.view_complaint")
    assert user.staff_profile.agency == agency_a


def test_a_city_wide_account_files_but_reads_nothing(db):
    user = integration_account_create(actor=None, name="12345热线").user
    assert may_file(user)
    assert not user.has_perm("complaints.view_complaint")


def test_creating_an_account_is_audited(agency_a):
    user = integration_account_create(actor=None, name="甲系统", agency=agency_a).user
    event = AuditEvent.objects.get(verb="integration_account.create")
    assert event.subject_type == "complaints.integrationaccount"
    assert event.subject_id == str(user.integration_account.pk)
    assert event.data["user"] == user.pk
    assert event.data["permissions"] == ["add_complaint", "view_complaint"]


def test_staff_roles_do_not_include_filing_through_the_api(clerk_a, office_user):
    assert not may_file(clerk_a) and not may_file(office_user)
