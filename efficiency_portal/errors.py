"""The one application error type, and its mapping to an API 400.

Services raise ``ApplicationError(message, code=…, field=…)``. The admin shows the
message, forms attach it to the field, the API answers 400 with field messages.
Every API 400 has that one shape, ``{"code": "…", "errors": {"field": ["message"]}}``:
the REST framework's own refusals (a filter's bad value, a body that is not JSON)
are put into it too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response


class ApplicationError(Exception):
    """A refused action, with a message for people and a code for machines."""

    def __init__(
        self, message: str, *, code: str = "invalid", field: str | None = None, extra=None
    ):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field
        self.extra = extra or {}

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}


def api_exception_handler(exc, context):
    # Imported here: rest_framework.views reads the parser settings, whose parsers raise
    # ApplicationError (efficiency_portal.parsers), when it is first imported.
    from rest_framework.views import exception_handler

    if isinstance(exc, ApplicationError):
        return Response({"code": exc.code, "errors": exc.as_field_errors()}, status=400)
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = exception_handler(exc, context)
    if response is not None and isinstance(
        exc, drf_exceptions.ValidationError | drf_exceptions.ParseError
    ):
        response.data = {"code": exc.default_code, "errors": _field_errors(response.data)}
    return response


def _field_errors(detail) -> dict:
    """The REST framework's error detail as {field: [messages]}."""
    if isinstance(detail, dict) and set(detail) != {"detail"}:
        return {k: v if isinstance(v, list) else [v] for k, v in detail.items()}
    if isinstance(detail, dict):
        detail = detail["detail"]
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}
