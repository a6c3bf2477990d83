"""Fixtures of the privacy tests: the agency every sample row belongs to."""

import pytest

from organizations.models import AgencyCategory
from tests.conftest import make_agency


@pytest.fixture
def agency(db):
    return make_agency(name="隐私测试单位", category=AgencyCategory.objects.get(code="government"))
