"""Complaint URLs (namespace ``complaints``). Citizen pages are added beside these."""

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("follow/", views.follow_placeholder, name="follow"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/document/<slug:name>.pdf", views.document_pdf, name="document"),
]
