"""Public URLs of supervision (namespace ``bulletins``)."""

from django.urls import path

from supervision import views_public

app_name = "bulletins"

urlpatterns = [
    path("", views_public.bulletin_list, name="list"),
    path("<int:pk>/", views_public.bulletin_detail, name="detail"),
    path("<int:pk>.pdf", views_public.bulletin_pdf, name="pdf"),
]
