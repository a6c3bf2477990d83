"""Refuse input no view can use, before a view puts it into a query (``efficiency_portal.inputs``).

For every request, once its URL is resolved:

1. The path's parts and every query parameter (name and value) are checked for NUL
   and lone surrogates, date-times for years and UTC offsets no query can carry, and
   ``…__year``-style date parts for numbers too large. (A day that does not exist,
   like 30 February, is left to the view's own parser and message.)
2. A refusal answers 400 in the surface's own format. A view of the REST framework
   (the API, Open311) answers through its own exception handling, so the API says
   ``{"code": …, "errors": {"param": ["…"]}}`` and Open311 its error list, in JSON or
   XML as asked; any other page shows a short page naming the parameter.
3. A form posted to a page (not to the API) loses its NUL characters instead: nobody
   types one, and refusing the post would throw away what the citizen wrote. API
   bodies are checked by their parsers (``efficiency_portal.parsers``).
"""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from efficiency_portal.errors import ApplicationError
from efficiency_portal.inputs import (
    Problem,
    date_part_problem,
    datetime_storage_problem,
    text_problem,
)


def _query_problem(query: QueryDict) -> tuple[str | None, Problem] | None:
    """(parameter, problem) of the first unusable query parameter; None when all are usable."""
    for key, values in query.lists():
        if problem := text_problem(key, name=_("参数名")):
            return None, problem
        for value in values:
            problem = (
                text_problem(value, name=key)
                or datetime_storage_problem(value, name=key)
                or date_part_problem(key, value, name=key)
            )
            if problem:
                return key, problem
    return None


def _path_problem(request, view_kwargs: dict) -> tuple[str | None, Problem] | None:
    for name, value in view_kwargs.items():
        if isinstance(value, str) and (problem := text_problem(value, name=name)):
            return name, problem
    if problem := text_problem(request.path_info, name=_("网址")):
        return "path", problem
    return None


def _without_nul(query: QueryDict) -> QueryDict | None:
    """A copy of ``query`` without NUL characters, or None when it has none."""
    if not any("\x00" in k or any("\x00" in v for v in vs) for k, vs in query.lists()):
        return None
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    cleaned._mutable = False
    return cleaned


def _api_view_class(view_func):
    cls = getattr(view_func, "cls", None)
    return cls if isinstance(cls, type) and issubclass(cls, APIView) else None


def _answer_as_the_view(view_func, request, args, kwargs, exc: Exception):
    """The response the REST framework view would give had it raised ``exc`` itself."""
    view = view_func.cls(**getattr(view_func, "initkwargs", {}))
    if hasattr(view_func, "actions"):  # a viewset: which action this method maps to
        view.action_map = view_func.actions
    view.args, view.kwargs = args, kwargs
    view.request = view.initialize_request(request, *args, **kwargs)
    view.headers = view.default_response_headers
    view.format_kwarg = view.get_format_suffix(**kwargs)
    response = view.handle_exception(exc)
    return view.finalize_response(view.request, response, *args, **kwargs)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        found = _path_problem(request, view_kwargs) or _query_problem(request.GET)
        api_view = _api_view_class(view_func)
        if found is not None:
            field, problem = found
            if api_view is not None:
                exc = ApplicationError(problem.message, code=problem.code, field=field)
                return _answer_as_the_view(view_func, request, view_args, view_kwargs, exc)
            return render(
                request,
                "bad_input.html",
                {"field": field, "message": problem.message},
                status=400,
            )
        if request.method == "POST" and api_view is None:
            cleaned = _without_nul(request.POST)
            if cleaned is not None:
                request.POST = cleaned
        return None
