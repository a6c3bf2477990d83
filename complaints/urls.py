"""Complaint URLs (namespace ``complaints``). Citizen pages are added beside these."""

from django.urls import path

from complaints import views
from complaints.pages import follow, intake, public

app_name = "complaints"

urlpatterns = [
    # Citizen and public pages (complaints.pages). "follow" keeps the ?no=… the PDFs' QR codes use.
    path("new/", intake.intake, name="intake"),
    path("new/done/", intake.intake_done, name="intake_done"),
    path("similar/<str:token>/", intake.similar_case, name="similar"),
    path("follow/", follow.follow, name="follow"),
    path("follow/rate/", follow.rate, name="follow_rate"),
    path("follow/reopen/", follow.reopen, name="follow_reopen"),
    path("follow/supplement/", follow.supplement, name="follow_supplement"),
    path("follow/files/<int:pk>/", follow.own_file, name="follow_file"),
    path("public/", public.cases, name="public_cases"),
    path("public/<str:tracking_no>/", public.case_detail, name="public_case"),
    path("statistics/", public.statistics, name="statistics"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/document/<slug:name>.pdf", views.document_pdf, name="document"),
]
