"""来源渠道: a complaint's channel is one of a fixed list; people read its label, machines
keep reading its stable value."""

from __future__ import annotations

import pytest
from django.utils import translation

from complaints.models import Complaint
from efficiency_portal.errors import ApplicationError
from tests.complaints.api_support import integration
from tests.complaints.conftest import submit


def test_channel_labels_are_chinese_with_english_translations():
    labels = dict(Complaint.Channel.choices)
    assert {str(labels[v]) for v in ("web", "phone", "visit", "12345")} == {
        "网上",
        "电话",
        "来访",
        "12345热线",
    }
    with translation.override("en"):
        assert str(Complaint.Channel.HOTLINE.label) == "12345 hotline"
        assert str(Complaint.Channel.VISIT.label) == "In person"


def test_an_unknown_channel_is_refused_by_name(agency_a, attitude, centre):
    with pytest.raises(ApplicationError) as refused:
        submit(agency=agency_a, category=attitude, channel="fax")
    assert refused.value.field == "channel" and refused.value.message == "未知的来源渠道。"
    assert not Complaint.objects.exists()


def test_the_api_keeps_the_channel_value_and_adds_its_label(walk, agency_a, attitude):
    case = walk(
        submit(agency=agency_a, category=attitude, channel="phone").complaint,
        Complaint.State.HANDLING,
    )
    _token, client = integration(agency=agency_a, name="甲系统")
    body = client.get(f"/api/v1/complaints/{case.pk}/").json()
    assert (body["channel"], body["channel_display"]) == ("phone", "电话")
