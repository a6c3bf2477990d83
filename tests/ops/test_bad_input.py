"""Input no view can use is refused with a clear 400 on every surface, and a citizen's form
keeps what they typed (efficiency_portal.inputs, input_guard, parsers, pagination)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from efficiency_portal import i18n_compile
from efficiency_portal.inputs import (
    date_part_problem,
    date_problem,
    datetime_storage_problem,
    text_problem,
    whole_number,
)
from organizations.models import Agency
from tests.complaints.api_support import integration
from tests.complaints.public_helpers import citizen
from tests.conftest import make_agency

DEEP = 50_000


def test_whole_numbers_are_ascii_digits_within_bigint():
    assert whole_number("42") == 42
    assert whole_number(" 7 ") == 7
    assert whole_number("²") is None  # str.isdigit() says yes, int() says no
    assert whole_number("١٢") is None
    assert whole_number("-1") is None
    assert whole_number("99999999999999999999") is None
    assert whole_number(str(2**63 - 1)) == 2**63 - 1
    assert whole_number(None) is None


def test_text_with_nul_or_a_lone_surrogate_is_refused_by_name():
    assert text_problem("ok 文本\x01", name="q") is None
    assert text_problem("a\x00b", name="q").message == "q 含有空字符（NUL），无法处理。"
    assert text_problem("\ud800", name="q").message == "q 含有无效的 Unicode 字符（孤立的代理项）。"
    assert text_problem("\U0001f600", name="q") is None  # a real pair is fine


def test_dates_must_exist_and_fit_what_datetime_and_postgresql_carry():
    assert date_problem("2026-02-28T23:59:59+08:00", name="d") is None
    assert date_problem("2026-02-30T00:00:00", name="d").message == "d 不是真实存在的日期或时间。"
    assert date_problem("2026-13-01", name="d").code == "invalid_date"
    assert date_problem("0000-01", name="d").message == "d 的年份须在 1900 至 2199 年之间。"
    assert date_problem("9999-12-31T00:00:00Z", name="d").code == "date_out_of_range"
    assert date_problem("2026-01-01T00:00:00-23:59", name="d").message == (
        "d 的时区偏移超出范围（最多 ±14:00）。"
    )
    assert date_problem("2026-01-01T00:00:00 08:00", name="d") is None  # "+" sent unescaped
    assert date_problem("窗口 2026-02-30", name="d") is None  # text, not a date
    # What every request is checked for leaves impossible days to the view's own message.
    assert datetime_storage_problem("2026-02-30T00:00:00", name="d") is None
    assert datetime_storage_problem("2026-13", name="d") is None
    assert datetime_storage_problem("9999-12-31T23:59:59-23:59", name="d") is not None
    assert date_part_problem("date__year", "99999999999999999999", name="y") is not None
    assert date_part_problem("date__year", "2026", name="y") is None
    assert date_part_problem("q", "99999999999999999999", name="q") is None


@pytest.mark.django_db
def test_a_public_page_refuses_nul_in_its_address_with_a_400_page(citizen_client):
    response = citizen_client.get("/complaints/public/%00/")
    assert response.status_code == 400
    assert "tracking_no 含有空字符（NUL），无法处理。" in response.content.decode()
    search = citizen_client.get("/complaints/public/", {"q": "窗口\x00"})
    assert search.status_code == 400
    assert "q 含有空字符（NUL），无法处理。" in search.content.decode()


@pytest.mark.django_db
def test_the_refusal_page_is_in_english_on_english_requests(settings):
    i18n_compile.main()  # the .mo as `make install` builds it; the setting change reloads it
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/complaints/public/", {"q": "\x00"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The request cannot be processed" in html
    assert "q contains a NUL character and cannot be processed." in html


@pytest.mark.django_db
def test_a_form_posted_with_nul_keeps_the_text_without_it(category):
    """Nobody types a NUL; refusing the post would throw away what the citizen wrote."""
    agency = make_agency(name="市民政局", category=category)
    response = citizen().post(
        "/complaints/new/",
        {
            "agency_search": "民政\x00",
            "action": "search",
            "title": "窗口\x00排队",
            "agency_accused": agency.pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="窗口排队"' in html
    assert 'value="民政"' in html


@pytest.mark.django_db
def test_a_digit_int_refuses_is_not_an_agency_id(citizen_client):
    for url in ("/complaints/statistics/?agency=²", "/key-posts/?agency=²", "/on-duty/?a=²"):
        assert citizen_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_api_body_nested_too_deep_or_with_nul_is_refused(centre_token_client):
    deep = centre_token_client.post(
        "/api/v1/complaints/",
        '{"title": ' + "[" * DEEP + "]" * DEEP + "}",
        content_type="application/json",
    )
    assert deep.status_code == 400
    assert deep.json() == {
        "code": "parse_error",
        "errors": {"non_field_errors": ["JSON 嵌套过深（最多 64 层）。"]},
    }
    nul = centre_token_client.post(
        "/api/v1/complaints/", {"category": "\x00", "agency": "x"}, format="json"
    )
    assert nul.status_code == 400
    assert nul.json() == {
        "code": "nul_character",
        "errors": {"category": ["category 含有空字符（NUL），无法处理。"]},
    }
    surrogate = centre_token_client.post(
        "/api/v1/complaints/",
        '{"agency": "\\ud800"}',
        content_type="application/json",
    )
    assert surrogate.json()["errors"] == {
        "agency": ["agency 含有无效的 Unicode 字符（孤立的代理项）。"]
    }


@pytest.fixture
def centre_token_client(agency_a):
    """An integration account of agency A: it may file and read."""
    _token, api = integration(agency=agency_a)
    return api


@pytest.mark.django_db
def test_an_api_page_holds_at_most_the_largest_page_size(client, settings, category):
    settings.API_MAX_PAGE_SIZE = 3
    for n in range(5):
        make_agency(name=f"单位{n}", category=category)
    assert Agency.objects.count() >= 5
    for limit in ("100000", "99999999999999999999"):
        body = client.get("/api/v1/agencies/", {"limit": limit}).json()
        assert len(body["results"]) == 3, limit
    past_the_end = client.get("/api/v1/agencies/", {"offset": "99999999999999999999"})
    assert past_the_end.status_code == 200
    assert past_the_end.json()["results"] == []


@pytest.mark.django_db
def test_the_schema_documents_the_largest_page(client, settings):
    settings.API_MAX_PAGE_SIZE = 500
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    (limit,) = [
        p for p in schema["paths"]["/api/v1/agencies/"]["get"]["parameters"] if p["name"] == "limit"
    ]
    assert limit["schema"]["maximum"] == 500
    assert "最多 500" in limit["description"]


@pytest.mark.django_db
def test_a_filters_refusal_is_in_the_api_format(centre_token_client):
    response = centre_token_client.get(
        "/api/v1/complaints/", {"submitted_after": "9999-12-31T23:59:59-23:59"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "date_out_of_range",
        "errors": {"submitted_after": ["submitted_after 的年份须在 1900 至 2199 年之间。"]},
    }
    garbage = centre_token_client.get("/api/v1/complaints/", {"submitted_after": "yesterday"})
    assert garbage.status_code == 400
    assert garbage.json() == {
        "code": "invalid",
        "errors": {"submitted_after": ["输入一个有效的日期/时间。"]},
    }
