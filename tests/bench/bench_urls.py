"""The portal's URLs plus the baseline: a bare Django view that inserts one row."""

from django.urls import path

from efficiency_portal.urls import urlpatterns as portal_urlpatterns
from tests.bench import bench_views

urlpatterns = [
    path("bench/insert/", bench_views.insert_one),
    *portal_urlpatterns,
]
