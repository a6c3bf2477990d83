"""Open data URLs (namespace ``open_data``): stable, one per dataset and format."""

from django.urls import path

from supervision import views_public

app_name = "open_data"

urlpatterns = [
    path("", views_public.open_data_index, name="index"),
    path("dictionary.json", views_public.open_data_dictionary, name="dictionary"),
    path("<slug:name>.<str:fmt>", views_public.open_data_dataset, name="dataset"),
]
