from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("agencies/", views.agency_directory, name="agencies"),
    path("key-posts/", views.key_posts, name="key_posts"),
    path("on-duty/", views.duty_board, name="duty_board"),
    path("on-duty/<int:agency_id>/", views.duty_board, name="duty_board_agency"),
]
