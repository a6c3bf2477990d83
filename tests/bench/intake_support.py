"""Run inside the bench database (``python -m tests.bench.intake_support setup|count``).

``setup`` creates the complaint centre, one accused agency and an integration
account, and prints ``<token> <agency code>``. ``count`` posts once to each
benchmarked URL through Django's test client (after one warm-up post, with an
``Idempotency-Key`` as the load sends) and prints the statements it ran.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.bench_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BODY = {
    "category": "attitude",
    "title": "窗口人员态度恶劣",
    "description": "11月20日在办事大厅3号窗口办理营业执照时，工作人员拒绝解释材料要求，态度生硬。",
    "complainant_name": "王小明",
    "complainant_phone": "13912345678",
}


def setup() -> None:
    from complaints.integrations.accounts import integration_account_create
    from organizations import services as org_services
    from organizations.models import Agency, AgencyCategory
    from tests.bench.bench_views import TABLE_SQL

    with connection.cursor() as cursor:
        cursor.execute(TABLE_SQL)
    government = AgencyCategory.objects.get(code="government")
    if not Agency.objects.filter(code=settings.COMPLAINTS_OFFICE_AGENCY_CODE).exists():
        org_services.agency_create(
            actor=None,
            code=settings.COMPLAINTS_OFFICE_AGENCY_CODE,
            name="市效能投诉中心",
            category=government,
            parent=None,
            short_name="投诉中心",
        )
    accused = org_services.agency_create(
        actor=None,
        code="BENCH-A",
        name="市市场监督管理局",
        category=government,
        parent=None,
        short_name="市场监管",
    )
    token = integration_account_create(actor=None, name="bench", agency=None)
    print(token.key, accused.code)


def count(token: str, agency: str) -> None:
    client = Client()
    result = {}
    for name, url, headers in (
        ("baseline", "/bench/insert/", {}),
        ("intake", "/api/v1/complaints/", {"HTTP_AUTHORIZATION": f"Token {token}"}),
    ):
        body = json.dumps({**BODY, "agency": agency})
        client.post(  # the first request of a process imports and connects
            url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="warm", **headers
        )
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="count", **headers
            )
        assert response.status_code == 201, response.content
        result[name] = [q["sql"] for q in ctx.captured_queries]
    print(json.dumps(result))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"setup": setup, "count": count}[command](*args)
