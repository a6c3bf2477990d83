"""Open311 GeoReport v2 endpoints. Thin: selectors read, ``complaint_submit`` writes.

Every error answers in the spec's format — a list of ``{code, description}`` —
with the HTTP status as its code: 400 for a malformed request, 403 for a
missing or unknown ``api_key``, 404 for an unknown jurisdiction, service or
request. Open311 has its own specification, so these views stay out of the
OpenAPI schema (``schema = None``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.integrations.open311 import selectors
from complaints.integrations.open311.intake import Open311Error, client_for_key, file_request
from complaints.integrations.open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from complaints.integrations.open311.representation import (
    discovery,
    request_dict,
    service_definition,
    service_dict,
    window_from_params,
)
from efficiency_portal.errors import ApplicationError
from efficiency_portal.parsers import FormParser, JSONParser, MultiPartParser


def payload(request) -> Mapping:
    """The POSTed fields: a form, or a JSON object (a JSON list, string or number is refused)."""
    if not isinstance(request.data, Mapping):
        raise Open311Error(400, _("请求体须为字段的集合（表单或 JSON 对象）。"))
    return request.data


class Open311View(APIView):
    scope_exempt = "Open311 publishes service types and request status, no personal data"
    schema = None
    authentication_classes = []  # the api_key travels in the request, as the spec says
    permission_classes = [AllowAny]
    renderer_classes = [Open311XMLRenderer, Open311JSONRenderer]
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    root = "response"
    item = "item"

    def check_jurisdiction(self, request) -> None:
        given = (request.query_params.get("jurisdiction_id") or "").strip()
        if request.method == "POST" and not given:
            given = str(payload(request).get("jurisdiction_id", "") or "").strip()
        if given and given != settings.OPEN311_JURISDICTION_ID:
            raise Open311Error(404, _("jurisdiction_id %(id)s 不存在。") % {"id": given[:60]})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_jurisdiction(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not hasattr(response, "open311_root"):
            response.open311_root, response.open311_item = self.root, self.item
        return response

    def handle_exception(self, exc):
        if isinstance(exc, Open311Error):
            status, description = exc.status, exc.description
        elif isinstance(exc, ApplicationError):
            status, description = 400, exc.message
        elif isinstance(exc, drf_exceptions.APIException):
            status, description = exc.status_code, str(exc.detail)
        else:
            return super().handle_exception(exc)
        response = Response([{"code": status, "description": description}], status=status)
        response.open311_root, response.open311_item = "errors", "error"
        return response


class UnknownResourceView(Open311View):
    def get(self, request, format=None):
        raise Open311Error(404, _("没有这个资源。"))

    post = get


class DiscoveryView(Open311View):
    root = "discovery"

    def get(self, request, format=None):
        return Response(discovery())


class ServiceListView(Open311View):
    root, item = "services", "service"

    def get(self, request, format=None):
        return Response([service_dict(c) for c in selectors.service_list()])


class ServiceDefinitionView(Open311View):
    root = "service_definition"

    def get(self, request, code: str, format=None):
        category = selectors.service_get(code)
        if category is None:
            raise Open311Error(404, _("service_code %(code)s 不存在。") % {"code": code[:40]})
        return Response(service_definition(category))


class RequestListView(Open311View):
    root, item = "service_requests", "request"

    def get(self, request, format=None):
        params = request.query_params
        ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
        if ids:  # the spec: a list of ids overrides every other argument
            complaints = selectors.requests_by_ids(ids)
        else:
            since, until = window_from_params(params)
            statuses = [s.strip() for s in params.get("status", "").split(",") if s.strip()]
            if set(statuses) - {"open", "closed"}:
                raise Open311Error(400, _("status 只能是 open 或 closed。"))
            complaints = selectors.requests_in_window(
                since=since,
                until=until,
                service_codes=params.get("service_code", "").split(","),
                statuses=statuses,
            )
        expected = selectors.expected_datetimes(complaints)
        intake = selectors.intake_agency_name()
        return Response([request_dict(c, expected.get(c.pk), intake) for c in complaints])

    def post(self, request, format=None):
        data = payload(request)
        client = client_for_key(data.get("api_key") or request.query_params.get("api_key"))
        result = file_request(
            user=client, data=data, idempotency_key=request.headers.get("Idempotency-Key")
        )
        return Response([result], status=201 if result.pop("created") else 200)


class RequestDetailView(Open311View):
    root, item = "service_requests", "request"

    def get(self, request, request_id: str, format=None):
        complaints = selectors.requests_by_ids([request_id])
        if not complaints:
            raise Open311Error(404, _("service_request_id %(id)s 不存在。") % {"id": request_id})
        expected = selectors.expected_datetimes(complaints)
        return Response(
            [
                request_dict(
                    complaints[0], expected.get(complaints[0].pk), selectors.intake_agency_name()
                )
            ]
        )
