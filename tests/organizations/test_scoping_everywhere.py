"""The one scoping rule, proved for every admin and every API viewset the project registers.

Admins come from ``admin.site._registry`` and viewsets from walking the URL
resolver, so whatever a later app registers is covered without editing this file.

For each scoped admin a clerk of agency A who holds *every* permission on the
model must not reach agency B's row through the changelist, the search box, the
change / history / delete pages, the CSV export or any bulk action. For each
scoped viewset the list leaves B's row out and its detail is a 404. Exempt
admins (global configuration) are closed to a plain 承办人 (handler).

If your admin's rows cannot be built by ``baker.make(Model, **{agency_field: agency})``,
add a ``scope_test_factory(agency)`` classmethod to the admin (see
organizations/admin_base.py).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from model_bakery import baker

from organizations.admin_base import AgencyScopedAdmin, export_fields
from organizations.api.base import ScopedViewSetMixin
from organizations.models import Agency
from organizations.roles import Role
from tests.conftest import login, make_agency, make_staff

# --------------------------------------------------------------------------- discovery


def _registered_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def _admin_params(*, scoped: bool | None = None):
    params = []
    for model, model_admin in _registered_admins():
        is_scoped = isinstance(model_admin, AgencyScopedAdmin)
        if scoped is None or scoped == is_scoped:
            params.append(pytest.param(model_admin, id=model._meta.label_lower))
    return params


def _walk_urls(patterns, namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk_urls(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            actions = getattr(entry.callback, "actions", None)
            if cls is not None and actions and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield cls, actions, name


def _registered_viewsets() -> dict[type, dict[str, str]]:
    """{viewset class: {"list": url name, "retrieve": url name}} for every routed viewset."""
    found: dict[type, dict[str, str]] = {}
    for cls, actions, name in _walk_urls(get_resolver().url_patterns):
        routes = found.setdefault(cls, {})
        for action in actions.values():
            routes.setdefault(action, name)
    return found


def _viewset_params(*, scoped: bool | None = None):
    params = []
    for cls, routes in sorted(_registered_viewsets().items(), key=lambda i: i[0].__qualname__):
        is_scoped = issubclass(cls, ScopedViewSetMixin)
        if scoped is None or scoped == is_scoped:
            params.append(pytest.param(cls, routes, id=f"{cls.__module__}.{cls.__qualname__}"))
    return params


# --------------------------------------------------------------------------- building rows


def build_row(model, agency_field: str, agency: Agency, *, factory_owner=None):
    """A saved row of ``model`` that belongs to ``agency`` through ``agency_field``."""
    factory = getattr(factory_owner, "scope_test_factory", None)
    if factory is None:
        factory = _factory_from_admin(model)
    owner = type(factory_owner).__name__ if factory_owner is not None else model.__name__
    try:
        if factory is not None:
            row = factory(agency)
        elif agency_field == "self":
            row = agency
        else:
            row = baker.make(model, **{agency_field: agency})
    except Exception as exc:
        pytest.fail(
            f"{owner}: could not build a {model._meta.label} row in an agency "
            f"({type(exc).__name__}: {exc}). Add a `scope_test_factory(cls, agency)` classmethod "
            f"to the admin that returns a saved row belonging to `agency` "
            f"(see organizations/admin_base.py).",
            pytrace=False,
        )
    belongs = {"pk": agency.pk} if agency_field == "self" else {agency_field: agency}
    if not model._default_manager.filter(pk=row.pk).filter(**belongs).exists():
        pytest.fail(
            f"{owner}: the row built for {agency} is not reachable through "
            f"agency_field={agency_field!r}; fix agency_field or scope_test_factory.",
            pytrace=False,
        )
    return row


def _factory_from_admin(model):
    model_admin = admin.site._registry.get(model)
    return getattr(model_admin, "scope_test_factory", None)


def clerk_with_every_permission(agency: Agency, model):
    """A 承办人 of ``agency`` who also holds add/change/delete/view on ``model``."""
    user = make_staff(agency=agency, roles=[Role.HANDLER], name="全权限承办")
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    user.user_permissions.add(*Permission.objects.filter(content_type=content_type))
    return type(user).objects.get(pk=user.pk)  # drop the permission cache


@pytest.fixture
def two_agencies(db, category):
    return (
        make_agency(name="甲单位", category=category, code="SCOPE-A"),
        make_agency(name="乙单位", category=category, code="SCOPE-B"),
    )


def _snapshot(row) -> dict:
    fresh = type(row)._default_manager.filter(pk=row.pk).first()
    assert fresh is not None, f"{row._meta.label} #{row.pk} of agency B was deleted"
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


# --------------------------------------------------------------------------- admin helpers


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _shown_pks(html: str, model) -> set[str]:
    """Primary keys a changelist shows: its action checkboxes and its change links."""
    shown = set(re.findall(r'name="_selected_action" value="([^"]+)"', html))
    change = re.escape(_url(model, "change", "PK")).replace("PK", "([^/]+)")
    shown.update(re.findall(change, html))
    return shown


def _search_terms(model_admin, row) -> list[str]:
    terms = [str(row.pk)]
    for field in model_admin.search_fields:
        value = row
        for part in field.lstrip("^=@").split("__"):
            value = getattr(value, part, None)
            if value is None:
                break
        if value not in (None, "") and not hasattr(value, "all"):
            terms.append(str(value)[:40])
    return terms


def _says_it_does_not_exist(response, key) -> bool:
    """The admin's answer for a row outside the scope: a 404, or back to the index with
    Django's "… with ID “key” doesn't exist" message — exactly as for a deleted row."""
    if response.status_code == 404:
        return True
    if response.status_code == 302 and response.url == reverse("admin:index"):
        return any(f"“{key}”" in str(m) for m in get_messages(response.wsgi_request))
    return False


def _actions_for(model_admin, user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return model_admin.get_actions(request)


def _post_action(client, model, action: str, pks, **extra):
    data = {"action": action, "index": 0, "select_across": 0, "_selected_action": pks, **extra}
    return client.post(_url(model, "changelist"), data)


class ScopedAdminCase:
    def __init__(self, model_admin, two_agencies):
        self.admin = model_admin
        self.model = model_admin.model
        agency_a, agency_b = two_agencies
        field = model_admin.agency_field
        self.row_a = build_row(self.model, field, agency_a, factory_owner=model_admin)
        self.row_b = build_row(self.model, field, agency_b, factory_owner=model_admin)
        self.clerk = clerk_with_every_permission(agency_a, self.model)
        self.client = login(self.clerk)
        self.a, self.b = quote(self.row_a.pk), quote(self.row_b.pk)


@pytest.fixture
def case(request, two_agencies):
    return ScopedAdminCase(request.param, two_agencies)


# --------------------------------------------------------------------------- admin tests


@pytest.mark.parametrize("model_admin", _admin_params())
def test_every_admin_is_agency_scoped_or_says_why_it_is_exempt(model_admin):
    label = model_admin.model._meta.label
    if isinstance(model_admin, AgencyScopedAdmin):
        assert model_admin.agency_field, f"{label}: AgencyScopedAdmin without agency_field"
        if model_admin.agency_field != "self":
            model_admin.model._meta.get_field(model_admin.agency_field.split("__")[0])
        return
    reason = getattr(model_admin, "scope_exempt", "")
    assert isinstance(reason, str) and reason.strip(), (
        f"{type(model_admin).__name__} ({label}) is neither an AgencyScopedAdmin with "
        f"agency_field nor declares scope_exempt = '<reason>'"
    )


@pytest.mark.parametrize("model_admin", _admin_params(scoped=False))
def test_exempt_admin_is_closed_to_a_plain_handler(model_admin, agency_a):
    model = model_admin.model
    handler = make_staff(agency=agency_a, roles=[Role.HANDLER])
    opts = model._meta
    granted = [
        action
        for action in ("add", "change", "delete")
        if handler.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
    ]
    assert not granted, f"承办人 may {granted} global configuration {opts.label}"
    if handler.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return  # read-only global configuration a role deliberately grants
    assert login(handler).get(_url(model, "changelist")).status_code == 403


@pytest.mark.parametrize("case", _admin_params(scoped=True), indirect=True)
def test_changelist_shows_own_agency_row_and_not_the_other(case):
    response = case.client.get(_url(case.model, "changelist"))
    assert response.status_code == 200
    shown = _shown_pks(response.content.decode(), case.model)
    assert str(case.a) in shown, "positive control: the clerk's own row must be listed"
    assert str(case.b) not in shown


@pytest.mark.parametrize("case", _admin_params(scoped=True), indirect=True)
def test_search_does_not_reveal_the_other_agency(case):
    if not case.admin.search_fields:
        pytest.skip("no search box")
    for term in _search_terms(case.admin, case.row_b):
        response = case.client.get(_url(case.model, "changelist"), {"q": term})
        assert response.status_code == 200, term
        assert str(case.b) not in _shown_pks(response.content.decode(), case.model), term


@pytest.mark.parametrize("case", _admin_params(scoped=True), indirect=True)
def test_change_history_and_delete_pages_of_the_other_agency_say_it_does_not_exist(case):
    assert case.client.get(_url(case.model, "change", case.a)).status_code == 200
    request = RequestFactory().get("/")
    request.user = case.clerk
    for view in ("change", "history", "delete"):
        response = case.client.get(_url(case.model, view, case.b))
        hidden = _says_it_does_not_exist(response, case.b)
        refused_for_all = response.status_code == 403 and not (
            case.admin.has_delete_permission(request)
        )
        assert hidden or (view == "delete" and refused_for_all), (
            f"{view} page of agency B's row answered {response.status_code}"
        )
    before = _snapshot(case.row_b)
    case.client.post(_url(case.model, "delete", case.b), {"post": "yes"})
    case.client.post(_url(case.model, "change", case.b), {})
    assert _snapshot(case.row_b) == before


@pytest.mark.parametrize("case", _admin_params(scoped=True), indirect=True)
def test_csv_export_of_a_selection_leaves_out_the_other_agency(case):
    if "export_csv" not in _actions_for(case.admin, case.clerk):
        pytest.skip("no CSV export on this admin")
    response = _post_action(case.client, case.model, "export_csv", [case.a, case.b])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2, f"expected the header and agency A's row only, got {len(rows) - 1}"
    names = [f.name for f in export_fields(case.admin)]
    if case.model._meta.pk.name in names:
        assert rows[1][names.index(case.model._meta.pk.name)] == str(case.row_a.pk)


@pytest.mark.parametrize("case", _admin_params(scoped=True), indirect=True)
def test_bulk_actions_do_not_touch_the_other_agency(case):
    actions = _actions_for(case.admin, case.clerk)
    before = _snapshot(case.row_b)
    for name in actions:
        extra = {"post": "yes"} if name == "delete_selected" else {}
        response = _post_action(case.client, case.model, name, [case.b], **extra)
        assert response.status_code < 500, name
        assert _snapshot(case.row_b) == before, f"action {name} changed agency B's row"


def _scoped_admin_of(model):
    model_admin = admin.site._registry.get(model)
    return model_admin if isinstance(model_admin, AgencyScopedAdmin) else None


@pytest.mark.parametrize("case", _admin_params(scoped=True), indirect=True)
def test_form_choices_offer_nothing_from_the_other_agency(case, two_agencies):
    """Every select of the add and change forms that points at agency-owned rows is scoped."""
    _agency_a, agency_b = two_agencies
    request = RequestFactory().get("/")
    request.user = case.clerk
    for obj in (None, case.row_a):
        form = case.admin.get_form(request, obj, change=obj is not None)(instance=obj)
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            related_admin = _scoped_admin_of(queryset.model) if queryset is not None else None
            if related_admin is None:
                continue
            build_row(queryset.model, related_admin.agency_field, agency_b)  # something to leak
            visible = set(related_admin.get_queryset(request).values_list("pk", flat=True))
            offered = set(queryset.values_list("pk", flat=True))
            assert offered <= visible, (
                f"{name}: offers {queryset.model._meta.label} rows of another agency"
            )


def _autocomplete_params():
    params = []
    for model, model_admin in _registered_admins():
        for field_name in model_admin.autocomplete_fields:
            related = model._meta.get_field(field_name).related_model
            if _scoped_admin_of(related) is not None:
                label = f"{model._meta.label_lower}.{field_name}"
                params.append(pytest.param(model, field_name, related, id=label))
    return params


@pytest.mark.parametrize(("model", "field_name", "related"), _autocomplete_params())
def test_autocomplete_offers_nothing_from_the_other_agency(
    model, field_name, related, two_agencies
):
    agency_a, agency_b = two_agencies
    related_admin = _scoped_admin_of(related)
    row_a = build_row(related, related_admin.agency_field, agency_a)
    row_b = build_row(related, related_admin.agency_field, agency_b)
    clerk = clerk_with_every_permission(agency_a, related)
    clerk.user_permissions.add(
        *Permission.objects.filter(content_type=ContentType.objects.get_for_model(model))
    )
    params = {
        "term": "",
        "app_label": model._meta.app_label,
        "model_name": model._meta.model_name,
        "field_name": field_name,
    }
    response = login(clerk).get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    offered = {item["id"] for item in response.json()["results"]}
    assert str(row_a.pk) in offered, "positive control: the clerk's own row must be offered"
    assert str(row_b.pk) not in offered


# --------------------------------------------------------------------------- API tests


@pytest.mark.parametrize(("viewset", "routes"), _viewset_params())
def test_every_viewset_is_scoped_or_says_why_it_is_exempt(viewset, routes):
    if issubclass(viewset, ScopedViewSetMixin):
        assert viewset.queryset is not None, (
            f"{viewset.__qualname__}: set `queryset` so the scoping test knows its model"
        )
        return
    reason = getattr(viewset, "scope_exempt", "")
    assert isinstance(reason, str) and reason.strip(), (
        f"{viewset.__qualname__} neither uses ScopedViewSetMixin nor declares scope_exempt"
    )


def _ids(payload, lookup: str) -> set[str]:
    items = payload.get("results", payload) if isinstance(payload, dict) else payload
    key = "id" if lookup == "pk" else lookup
    return {str(item.get(key)) for item in items if isinstance(item, dict)}


@pytest.mark.parametrize(("viewset", "routes"), _viewset_params(scoped=True))
def test_api_list_and_detail_hide_the_other_agency(viewset, routes, two_agencies):
    model = viewset.queryset.model
    agency_a, agency_b = two_agencies
    row_a = build_row(model, viewset.agency_field, agency_a, factory_owner=viewset)
    row_b = build_row(model, viewset.agency_field, agency_b, factory_owner=viewset)
    client = login(clerk_with_every_permission(agency_a, model))
    lookup = viewset.lookup_field
    kwarg = viewset.lookup_url_kwarg or lookup
    value_a, value_b = getattr(row_a, lookup), getattr(row_b, lookup)

    if "list" in routes:
        response = client.get(reverse(routes["list"]))
        assert response.status_code == 200
        shown = _ids(response.json(), lookup)
        assert str(value_a) in shown, "positive control: the clerk's own row must be listed"
        assert str(value_b) not in shown
    if "retrieve" in routes:
        assert client.get(reverse(routes["retrieve"], kwargs={kwarg: value_a})).status_code == 200
        assert client.get(reverse(routes["retrieve"], kwargs={kwarg: value_b})).status_code == 404
