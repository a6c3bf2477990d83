"""Agencies sort by the 拼音 of their names, polyphones read by phrase, on any PostgreSQL:
the key is stored by the services when a name is written (organizations.pinyin)."""

from __future__ import annotations

from organizations import services
from organizations.models import Agency, AgencyCategory
from organizations.pinyin import sort_key
from tests.conftest import make_agency


def test_polyphones_are_read_by_phrase():
    assert sort_key("长沙县政务服务中心").startswith("chang2 sha1")
    assert sort_key("重庆路街道").startswith("chong2 qing4")
    assert sort_key("市行政审批局").startswith("shi4 xing2")


def test_a_created_agency_carries_its_key_and_lists_sort_by_it(db):
    government = AgencyCategory.objects.get(code="government")
    shi = make_agency(name="市公安局", category=government)
    chang = make_agency(name="长沙县政务服务中心", category=government)
    an = make_agency(name="安监局", category=government)
    ordered = Agency.objects.filter(pk__in=[shi.pk, chang.pk, an.pk]).order_by("name_pinyin")
    assert list(ordered) == [an, chang, shi]


def test_renaming_an_agency_moves_its_key(db):
    government = AgencyCategory.objects.get(code="government")
    agency = make_agency(name="市公安局", category=government)
    services.agency_update(actor=None, agency=agency, parent=None, name="安监局")
    agency.refresh_from_db()
    assert agency.name_pinyin == sort_key("安监局")
