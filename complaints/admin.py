"""Admin registration (expanded in complaints.admin_case)."""

from django.contrib import admin

from complaints.models import Complaint
from organizations.admin_base import AgencyScopedAdmin


@admin.register(Complaint)
class ComplaintAdmin(AgencyScopedAdmin):
    agency_field = "handling_agency"
