"""The rollup: indicators discovered from every app, figures per agency × day, refreshed for the
touched days only, and a quarter read without touching the base tables."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from supervision import figures, periods
from supervision.models import FigureDay, FigureMonth, FigureNow, RollupRun
from supervision.registry import _indicator, discover, registry
from supervision.rollup import day_ranges, rollup_rebuild, rollup_refresh
from tests.supervision.conftest import age, local_day, submit

pytestmark = pytest.mark.django_db


def _day_figure(code, agency, day, part=""):
    return FigureDay.objects.filter(indicator=code, agency=agency, day=day, part=part).first()


def test_indicators_of_every_installed_app_are_discovered():
    found = discover()
    assert {
        "complaints.received",
        "complaints.sign_on_time",
        "complaints.handle_on_time",
        "complaints.satisfaction",
        "complaints.upheld",
        "complaints.supervised",
        "complaints.open_supervision",
        "timelimits.yellow_cards",
        "timelimits.red_cards",
        "timelimits.red_now",
    } <= set(found.indicators)
    assert {s.key for s in found.sources} >= {
        "complaints:complaints.complaintevent",
        "timelimits:timelimits.deadlineevent",
    }


def test_a_declaration_without_a_way_to_compute_it_is_refused():
    spec = {
        "code": "x.y",
        "name": "x",
        "unit": "件",
        "measure": "count",
        "higher_is_better": True,
        "min_sample": 0,
        "cases": lambda **kw: None,
    }
    with pytest.raises(ImproperlyConfigured, match="exactly one of daily or now"):
        _indicator("x", spec)
    with pytest.raises(ImproperlyConfigured, match="measure"):
        _indicator("x", {**spec, "measure": "ratio", "daily": lambda **kw: []})


def test_consecutive_days_are_one_range():
    d = dt.date(2026, 11, 1)
    days = [d, d + dt.timedelta(days=1), d + dt.timedelta(days=3)]
    assert day_ranges(days) == [
        (d, d + dt.timedelta(days=2)),
        (d + dt.timedelta(days=3), d + dt.timedelta(days=4)),
    ]


def test_received_and_concluded_are_counted_per_accused_agency_and_day(
    agency_a, agency_b, attitude, centre, walk
):
    first = submit(agency=agency_a, category=attitude).complaint
    submit(agency=agency_a, category=attitude)
    submit(agency=agency_b, category=attitude)
    walk(first, Complaint.State.CONCLUDED)
    rollup_refresh()
    today = timezone.localdate()
    assert _day_figure("complaints.received", agency_a, today).numerator == 2
    assert _day_figure("complaints.received", agency_b, today).numerator == 1
    assert _day_figure("complaints.concluded", agency_a, today).numerator == 1
    assert _day_figure("complaints.concluded", agency_b, today) is None


def test_handle_on_time_counts_a_past_due_open_case_as_late(agency_a, attitude, centre, walk):
    late = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)
    late = age(late, 40)  # the handling clock is far past due: red
    in_time = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CONCLUDED)
    rollup_refresh()
    late_day, today = local_day(late.submitted_at), local_day(in_time.submitted_at)
    late_figure = _day_figure("complaints.handle_on_time", agency_a, late_day)
    assert (late_figure.numerator, late_figure.denominator) == (0, 1)
    on_time = _day_figure("complaints.handle_on_time", agency_a, today)
    assert (on_time.numerator, on_time.denominator) == (1, 1)
    # A red card of the handling clock, against the agency, by kind.
    cards = FigureDay.objects.filter(indicator="timelimits.red_cards", agency=agency_a)
    assert {c.part for c in cards} >= {"complaint.handle"}
    red_now = FigureNow.objects.get(
        indicator="timelimits.red_now", agency=agency_a, part="complaint.handle"
    )
    assert red_now.numerator == 1


def test_an_open_case_not_yet_due_is_not_counted(agency_a, attitude, centre, walk):
    walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)
    rollup_refresh()
    figure = _day_figure("complaints.handle_on_time", agency_a, timezone.localdate())
    assert figure is None or figure.denominator == 0


def test_refresh_recomputes_only_the_days_touched_since_the_last_run(
    agency_a, attitude, centre, walk
):
    old = age(submit(agency=agency_a, category=attitude).complaint, 10)
    fresh = submit(agency=agency_a, category=attitude).complaint
    rollup_refresh()
    rollup_refresh()  # reads the previous window once more (late commits)
    old_day = local_day(old.submitted_at)
    # Tamper with the old day's row: only a recomputation of that day would repair it.
    FigureDay.objects.filter(indicator="complaints.received", day=old_day).update(numerator=99)
    walk(fresh, Complaint.State.REGISTERED)  # touches today only
    run = rollup_refresh()
    assert run.days == 1
    assert _day_figure("complaints.received", agency_a, old_day).numerator == 99
    assert _day_figure("complaints.received", agency_a, timezone.localdate()).numerator == 1
    rollup_refresh()
    assert rollup_refresh().days == 0, "nothing new: nothing recomputed"


def test_rebuild_repairs_every_day_and_agrees_with_the_incremental_figures(
    agency_a, attitude, centre
):
    old = age(submit(agency=agency_a, category=attitude).complaint, 10)
    submit(agency=agency_a, category=attitude)
    rollup_refresh()
    before = set(FigureDay.objects.values_list("indicator", "day", "agency", "numerator"))
    FigureDay.objects.filter(day=local_day(old.submitted_at)).update(numerator=99)
    assert rollup_rebuild().full
    after = set(FigureDay.objects.values_list("indicator", "day", "agency", "numerator"))
    assert after == before


def test_month_rows_are_the_sum_of_their_days(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    submit(agency=agency_a, category=attitude)
    rollup_refresh()
    month = timezone.localdate().replace(day=1)
    row = FigureMonth.objects.get(indicator="complaints.received", agency=agency_a, month=month)
    assert row.numerator == 2


def test_supervision_is_counted_for_the_handling_agency_and_open_ones_now(
    agency_a, attitude, centre, walk, office_user
):
    case = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)
    services.complaint_supervise(complaint=case, actor=office_user, instruction="请加快办理。")
    rollup_refresh()
    today = timezone.localdate()
    assert _day_figure("complaints.supervised", agency_a, today).numerator == 1
    now = FigureNow.objects.get(indicator="complaints.open_supervision", agency=agency_a)
    assert now.numerator == 1


def test_reading_a_quarter_never_touches_the_base_tables(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    rollup_refresh()
    quarter = periods.current(periods.QUARTER)
    with CaptureQueriesContext(connection) as queries:
        values = figures.period_values(
            codes=["complaints.received", "complaints.handle_on_time"], period=quarter
        )
        figures.now_values(codes=["timelimits.red_now"])
    assert values[(agency_a.pk, "complaints.received")].value == 1
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "complaints_complaint" not in sql
    assert "timelimits_deadline" not in sql


def test_a_rate_below_its_minimum_sample_has_no_value():
    value = figures.Value(numerator=1, denominator=2, is_rate=True, min_sample=5)
    assert value.value is None and not value.sufficient
    empty = figures.Value(numerator=0, denominator=0, is_rate=True, min_sample=0)
    assert empty.value is None, "no data is 样本不足, never a division by zero"
    enough = figures.Value(numerator=4, denominator=5, is_rate=True, min_sample=5)
    assert enough.value == 80.0


def test_each_refresh_is_recorded():
    rollup_refresh()
    assert RollupRun.objects.count() == 1


def test_recomputing_a_range_repairs_it_without_new_events(agency_a, attitude, centre):
    import io

    from django.core.management import call_command

    old = age(submit(agency=agency_a, category=attitude).complaint, 10)
    rollup_refresh()
    day = local_day(old.submitted_at)
    FigureDay.objects.filter(indicator="complaints.received", day=day).update(numerator=99)
    out = io.StringIO()
    call_command(
        "supervision_rollup", "--from", day.isoformat(), "--to", day.isoformat(), stdout=out
    )
    assert _day_figure("complaints.received", agency_a, day).numerator == 1
    assert "recomputed" in out.getvalue()


def test_a_touched_day_is_recomputed_for_every_agency_not_only_the_one_its_changes_name(
    agency_a, agency_b, attitude, centre, office_user, clerk_b
):
    """Why a refresh recomputes whole days: a transferred case's new events and clock events
    name the agency handling it, but its figures are the accused agency's (受理, 办结 …
    count per accused agency). Recomputing only the (agency, day) pairs the changes name
    would leave the accused agency's figure stale."""
    from django.db.models import Max

    from tests.complaints.conftest import to_state

    case = submit(agency=agency_a, category=attitude).complaint
    case = to_state(
        case, Complaint.State.HANDLING, office=office_user, clerk=clerk_b, agency=agency_b
    )
    rollup_refresh()
    sources = registry().sources
    seen = {s.key: s.model.objects.aggregate(m=Max("id"))["m"] or 0 for s in sources}
    to_state(case, Complaint.State.CONCLUDED, office=office_user, clerk=clerk_b, agency=agency_b)
    rollup_refresh()
    named = {
        agency_id
        for s in sources
        for agency_id, _day in s.touched(s.model.objects.filter(id__gt=seen[s.key]))
    }
    assert named == {agency_b.pk}, "the conclusion's changes name the handling agency only"
    figure = _day_figure("complaints.concluded", agency_a, timezone.localdate())
    assert figure.numerator == 1, "the accused agency's day is recounted all the same"
