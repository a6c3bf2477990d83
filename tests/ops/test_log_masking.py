"""Log lines never carry a full phone number, ID number or query code: the console SMS and
e-mail backends mask what they write, and the filter on every handler masks the rest
(checked on the JSON lines the configured console handler really writes)."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import uuid

import pytest
from django.core.mail import EmailMessage

from complaints import numbers
from complaints.services.intake import receipt_message
from timelimits.backends import ConsoleSmsBackend

PHONE = "13912345678"
ID_NUMBER = "110101199001011234"


@pytest.fixture
def log_lines():
    """What the console handler of settings.LOGGING writes, as parsed JSON lines."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)

    def lines() -> tuple[str, list[dict]]:
        text = stream.getvalue()
        return text, [json.loads(line) for line in text.splitlines()]

    yield lines
    handler.setStream(previous)


def test_a_log_line_masks_numbers_in_its_message_extra_fields_and_exception(log_lines):
    code = numbers.new_query_code()
    log = logging.getLogger("tests.masking")
    log.warning(
        "receipt for %s not delivered",
        PHONE,
        extra={"id_number": ID_NUMBER, "payload": {"phone": int(PHONE), "text": f"查询码 {code}"}},
    )
    try:
        raise ValueError(f"Key (complainant_id_number)=({ID_NUMBER}) already exists.")
    except ValueError:
        log.exception("filing failed")

    text, (first, second) = log_lines()
    assert PHONE not in text and ID_NUMBER not in text and code not in text
    assert first["message"] == "receipt for 139****5678 not delivered"
    assert first["id_number"] == "110***********1234"
    assert first["payload"] == {"phone": "139****5678", "text": "查询码 ****-****-****-****"}
    assert second["message"] == "filing failed"
    assert "(complainant_id_number)=(110***********1234)" in second["exc_info"]


def test_tracking_numbers_and_other_numbers_stay_readable(log_lines):
    logging.getLogger("tests.masking").warning(
        "complaint XN-2026-000123-7 took 1234 ms", extra={"complaint_id": 4512}
    )
    _text, [line] = log_lines()
    assert line["message"] == "complaint XN-2026-000123-7 took 1234 ms"
    assert line["complaint_id"] == 4512


@pytest.mark.django_db
def test_the_console_sms_backend_logs_a_receipt_without_the_number_or_the_code(log_lines):
    code = numbers.new_query_code()
    text = receipt_message(code=code, expected_by=dt.date(2026, 12, 31), no="XN-2026-000123-7")
    sent = ConsoleSmsBackend().deliver(
        to=PHONE, subject="", body=text, idempotency_key=f"test:{uuid.uuid4().hex}"
    )
    assert sent
    raw, [line] = log_lines()
    assert PHONE not in raw and code not in raw
    assert line["to"] == "139****5678"
    assert "XN-2026-000123-7" in line["text"] and "****-****-****-****" in line["text"]


def test_the_console_email_backend_logs_a_receipt_masked(log_lines, settings):
    settings.EMAIL_BACKEND = "efficiency_portal.logging.ConsoleEmailBackend"
    code = numbers.new_query_code()
    body = receipt_message(code=code, expected_by=dt.date(2026, 12, 31), no="XN-2026-000123-7")
    assert EmailMessage(subject="投诉回执", body=body, to=["wang.xiaoming@example.com"]).send() == 1
    raw, [line] = log_lines()
    assert code not in raw and "wang.xiaoming" not in raw
    assert line["to"] == ["w***@example.com"]
    assert line["subject"] == "投诉回执" and "****-****-****-****" in line["body"]
