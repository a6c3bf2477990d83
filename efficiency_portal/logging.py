"""Structured logs: the JSON formatter every process uses, one line per request, and the
mask that keeps personal numbers out of every line.

``MaskPersonalData`` sits on every log handler (Django's LOGGING and gunicorn.conf.py) as
a safety net: a full mobile or landline number, a resident ID number (15 or 18
characters) or a query code (XXXX-XXXX-XXXX-XXXX) in a message, an ``extra=`` field or
an exception's text is masked the way the pages mask them (139****5678,
110***********1234, ****-****-****-****). Sources still mask what they log themselves
(the console SMS and e-mail backends below); the filter catches what they miss.
"""

from __future__ import annotations

import logging
import re
import time

from django.core.mail.backends.base import BaseEmailBackend

from common.masking import mask_email, mask_id_number, mask_phone

logger = logging.getLogger("efficiency_portal.request")

# One JSON object a line: ISO 8601 UTC "time", level, logger, message, plus every
# `extra=` field. Used by Django's LOGGING (web, worker, beat) and gunicorn.conf.py.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
}
# The filter every handler carries (LOGGING["filters"], gunicorn.conf.py).
MASK_FILTER = {"()": "efficiency_portal.logging.MaskPersonalData"}

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mobile numbers (optionally +86), and landlines written with their area code.
_PHONE = re.compile(
    r"(?<![\d+])(?:\+?86[-\s]?)?1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}[-\s]\d{7,8}(?!\d)"
)
_QUERY_CODE = re.compile(r"(?<![0-9A-Za-z-])[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){3}(?![0-9A-Za-z-])")
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


def mask_personal_data(text: str) -> str:
    """``text`` with every phone number, ID number and query code in it masked."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _PHONE.sub(lambda m: mask_phone(m.group()), text)
    return _QUERY_CODE.sub("****-****-****-****", text)


def _masked(value):
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    if value is None or isinstance(value, bool | float):
        return value
    # Anything else is written as its text (an int, a request object showing its path
    # and query string): mask that text when it carries a number.
    text = str(value)
    masked = mask_personal_data(text)
    return value if masked == text else masked


class MaskPersonalData(logging.Filter):
    """Mask personal numbers in the message, the ``extra=`` fields and the exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a format string that does not fit its arguments: keep both
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask_personal_data(message), None
        for name, value in list(vars(record).items()):
            if name not in _RECORD_FIELDS:
                setattr(record, name, _masked(value))
        if record.exc_info:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            masked = mask_personal_data(text)
            if masked != text:  # the formatter prints exc_text when exc_info is gone
                record.exc_info, record.exc_text = None, masked
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


class ConsoleEmailBackend(BaseEmailBackend):
    """Development and demo mail: one log line per message instead of sending it.

    Django's console backend prints the whole MIME message (a receipt's query code, the
    complainant's address); this writes the recipients, subject and text, masked.
    """

    def send_messages(self, email_messages) -> int:
        mail_log = logging.getLogger("efficiency_portal.mail")
        for message in email_messages:
            mail_log.info(
                "e-mail not sent (console backend)",
                extra={
                    "to": [mask_email(address) for address in message.recipients()],
                    "subject": mask_personal_data(str(message.subject)),
                    "body": mask_personal_data(str(message.body)),
                },
            )
        return len(email_messages)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
