"""Request-body parsers of the REST API and Open311: the REST framework's, refusing what no view
can use — JSON nested deeper than ``JSON_MAX_DEPTH``, and NUL or lone surrogates in any
key or value (``efficiency_portal.inputs``) — with a 400 in the surface's format.

Python's JSON decoder recurses once per level and fails with RecursionError (a 500)
near a thousand; a body nested deeper than ``JSON_MAX_DEPTH`` is refused whether it
got that far or not. The settings use these for every API view
(``DEFAULT_PARSER_CLASSES``), Open311 names them itself.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from efficiency_portal.errors import ApplicationError
from efficiency_portal.inputs import text_problem


def _too_deep() -> ParseError:
    return ParseError(
        _("JSON 嵌套过深（最多 %(depth)d 层）。") % {"depth": settings.JSON_MAX_DEPTH}
    )


def _refuse(text: str, field: str | None) -> None:
    if problem := text_problem(text, name=field or _("字段名")):
        raise ApplicationError(problem.message, code=problem.code, field=field)


def check_parsed(data) -> None:
    """Walk ``data`` (without recursion): refuse depth beyond JSON_MAX_DEPTH and unusable text.

    A value's field is its path (``attribute.agency``); a bad key is reported on its parent.
    """
    stack = [(data, 1, None)]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            _refuse(value, path)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > settings.JSON_MAX_DEPTH:
            raise _too_deep()
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, inner in items:
            key = str(key)
            _refuse(key, path)
            stack.append((inner, depth + 1, f"{path}.{key}" if path else key))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        check_parsed(data)
        return data


def check_fields(data) -> None:
    """Refuse unusable text in a form's field names and values (a QueryDict)."""
    for key, values in data.lists():
        _refuse(key, None)
        for value in values:
            _refuse(value, key)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_fields(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_fields(parsed.data)
        return parsed
