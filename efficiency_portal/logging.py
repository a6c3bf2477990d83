"""Structured logs: the JSON formatter every process uses, and one line per request."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("efficiency_portal.request")

# One JSON object a line: ISO 8601 UTC "time", level, logger, message, plus every
# `extra=` field. Used by Django's LOGGING (web, worker, beat) and gunicorn.conf.py.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
}


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
