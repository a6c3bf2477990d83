"""Roles carry the complaint permissions the services check; misconfiguration is a system check."""

from __future__ import annotations

from complaints import checks


def test_roles_get_the_permissions_the_services_check(clerk_a, office_user, leader, unit_admin_a):
    assert clerk_a.has_perm("complaints.handle_complaint")
    assert not clerk_a.has_perm("complaints.office_complaint")
    assert not clerk_a.has_perm("complaints.reveal_complainant")
    assert office_user.has_perm("complaints.office_complaint")
    assert office_user.has_perm("complaints.reveal_complainant")
    assert leader.has_perm("complaints.view_complaint")
    assert not leader.has_perm("complaints.reveal_complainant")
    assert not unit_admin_a.has_perm("complaints.handle_complaint")


def test_no_allowed_attachment_type_is_an_error(settings):
    settings.COMPLAINTS_ALLOWED_TYPES = []
    assert [e.id for e in checks.attachment_settings()] == ["complaints.E001"]


def test_attachments_under_static_root_are_an_error(settings):
    settings.COMPLAINTS_FILES_ROOT = settings.STATIC_ROOT / "private"
    assert [e.id for e in checks.attachment_settings()] == ["complaints.E002"]


def test_the_default_configuration_passes():
    assert checks.attachment_settings() == []
