"""Every admin that can change rows changes them through a service that writes an audit row.

Admins come from ``admin.site._registry``, so a new app's admin is covered without
editing this file. As a superuser (who may do whatever an admin page allows):

1. an admin that can add or change rows overrides ``save_model``; one whose inlines
   can change rows also ``save_related`` (or ``save_formset``); one that can delete
   overrides ``delete_model`` and ``delete_queryset`` — Django's defaults call
   ``save()`` / ``delete()`` with no audit row;
2. the change form, submitted as a browser would with one field changed, saves (302)
   and writes an audit row for the object whose before → after names that field;
3. the delete page and the bulk "delete selected" write an audit row for the object;
4. every other bulk action, and the list's quick edit (``list_editable``), write no
   row without an audit row.

If a row of your model cannot be built with ``baker`` give the admin a
``scope_test_factory(cls, agency)`` classmethod (see organizations/admin_base.py), or,
for a row that belongs to a person rather than an agency, ``admin_test_factory(cls,
user)`` returning a saved row that ``user``'s admin page shows.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker

from organizations.admin_base import AgencyScopedAdmin
from organizations.models import AuditEvent
from tests.admin_walk import mutations, read_form, submission, writes
from tests.conftest import make_agency
from tests.organizations.test_scoping_everywhere import build_row

AUDIT = AuditEvent._meta.db_table


def _admins():
    return [
        pytest.param(model_admin, id=model._meta.label_lower)
        for model, model_admin in sorted(
            admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower
        )
    ]


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _overrides(model_admin, name: str) -> bool:
    return getattr(type(model_admin), name) is not getattr(admin.ModelAdmin, name)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(admin_user):
    return admin_user


def _row(model_admin, superuser, category):
    """A row the admin shows: an existing one (configuration is seeded), else a new one."""
    model = model_admin.model
    factory = getattr(model_admin, "admin_test_factory", None)
    if factory is not None:
        return factory(superuser)
    existing = model_admin.get_queryset(_request(superuser)).order_by("pk")
    if model is type(superuser):
        existing = existing.exclude(pk=superuser.pk)  # do not edit the account making the edits
    row = existing.first()
    if row is not None:
        return row
    if isinstance(model_admin, AgencyScopedAdmin):
        agency = make_agency(name="写入测试单位", category=category)
        return build_row(model, model_admin.agency_field, agency, factory_owner=model_admin)
    try:
        return baker.make(model)
    except Exception as exc:
        pytest.fail(f"{model._meta.label}: could not build a row ({exc}); add scope_test_factory")


def _audited(model, pk, since: int):
    return AuditEvent.objects.filter(
        pk__gt=since, subject_type=model._meta.label_lower, subject_id=str(pk)
    )


def _last_audit() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("model_admin", _admins())
def test_an_admin_that_can_change_rows_overrides_every_default_write(model_admin, superuser):
    request = _request(superuser)
    label = model_admin.model._meta.label
    writes_rows = model_admin.has_add_permission(request) or model_admin.has_change_permission(
        request
    )
    if writes_rows:
        assert _overrides(model_admin, "save_model"), f"{label}: save_model saves with no audit"
        editable_inlines = [
            inline
            for inline in model_admin.get_inline_instances(request)
            if inline.has_add_permission(request, None)
            or inline.has_change_permission(request)
            or inline.has_delete_permission(request)
        ]
        if editable_inlines:
            assert _overrides(model_admin, "save_related") or _overrides(
                model_admin, "save_formset"
            ), f"{label}: its inlines are saved by Django's default save_formset"
    else:
        assert not model_admin.list_editable, f"{label}: list_editable on a read-only admin"
    if model_admin.has_delete_permission(request):
        for name in ("delete_model", "delete_queryset"):
            assert _overrides(model_admin, name), f"{label}: {name} deletes with no audit"


@pytest.mark.parametrize("model_admin", _admins())
def test_saving_the_change_form_with_a_field_changed_writes_an_audit_row_naming_it(
    model_admin, superuser, admin_client, category
):
    model = model_admin.model
    if not model_admin.has_change_permission(_request(superuser)):
        pytest.skip("read-only in the admin")
    row = _row(model_admin, superuser, category)
    if not model_admin.has_change_permission(_request(superuser), row):
        pytest.skip("read-only in the admin")
    url = _url(model, "change", quote(row.pk))
    page = admin_client.get(url)
    assert page.status_code == 200
    fields = read_form(page.content.decode(), f"{model._meta.model_name}_form")
    tried = []
    for name, data in mutations(fields):
        since = _last_audit()
        response = admin_client.post(url, {**data, "_save": "1"})
        if response.status_code != 302:
            tried.append(name)  # refused with a form error (the page came back): try another
            continue
        audited = [e.data.get("changes", {}) for e in _audited(model, row.pk, since)]
        assert any(name in changed for changed in audited), (
            f"{model._meta.label}: changing {name!r} in the admin wrote no audit row naming it "
            f"(audit rows: {audited})"
        )
        return
    pytest.fail(f"{model._meta.label}: no field could be changed and saved (tried {tried})")


@pytest.mark.parametrize("model_admin", _admins())
def test_saving_the_change_form_unchanged_writes_nothing_without_an_audit_row(
    model_admin, superuser, admin_client, category
):
    model = model_admin.model
    if not model_admin.has_change_permission(_request(superuser)):
        pytest.skip("read-only in the admin")
    row = _row(model_admin, superuser, category)
    if not model_admin.has_change_permission(_request(superuser), row):
        pytest.skip("read-only in the admin")
    url = _url(model, "change", quote(row.pk))
    fields = read_form(admin_client.get(url).content.decode(), f"{model._meta.model_name}_form")
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.post(url, {**submission(fields), "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    written = writes(captured)
    assert not written or ("INSERT", AUDIT) in written, f"{model._meta.label}: {written}"


@pytest.mark.parametrize("model_admin", _admins())
def test_deleting_through_the_admin_writes_an_audit_row_for_the_row(
    model_admin, superuser, admin_client, category
):
    model = model_admin.model
    request = _request(superuser)
    if not model_admin.has_delete_permission(request):
        pytest.skip("nothing is deleted in this admin")
    for how in ("page", "bulk"):
        row = _fresh_row(model_admin, superuser, category)
        if not model_admin.has_delete_permission(request, row):
            pytest.skip("this row may not be deleted")
        since = _last_audit()
        if how == "page":
            response = admin_client.post(_url(model, "delete", quote(row.pk)), {"post": "yes"})
        else:
            response = admin_client.post(
                _url(model, "changelist"),
                {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
            )
        assert response.status_code == 302, how
        assert not model._default_manager.filter(pk=row.pk).exists(), how
        assert _audited(model, row.pk, since).exists(), f"{model._meta.label}: {how} delete"


def _fresh_row(model_admin, superuser, category):
    """A new row to delete (seeded configuration rows stay)."""
    model = model_admin.model
    if isinstance(model_admin, AgencyScopedAdmin):
        agency = make_agency(name="删除测试单位", category=category)
        return build_row(model, model_admin.agency_field, agency, factory_owner=model_admin)
    return baker.make(model)


@pytest.mark.parametrize("model_admin", _admins())
def test_bulk_actions_and_quick_edits_write_nothing_without_an_audit_row(
    model_admin, superuser, admin_client, category
):
    model = model_admin.model
    actions = [
        name for name in model_admin.get_actions(_request(superuser)) if name != "delete_selected"
    ]
    if not actions and not model_admin.list_editable:
        pytest.skip("no bulk action and no quick edit")
    row = _row(model_admin, superuser, category)
    for name in actions:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.post(
                _url(model, "changelist"),
                {"action": name, "index": 0, "_selected_action": [row.pk]},
            )
        assert response.status_code < 500, name
        written = writes(captured)
        assert not written or ("INSERT", AUDIT) in written, f"{model._meta.label} {name}: {written}"
    if not model_admin.list_editable:
        return
    page = admin_client.get(_url(model, "changelist"))
    fields = read_form(page.content.decode(), "changelist-form")
    for field_name, data in mutations(fields, prefix="form-0-"):
        since = _last_audit()
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.post(_url(model, "changelist"), {**data, "_save": "1"})
        if response.status_code != 302:
            continue  # refused with a message: try another cell
        audited = [e.data.get("changes", {}) for e in AuditEvent.objects.filter(pk__gt=since)]
        assert any(field_name in changed for changed in audited), (
            f"{model._meta.label}: the list's quick edit of {field_name!r} wrote no audit row"
        )
        assert ("INSERT", AUDIT) in writes(captured)
        return
    pytest.fail(f"{model._meta.label}: list_editable, but no cell could be changed and saved")
