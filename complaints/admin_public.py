"""Admin of the public face's settings (办理公开设置): one row, edited by whoever holds the permission."""

from django.contrib import admin

from complaints.models import PublicPolicy


@admin.register(PublicPolicy)
class PublicPolicyAdmin(admin.ModelAdmin):
    scope_exempt = "办理公开设置是全市统一的配置数据，不属于任何单位。"
    list_display = ("__str__", "ranking_min_cases", "duplicate_min_score", "duplicate_candidates")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PublicPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False  # the pages need the row
