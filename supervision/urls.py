"""Supervision URLs (namespace ``supervision``): the dashboard, an agency's page, the cases behind
a figure. Public pages (bulletins, open data) have their own URL files."""

from django.urls import path

from supervision import views, views_inspections, views_sanctions

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("agency/<int:agency_id>/", views.agency_page, name="agency"),
    path("cases/", views.cases_page, name="cases"),
    path("inspections/", views_inspections.inspection_list, name="inspections"),
    path("inspections/new/", views_inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views_inspections.inspection_detail, name="inspection"),
    path(
        "rectifications/<int:pk>/",
        views_inspections.rectification_page,
        name="rectification",
    ),
    path("files/<slug:kind>/<int:pk>/", views_inspections.evidence_file, name="file"),
    path("sanctions/", views_sanctions.sanction_list, name="sanctions"),
    path("sanctions/<int:pk>/", views_sanctions.sanction_detail, name="sanction"),
    path(
        "sanctions/<int:pk>/warning-letter.pdf",
        views_sanctions.warning_letter,
        name="warning_letter",
    ),
]
