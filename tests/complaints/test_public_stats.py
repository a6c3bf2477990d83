"""统计: the monthly rollup counts right, and public rates hide small samples (a policy row)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from complaints import stats
from complaints.models import AgencyMonthStats, Complaint, PublicPolicy
from tests.complaints.conftest import submit
from tests.complaints.public_helpers import citizen

URL = reverse("complaints:statistics")


def _refresh():
    month = stats.month_start(timezone.localdate())
    stats.stats_refresh(first_month=month, last_month=month)


def test_rollup_counts_received_concluded_on_time_and_satisfaction(
    agency_a, attitude, centre, walk, clerk_a
):
    from complaints import services

    closed = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CLOSED)
    replied = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.REPLIED)
    services.complaint_rate(complaint=replied, rating=Complaint.Rating.DISSATISFIED)
    submit(agency=agency_a, category=attitude)  # just received
    _refresh()
    row = AgencyMonthStats.objects.get(agency=agency_a)
    assert (row.received, row.concluded, row.on_time, row.late, row.overdue) == (3, 2, 2, 0, 0)
    # closed: callback 基本满意 counts as satisfied; replied: the citizen's 不满意.
    assert (row.rated, row.satisfied) == (2, 1)
    assert closed.callback_rating == Complaint.Rating.BASIC


def test_refresh_is_idempotent(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    _refresh()
    _refresh()
    assert AgencyMonthStats.objects.get(agency=agency_a).received == 1


def test_rates_below_the_minimum_are_hidden_and_unranked(
    agency_a, agency_b, attitude, centre, walk
):
    for _ in range(2):
        walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CLOSED)
    walk(submit(agency=agency_b, category=attitude).complaint, Complaint.State.CLOSED)
    PublicPolicy.objects.update(ranking_min_cases=2)
    _refresh()
    page = citizen().get(URL).content.decode()
    ranking = page.split('id="ranking-on-time"')[1].split("</ol>")[0]
    assert agency_a.name in ranking and "100.0%" in ranking
    assert agency_b.name not in ranking
    table = page.split('id="stats-by-agency"')[1]
    row_b = table.split(agency_b.name)[1].split("</tr>")[0]
    assert "样本不足" in row_b and "%" not in row_b


def test_minimum_is_configurable(agency_a, attitude, centre, walk):
    walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CLOSED)
    _refresh()
    PublicPolicy.objects.update(ranking_min_cases=1)
    ranked = stats.ranking(
        stats.stats_by_agency(
            first_month=stats.month_start(timezone.localdate()),
            last_month=stats.month_start(timezone.localdate()),
        ),
        by="satisfaction_rate",
    )
    assert [f.agency_id for f in ranked] == [agency_a.pk]
    PublicPolicy.objects.update(ranking_min_cases=5)
    ranked = stats.ranking(
        stats.stats_by_agency(
            first_month=stats.month_start(timezone.localdate()),
            last_month=stats.month_start(timezone.localdate()),
        ),
        by="satisfaction_rate",
    )
    assert ranked == []


def test_statistics_page_by_agency_and_month(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    _refresh()
    month = timezone.localdate().strftime("%Y-%m")
    page = citizen().get(URL, {"agency": agency_a.pk, "from": month, "to": month}).content.decode()
    by_month = page.split('id="stats-by-month"')[1].split("</table>")[0]
    assert month in by_month and ">1<" in by_month


def test_bad_month_parameters_fall_back_to_defaults(db):
    assert (
        citizen().get(URL, {"from": "2026-13", "to": "<script>", "agency": "x"}).status_code == 200
    )


def test_periodic_refresh_is_scheduled_and_fills_the_rollup(agency_a, attitude, centre):
    from complaints.tasks import refresh_public_stats
    from efficiency_portal.schedule import full_schedule

    entry = full_schedule()["complaints-public-stats"]
    assert entry["task"] == "complaints.tasks.refresh_public_stats"
    submit(agency=agency_a, category=attitude)
    assert refresh_public_stats() == 1
    assert AgencyMonthStats.objects.get(agency=agency_a).received == 1


def test_rebuild_command_refuses_a_bad_month(db):
    import pytest
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a month"):
        call_command("complaints_stats_refresh", "--from", "2026/01")


def test_cached_statistics_page_shows_new_figures_after_a_refresh(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    _refresh()
    month = timezone.localdate().strftime("%Y-%m")
    params = {"agency": agency_a.pk, "from": month, "to": month}

    def received() -> str:
        page = citizen().get(URL, params).content.decode()
        return page.split('id="stats-by-month"')[1].split("</tr>")[1]

    assert ">1<" in received()
    submit(agency=agency_a, category=attitude)
    assert ">1<" in received()  # the page is cached until the rollup changes
    _refresh()
    assert ">2<" in received()


def test_overdue_open_case_counts_as_late_in_the_on_time_rate(agency_a, attitude, centre, walk):
    """A month with one case handled on time and one red (past due, still open) case is at
    50 %, not 100 %: the open case is late as soon as its handling clock is past due."""
    from complaints import clocks
    from timelimits.models import Deadline, TimeLimitPolicy, Unit
    from timelimits.sweep import sweep

    walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CLOSED)
    # From here on a handling clock is due the moment it starts (a real policy, real clock).
    TimeLimitPolicy.objects.filter(kind=clocks.HANDLE).update(unit=Unit.HOURS, limit=0)
    red = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)
    sweep(now=timezone.now())
    handle = Deadline.objects.get(subject_id=red.pk, kind=clocks.HANDLE)
    assert (handle.state, handle.light) == ("running", "red")
    PublicPolicy.objects.update(ranking_min_cases=1)
    _refresh()
    month = timezone.localdate().strftime("%Y-%m")
    page = citizen().get(URL, {"from": month, "to": month}).content.decode()
    by_month = page.split('id="stats-by-month"')[1].split("</table>")[0]
    assert 'data-label="按时办结率">50.0%<' in by_month


def test_satisfaction_counts_the_dissatisfied_round(agency_a, attitude, centre, walk, clerk_a):
    """Rated 不满意, reopened, then rated 满意: one dissatisfied and one satisfied rating (50 %),
    not a case that was satisfied all along; both handling rounds count in the on-time rate."""
    from complaints import services

    c = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.REPLIED)
    c = services.complaint_rate(complaint=c, rating=Complaint.Rating.DISSATISFIED)
    c = services.complaint_reopen(complaint=c, reason="问题没有解决")
    c = services.complaint_conclude(
        complaint=c, actor=clerk_a, outcome=Complaint.Outcome.UNFOUNDED, findings="复查无误。"
    )
    c = services.complaint_reply(complaint=c, actor=clerk_a, text="复查结果……")
    services.complaint_rate(complaint=c, rating=Complaint.Rating.SATISFIED)
    PublicPolicy.objects.update(ranking_min_cases=1)
    _refresh()
    row = AgencyMonthStats.objects.get(agency=agency_a)
    assert (row.received, row.rated, row.satisfied) == (1, 2, 1)
    assert (row.on_time, row.late, row.overdue) == (2, 0, 0)
    month = timezone.localdate().strftime("%Y-%m")
    page = citizen().get(URL, {"from": month, "to": month}).content.decode()
    by_month = page.split('id="stats-by-month"')[1].split("</table>")[0]
    assert 'data-label="满意率">50.0%<' in by_month


def test_the_page_says_what_each_rate_counts(db):
    page = citizen().get(URL).content.decode()
    definitions = page.split('id="stats-definitions"')[1].split("</dl>")[0]
    assert "按时办结数 ÷（已办结数 + 已超期未办结数）" in definitions
    assert "超过办理时限即计为超时，无论是否已办结" in definitions
    assert "计一次不满意和一次满意" in definitions
