"""``write_new_rows``: rows that refer to each other, written in one statement or not at all."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from efficiency_portal.rowgraph import Guard, NewRow, Ref, Sql, Template, write_new_rows
from organizations.models import Agency, AgencyCategory, AuditEvent

pytestmark = pytest.mark.django_db


def _rows():
    category = AgencyCategory.objects.get(code="government")
    parent = Agency(code="RG-1", name="甲局", category=category)
    child = Agency(
        code=Template("RG-1-<pk>", {"<pk>": Ref(parent)}), name="甲局一科", category=category
    )
    child.parent = parent
    return parent, child


def test_rows_that_refer_to_each_other_are_written_in_one_statement():
    parent, child = _rows()
    with CaptureQueriesContext(connection) as ctx:
        written = write_new_rows([parent, child])
    assert len(ctx.captured_queries) == 1
    assert written.ok and written.has(parent) and written.has(child)
    stored = Agency.objects.get(pk=child.pk)
    assert stored.parent_id == parent.pk
    assert stored.code == child.code == f"RG-1-{parent.pk}"


def test_a_false_guard_writes_nothing_and_says_which():
    parent, child = _rows()
    written = write_new_rows(
        [parent, child],
        guards=[Guard("always", Sql("true")), Guard("never", Sql("1 = %s", [2]))],
    )
    assert written.guards == {"always": True, "never": False}
    assert not written.has(parent) and parent.pk is None
    assert not Agency.objects.filter(code__startswith="RG-1").exists()


def test_each_guard_is_evaluated_once_per_statement():
    from efficiency_portal.rowgraph import _Statement, _text

    parent, child = _rows()
    probe = "EXISTS (SELECT 1 FROM organizations_agencycategory guard_probe WHERE guard_probe.code = %s)"
    statement = _Statement(
        [NewRow(parent), NewRow(child)],
        [Guard("probe", Sql(probe, ["government"])), Guard("t", Sql("true"))],
    )
    sql = _text(statement.key).sql
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", statement.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count("guard_probe") == 1, plan


def test_a_row_whose_condition_fails_takes_its_dependants_with_it():
    parent, child = _rows()
    other = AuditEvent(verb="rowgraph.test", subject_type="test", subject_id="1", data={})
    written = write_new_rows([NewRow(parent, where=Sql("false")), child, other])
    assert written.ok
    assert not written.has(parent) and not written.has(child)
    assert written.has(other) and AuditEvent.objects.filter(pk=other.pk).exists()


def test_a_value_too_long_for_its_column_is_refused_not_truncated():
    from django.db import DataError, transaction

    category = AgencyCategory.objects.get(code="government")
    with pytest.raises(DataError), transaction.atomic():
        write_new_rows([Agency(code="X" * 500, name="过长", category=category)])
    assert not Agency.objects.filter(name="过长").exists()


def test_calls_of_one_shape_share_the_sql_text_and_keep_their_own_values():
    category = AgencyCategory.objects.get(code="government")
    written_sql = []
    for n in (1, 2):
        parent = Agency(code=f"RG-S{n}", name=f"局{n}", category=category)
        child = Agency(
            code=Template(f"S{n}-<pk>-" + "x" * n, {"<pk>": Ref(parent)}),
            name=f"科{n}",
            category=category,
        )
        child.parent = parent
        with CaptureQueriesContext(connection) as ctx:
            write_new_rows([parent, child])
        written_sql.append(ctx.captured_queries[0]["sql"])
        stored = Agency.objects.get(pk=child.pk)
        assert (stored.code, stored.name, stored.parent_id) == (
            f"S{n}-{parent.pk}-" + "x" * n,
            f"科{n}",
            parent.pk,
        )
    assert written_sql[0] == written_sql[1]
    other_shape = AuditEvent(verb="rowgraph.test", subject_type="t", subject_id=Sql("'7'"), data={})
    with CaptureQueriesContext(connection) as ctx:
        write_new_rows([other_shape])
    assert ctx.captured_queries[0]["sql"] != written_sql[0]
    assert AuditEvent.objects.get(pk=other_shape.pk).subject_id == "7"
