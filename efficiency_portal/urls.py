from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from efficiency_portal import branding, health, views

admin.site.site_header = branding.PRODUCT_NAME
admin.site.site_title = branding.PRODUCT_NAME
admin.site.index_title = gettext_lazy("业务管理")

api_v1 = [
    path("", include("organizations.api.urls")),
    path("", include("complaints.integrations.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "v1"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # The split view serves Swagger UI's start-up script from this URL (?script) instead of
    # inline, so the site-wide CSP (script-src 'self' + nonce) runs it unchanged.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("complaints/", include("complaints.urls")),
    path("open311/v2/", include("complaints.integrations.open311.urls")),
    path("dashboard/", include("supervision.urls")),
    path("bulletins/", include("supervision.urls_public")),
    path("open-data/", include("supervision.urls_open_data")),
    path("", include("organizations.urls")),
]
# Uploaded files are never served from a public URL: attachments carry personal
# data, so each app serves its files through a view that checks access.
