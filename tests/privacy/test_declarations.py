"""The declarations of confidential fields and the checks that keep admins honest
(efficiency_portal.privacy)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model

from complaints.models import AccessLog, Complaint
from efficiency_portal import privacy
from organizations.admin_base import export_fields
from organizations.models import StaffProfile
from timelimits.models import Notification, OutboxEntry


def test_each_app_declares_its_personal_data_once():
    declared = privacy.declarations()
    assert declared[Complaint] >= {
        "complainant_name",
        "complainant_phone",
        "complainant_id_number",
        "complainant_email",
        "query_code_hash",
        "submission_key_hash",
    }
    assert declared[StaffProfile] == {"phone"}
    assert declared[get_user_model()] == {"password"}
    assert privacy.confidential_fields(OutboxEntry) == {"to_phone", "to_email"}  # a proxy


def test_a_lookup_touches_a_confidential_field_across_relations():
    assert privacy.touches_confidential(Complaint, "complainant_phone__startswith")
    assert privacy.touches_confidential(AccessLog, "complaint__complainant_name__regex")
    assert privacy.touches_confidential(Notification, "recipient__password")
    assert privacy.touches_confidential(get_user_model(), "staff_profile__phone__contains")
    assert not privacy.touches_confidential(AccessLog, "complaint__title__contains")
    assert not privacy.touches_confidential(Complaint, "agency_accused__phone")  # a public number


def test_no_registered_admin_filters_searches_or_sorts_by_a_confidential_field():
    """What a later app's admin is held to as well: the system check privacy.E002 is empty."""
    assert privacy.admins_keep_confidential_fields_out() == []


def test_an_admin_that_searches_or_sorts_by_a_confidential_field_is_refused_by_the_check():
    class LeakyAdmin(admin.ModelAdmin):
        search_fields = ("title", "^complainant_phone")
        list_filter = ("state", "complainant_email")
        list_display = ("tracking_no", "complainant_name", "caller")
        ordering = ("-query_code_hash",)

        @admin.display(ordering="complainant_id_number")
        def caller(self, obj):
            return "—"

    problems = privacy.admin_problems(LeakyAdmin(Complaint, admin.AdminSite()))
    flagged = {p.msg.split(" uses ")[1].split(",")[0] for p in problems}
    assert flagged == {
        "'complainant_phone'",
        "'complainant_email'",
        "'complainant_name'",
        "'complainant_id_number'",
        "'query_code_hash'",
    }
    assert {p.id for p in problems} == {"privacy.E002"}


def test_a_declaration_of_an_unknown_field_is_a_system_check_error(monkeypatch):
    entries = [
        privacy._Declaration("complaints", "complaints.Complaint", ("complainant_phone",)),
        privacy._Declaration("complaints", "complaints.Complaint", ("no_such_field",)),
        privacy._Declaration("timelimits", "complaints.Complaint", ("complainant_name",)),
    ]
    monkeypatch.setattr(privacy, "_declared_entries", lambda: entries)
    problems = privacy.confidential_declarations()
    assert [p.id for p in problems] == ["privacy.E001", "privacy.E001"]
    assert "no_such_field" in problems[0].msg and "twice" in problems[1].msg


def test_the_csv_export_leaves_the_declared_fields_out():
    for model, names in privacy.declarations().items():
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            assert not names & {f.name for f in export_fields(model_admin)}
