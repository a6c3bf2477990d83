"""Views of the complaints API. Thin: selectors read, ``complaint_submit`` writes.

* ``POST /api/v1/complaints/`` — an integration account files a complaint
  (token auth, ``complaints.add_complaint``): 201 with the tracking number, the
  query code (this once) and the expected date. Idempotent on ``Idempotency-Key``
  or ``submission_key``, namespaced per account so two systems cannot collide: a
  repeat answers 200 with the first filing's number and code.
* ``GET /api/v1/complaints/`` and ``/{id}/`` — what the account's agency may see
  (``complaints.selectors``); another agency's case is a 404.
* ``GET /api/v1/complaint-stats/`` — received / concluded / on-time / satisfaction
  by accused agency and month; an overdue open case counts as late in the on-time
  rate, and every handling round's rating counts (``complaints.integrations.api.stats``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from complaints import selectors
from complaints.integrations import accounts
from complaints.integrations.api.serializers import (
    ComplaintCreateSerializer,
    ComplaintFiledSerializer,
    ComplaintSerializer,
    StatsQuerySerializer,
    StatsRowSerializer,
)
from complaints.integrations.api.stats import complaint_stats_by_agency_month
from complaints.integrations.auth import IntegrationTokenAuthentication
from complaints.models import Complaint
from complaints.services import complaint_submit
from organizations.api.base import ScopedViewSetMixin

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="同一键只立案一次；重复提交返回 200 和原投诉编号、查询码",
)
_ERRORS = OpenApiResponse(description='{"code": "...", "errors": {"字段": ["说明"]}}')


def submission_key_for(request, given: str) -> str | None:
    """The client's idempotency key, namespaced by account (two systems may pick the same key)."""
    key = request.headers.get("Idempotency-Key", "").strip() or (given or "").strip()
    return f"api:{request.user.pk}:{key[:100]}" if key else None


def invalid(serializer) -> Response:
    """Field errors in the shape an ApplicationError takes (efficiency_portal.errors)."""
    return Response({"code": "invalid", "errors": serializer.errors}, status=400)


class ComplaintFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=Complaint.State.choices)
    submitted_after = filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = filters.IsoDateTimeFilter(field_name="submitted_at", lookup_expr="lt")
    category = filters.CharFilter(field_name="category__code")
    tracking_no = filters.CharFilter(field_name="tracking_no")

    class Meta:
        model = Complaint
        fields = ("state", "category")


class ComplaintViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Complaints filed and read by other systems (接入系统)."""

    # The handling agency owns a case; the selector widens reads to accused and joint agencies.
    agency_field = "handling_agency"
    authentication_classes = [IntegrationTokenAuthentication, SessionAuthentication]
    queryset = Complaint.objects.all()
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter

    @classmethod
    def scope_test_factory(cls, agency):
        from model_bakery import baker

        return baker.make(Complaint, handling_agency=agency, agency_accused=agency)

    def get_queryset(self):
        # The selector owns this app's scoping rule (handling, joint, accused-after-routing).
        return (
            selectors.complaint_list_visible_to(user=self.request.user)
            .select_related("category", "agency_accused", "handling_agency")
            .prefetch_related("rounds")
        )

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated()]  # the add permission is checked in create(), with a message
        return super().get_permissions()

    def get_serializer_class(self):
        return ComplaintCreateSerializer if self.action == "create" else ComplaintSerializer

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        request=ComplaintCreateSerializer,
        responses={
            201: OpenApiResponse(ComplaintFiledSerializer, description="已立案：编号即投诉编号"),
            200: OpenApiResponse(ComplaintFiledSerializer, description="重复提交：原投诉"),
            400: _ERRORS,
            403: OpenApiResponse(description="该账号不是可提交投诉的接入系统"),
        },
    )
    def create(self, request, *args, **kwargs):
        if not accounts.may_file(request.user):
            raise PermissionDenied(_("该账号无权通过接口提交投诉。"))
        form = ComplaintCreateSerializer(data=request.data)
        if not form.is_valid():
            return invalid(form)
        data = form.validated_data
        submitted = complaint_submit(
            category=data["category"],
            agency_accused=data["agency"],
            title=data["title"],
            description=data["description"],
            accused_person=data.get("accused_person", ""),
            anonymous=data["anonymous"],
            consent_share_identity=data["consent_share_identity"],
            complainant_name=data.get("complainant_name", ""),
            complainant_phone=data.get("complainant_phone", ""),
            complainant_id_number=data.get("complainant_id_number", ""),
            complainant_email=data.get("complainant_email", ""),
            submission_key=submission_key_for(request, data.get("submission_key", "")),
            channel="api",
        )
        body = ComplaintFiledSerializer(
            {
                "tracking_no": submitted.complaint.tracking_no,
                "query_code": submitted.query_code,
                "expected_by": submitted.expected_by,
                "created": submitted.created,
                "complaint_id": submitted.complaint.pk,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if submitted.created else 200)


class ComplaintStatsViewSet(viewsets.GenericViewSet):
    """Counts by accused agency and month: the public statistics' rollup (refreshed periodically)."""

    scope_exempt = "aggregate counts per agency, published on the public statistics page"
    permission_classes = [IsAuthenticated]
    serializer_class = StatsRowSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[StatsQuerySerializer],
        responses={200: StatsRowSerializer(many=True), 400: _ERRORS},
    )
    def list(self, request, *args, **kwargs):
        query = StatsQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return invalid(query)
        rows = complaint_stats_by_agency_month(
            agency_code=query.validated_data.get("agency"),
            start=query.validated_data.get("start"),
            end=query.validated_data.get("end"),
        )
        return Response(StatsRowSerializer(rows, many=True).data)
