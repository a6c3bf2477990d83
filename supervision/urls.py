"""Supervision URLs (namespace ``supervision``): the dashboard, an agency's page, the cases behind
a figure. Public pages (bulletins, open data) have their own URL files."""

from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("agency/<int:agency_id>/", views.agency_page, name="agency"),
    path("cases/", views.cases_page, name="cases"),
]
