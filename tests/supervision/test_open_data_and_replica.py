"""Open data: every public figure as CSV and JSON with a data dictionary and stable URLs; and the
replica router: report pages read from DATABASE_REPLICA_URL, writes never, unset → primary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections
from django.utils import timezone

from complaints.models import AgencyMonthStats
from supervision import periods, services
from supervision.db_router import REPLICA, ReplicaRouter, report_reads
from supervision.models import FigureMonth, RankingRow
from tests.conftest import login, make_agency

pytestmark = pytest.mark.django_db


def test_the_data_dictionary_lists_every_dataset_with_its_fields_and_urls(client):
    data = client.get("/open-data/dictionary.json").json()
    names = {d["name"] for d in data["datasets"]}
    assert names == {"complaint-statistics", "rankings", "bulletins"}
    rankings = next(d for d in data["datasets"] if d["name"] == "rankings")
    assert rankings["csv"] == "/open-data/rankings.csv"
    assert {"weight", "value", "score", "scheme_version"} <= {f["name"] for f in rankings["fields"]}
    assert "最小值" in data["method"]
    assert client.get("/open-data/").status_code == 200


def test_public_statistics_are_open_data_and_small_samples_have_no_rate(client, agency_a):
    AgencyMonthStats.objects.create(
        agency=agency_a, month=dt.date(2026, 10, 1), received=3, concluded=2, on_time=1,
        late=1, rated=1, satisfied=1, refreshed_at=timezone.now(),
    )  # fmt: skip
    rows = client.get("/open-data/complaint-statistics.json").json()["rows"]
    assert rows[0]["agency_code"] == agency_a.code and rows[0]["received"] == 3
    assert rows[0]["on_time_rate"] is None, "below the public minimum: no rate"
    csv = client.get("/open-data/complaint-statistics.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("month,agency_code")


def test_a_published_ranking_is_open_with_its_weights_values_and_scores(
    client, office_user, category
):
    agencies = [make_agency(name=f"开放{i}", category=category) for i in range(2)]
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for agency, met in zip(agencies, (9, 5), strict=True):
        FigureMonth.objects.create(
            agency=agency, indicator="complaints.handle_on_time", month=month,
            numerator=met, denominator=10,
        )  # fmt: skip
    scheme = services.scheme_create(
        actor=office_user, code="open-test", name="开放测试", period_kind="month",
        categories=[category], weights={"complaints.handle_on_time": 2},
    )  # fmt: skip
    draft = services.ranking_compute(
        actor=office_user, scheme=scheme, period=periods.Period("month", month)
    )
    assert client.get("/open-data/rankings.json").json()["rows"] == [], "drafts are not public"
    services.ranking_publish(actor=office_user, ranking=draft)
    rows = client.get("/open-data/rankings.json").json()["rows"]
    best = next(r for r in rows if r["agency_code"] == agencies[0].code)
    assert (best["rank"], best["weight"], best["value"], best["score"]) == (1, "2.00", 90.0, 100.0)
    assert best["scheme_version"] == 1 and best["period"] == month.strftime("%Y-%m")
    assert RankingRow.objects.count() == 2


def test_an_unknown_dataset_or_format_is_a_404(client):
    assert client.get("/open-data/nosuch.csv").status_code == 404
    assert client.get("/open-data/rankings.xml").status_code == 404


# --------------------------------------------------------------------------- the replica router


class _Model:
    class _meta:
        app_label = "supervision"


class _Session:
    class _meta:
        app_label = "sessions"


@pytest.fixture
def replica_alias():
    """A ``replica`` alias, as DATABASE_REPLICA_URL would configure. In the test it shares the
    primary's connection (and so its test transaction): the router's choices are what is checked."""
    connections.settings[REPLICA] = {**connections.settings["default"]}
    connections[REPLICA] = connections["default"]
    yield REPLICA
    delattr(connections._connections, REPLICA)
    del connections.settings[REPLICA]


@pytest.fixture
def routed(monkeypatch):
    """Every (app label, alias) the router chose for a read."""
    choices = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = original(self, model, **hints)
        choices.append((model._meta.app_label, alias))
        return alias

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return choices


def test_without_a_replica_everything_uses_the_primary():
    router = ReplicaRouter()
    with report_reads():
        assert router.db_for_read(_Model) is None  # Django's default: the primary
    assert router.db_for_write(_Model) == "default"


def test_report_reads_go_to_the_replica_and_writes_never(replica_alias):
    router = ReplicaRouter()
    assert router.db_for_read(_Model) is None, "outside a report: the primary"
    with report_reads():
        assert router.db_for_read(_Model) == REPLICA
        assert router.db_for_read(_Session) is None, "sessions stay on the primary"
        assert router.db_for_write(_Model) == "default"
    assert router.allow_migrate(REPLICA, "supervision") is False


def test_the_dashboard_and_open_data_read_from_the_replica(replica_alias, routed, leader):
    client = login(leader)
    assert client.get("/dashboard/").status_code == 200
    assert ("supervision", REPLICA) in routed, "the rollup is read from the replica"
    assert ("sessions", None) in routed or ("auth", None) in routed, "accounts stay primary"
    routed.clear()
    client.get("/open-data/rankings.json")
    assert ("supervision", REPLICA) in routed


def test_a_write_page_is_not_routed_to_the_replica(replica_alias, routed, office_user):
    login(office_user).get("/admin/")
    assert routed and all(alias is None for _label, alias in routed)
