"""Helpers shared by the API and Open311 tests: integration accounts and their clients."""

from __future__ import annotations

from rest_framework.test import APIClient

from complaints.integrations.accounts import integration_account_create


def token_client(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def integration(agency=None, name="接入系统"):
    """(token, client) of a fresh integration account, scoped to ``agency`` when given."""
    token = integration_account_create(actor=None, name=name, agency=agency)
    return token, token_client(token)


def filing(accused, kind, /, **overrides) -> dict:
    body = {
        "category": kind.code,
        "agency": accused.code,
        "title": "窗口人员态度恶劣",
        "description": "11月20日在办事大厅3号窗口办理营业执照时，工作人员拒绝解释材料要求。",
        "complainant_name": "王小明",
        "complainant_phone": "13912345678",
    }
    body.update(overrides)
    return body
