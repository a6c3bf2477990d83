from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from organizations.api.base import ScopedViewSetMixin
from organizations.api.serializers import AgencySerializer, StaffSerializer
from organizations.models import Agency, StaffProfile
from organizations.selectors import agency_list_public


class AgencyFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="名称或简称")
    category = filters.CharFilter(field_name="category__code")

    class Meta:
        model = Agency
        fields = ("parent", "category")

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(short_name__icontains=value)


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The public directory of agencies (used by the complaint form's agency picker)."""

    scope_exempt = "public directory: agency names are published"
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    queryset = Agency.objects.none()

    def get_queryset(self):
        return agency_list_public()


class StaffViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = StaffSerializer
    queryset = StaffProfile.objects.select_related("agency").order_by("id")
    filterset_fields = ("agency", "is_unit_head")
