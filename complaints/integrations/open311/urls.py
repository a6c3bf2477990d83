"""Open311 GeoReport v2 routes (namespace ``open311``): every resource as .json and .xml."""

from django.urls import re_path

from complaints.integrations.open311 import views

app_name = "open311"

FMT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FMT, views.ServiceListView.as_view(), name="services"),
    re_path(
        r"^services/(?P<code>[-\w]+)" + FMT,
        views.ServiceDefinitionView.as_view(),
        name="service",
    ),
    re_path(r"^requests" + FMT, views.RequestListView.as_view(), name="requests"),
    re_path(
        r"^requests/(?P<request_id>[-\w]+)" + FMT,
        views.RequestDetailView.as_view(),
        name="request",
    ),
    # Anything else asked as .json or .xml: a 404 in the spec's error list, not an HTML page.
    re_path(r"^.*" + FMT, views.UnknownResourceView.as_view(), name="unknown"),
]
