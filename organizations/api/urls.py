from rest_framework.routers import DefaultRouter

from organizations.api import views

router = DefaultRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("staff", views.StaffViewSet, basename="staff")

urlpatterns = router.urls
