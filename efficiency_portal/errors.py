"""The one application error type, and its mapping to an API 400.

Services raise ``ApplicationError(message, code=…, field=…)``. The admin shows the
message, forms attach it to the field, the API answers 400 with field messages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler


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
    if isinstance(exc, ApplicationError):
        return Response({"code": exc.code, "errors": exc.as_field_errors()}, status=400)
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    return exception_handler(exc, context)
