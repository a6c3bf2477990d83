from rest_framework.routers import SimpleRouter

from complaints.integrations.api import views

router = SimpleRouter()  # organizations.api already serves the API root
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("complaint-stats", views.ComplaintStatsViewSet, basename="complaint-stats")

urlpatterns = router.urls
