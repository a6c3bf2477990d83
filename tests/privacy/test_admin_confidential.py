"""No admin filters, searches, sorts or exports by a confidential field (efficiency_portal.privacy).

For every registered admin of a model with a declared confidential field, as someone who
may not see the field — a 承办人 (handler) of the row's agency with the model's
view/add/change/delete permissions on a scoped admin, a superuser on an admin exempt
from scoping (nobody filters by a confidential field, whoever they are):

* URL filters with the field and its lookups (``?complainant_phone__startswith=1360``)
  answer the true value exactly as a near miss;
* the search box answers the value (and its first half) as a near miss;
* no sortable column (``?o=…``) orders the rows by it: swapping two rows' values leaves
  every order as it was;
* the CSV export is the same file after the swap.

Admins come from ``admin.site._registry`` and fields from the apps' ``confidential.py``:
a new app's admin or declaration is covered without editing this file.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from organizations.admin_base import AgencyScopedAdmin
from tests.privacy.support import (
    build_rows,
    client_for,
    declared_fields,
    handler_of,
    near_miss,
    normalised,
    request_as,
    superuser,
)

# Each lookup kind once: equality, prefix, substring, pattern, range.
LOOKUPS = ("", "__startswith", "__icontains", "__regex", "__gte")


def _params(kind: str):
    params = []
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower
    ):
        for declared, field in declared_fields():
            if model._meta.concrete_model is declared:
                label = f"{model._meta.label_lower}.{field}-{kind}"
                params.append(pytest.param((model_admin, field), id=label))
    return params


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _listed(response, model) -> list[str]:
    """The primary keys a changelist shows, in its order."""
    page = response.content.decode()
    keys = re.findall(r'name="_selected_action" value="([^"]+)"', page)
    if not keys:
        change = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=["PK"]
        )
        keys = re.findall(re.escape(change).replace("PK", "([^/]+)"), page)
    return list(dict.fromkeys(keys))


class Case:
    """Two rows of the admin's model holding a value each of ``field``, and who asks."""

    def __init__(self, model_admin, field: str, agency):
        self.admin, self.model = model_admin, model_admin.model
        self.rows = build_rows(self.model, field, agency)
        scoped = isinstance(model_admin, AgencyScopedAdmin)
        self.user = handler_of(agency, self.model) if scoped else superuser()
        self.client = client_for(self.user)
        self.url = _changelist(self.model)
        listed = _listed(self.client.get(self.url), self.model)
        if not self.rows.keys <= set(listed):
            pytest.skip(f"{type(model_admin).__name__} does not list the sample rows to its user")

    def get(self, params):
        return self.client.get(self.url, params)


@pytest.fixture
def case(request, agency):
    model_admin, field = request.param
    return Case(model_admin, field, agency)


@pytest.mark.parametrize("case", _params("filter"), indirect=True)
def test_filtering_by_a_confidential_field_answers_the_true_value_as_a_near_miss(case):
    field, true = case.rows.field, case.rows.true
    miss = near_miss(true)
    telling = [
        f"?{field}{lookup}="
        for lookup in LOOKUPS
        if normalised(case.get({f"{field}{lookup}": true}), true, miss)
        != normalised(case.get({f"{field}{lookup}": miss}), true, miss)
    ]
    assert not telling, f"these filters tell the true value from a near miss: {telling}"


@pytest.mark.parametrize("case", _params("search"), indirect=True)
def test_searching_a_confidential_value_answers_as_a_near_miss(case):
    true = case.rows.true
    telling = []
    for term in (true, true[: max(3, len(true) // 2)]):
        asked = (term, near_miss(term))
        if normalised(case.get({"q": term}), *asked) != normalised(
            case.get({"q": near_miss(term)}), *asked
        ):
            telling.append(term)
    assert not telling, f"searching these tells them from a near miss: {telling}"


@pytest.mark.parametrize("case", _params("ordering"), indirect=True)
def test_no_column_sorts_by_a_confidential_field(case):
    columns = range(len(case.admin.get_list_display(request_as(case.user))))
    before = {o: _listed(case.get({"o": o}), case.model) for o in map(str, columns)}
    case.rows.swap()
    moved = [o for o in before if _listed(case.get({"o": o}), case.model) != before[o]]
    assert not moved, f"swapping the rows' {case.rows.field} reorders the list for ?o={moved}"


@pytest.mark.parametrize("case", _params("export"), indirect=True)
def test_csv_export_does_not_carry_a_confidential_field(case):
    if "export_csv" not in case.admin.get_actions(request_as(case.user)):
        pytest.skip("no CSV export on this admin")

    def export() -> str:
        selected = [row.pk for row in case.rows.rows]
        response = case.client.post(
            case.url, {"action": "export_csv", "index": 0, "_selected_action": selected}
        )
        assert response.status_code == 200
        return response.content.decode("utf-8-sig")

    before = export()
    assert len(list(csv.reader(io.StringIO(before)))) == 3, "positive control: both rows"
    case.rows.swap()
    assert export() == before, f"the export changes when the rows swap their {case.rows.field}"


def test_every_declared_field_is_asked_on_some_admin():
    """Positive control: each declaration of a model with a registered admin reaches it.
    A model with no admin of its own (an inspection's findings, an appeal) has nothing
    here to filter, search, sort or export; the page test asks its fields."""
    asked = set()
    for param in _params("filter"):
        model_admin, field = param.values[0]
        asked.add((model_admin.model._meta.concrete_model, field))
    registered = {model._meta.concrete_model for model in admin.site._registry}
    assert {(m, f) for m, f in declared_fields() if m in registered} <= asked
    assert asked, "no declaration reached an admin"
