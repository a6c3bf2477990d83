"""seed_demo fills enough for every chart of the dashboard, idempotently."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from supervision.models import (
    Bulletin,
    FigureDay,
    Inspection,
    Ranking,
    Rectification,
    Sanction,
    SanctionProposal,
)
from tests.conftest import login


def test_seed_demo_fills_the_dashboard_and_a_second_run_adds_nothing(db, settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    settings.COMPLAINTS_DEMO_CASES = 40
    call_command("seed_demo", stdout=io.StringIO())
    counts = {
        model: model.objects.count()
        for model in (Inspection, Rectification, Ranking, Sanction, SanctionProposal, Bulletin)
    }
    assert all(counts.values()), counts
    assert FigureDay.objects.filter(indicator="complaints.received").exists()
    assert FigureDay.objects.filter(indicator="timelimits.red_cards").exists()
    assert Bulletin.objects.get().state == Bulletin.State.PUBLISHED
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == {model: model.objects.count() for model in counts}
    leader = get_user_model().objects.get(username="demo-leader")
    html = login(leader).get("/dashboard/").content.decode()
    assert '"bars": [{' in html.replace("&quot;", '"') or '"bars": [{"name"' in html
