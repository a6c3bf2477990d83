"""Admin of the public face's settings (办理公开设置): one row, edited by whoever holds the permission."""

from django.contrib import admin

from complaints.models import PublicPolicy
from complaints.services import configuration as services_config
from organizations.admin_base import ServiceErrorMixin


@admin.register(PublicPolicy)
class PublicPolicyAdmin(ServiceErrorMixin, admin.ModelAdmin):
    """Every save is ``public_policy_update`` (audited, before → after)."""

    scope_exempt = "办理公开设置是全市统一的配置数据，不属于任何单位。"
    list_display = ("__str__", "ranking_min_cases", "duplicate_min_score", "duplicate_candidates")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PublicPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False  # the pages need the row

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services_config.public_policy_update(
            actor=request.user,
            **{name: data[name] for name in services_config.PUBLIC_POLICY_FIELDS if name in data},
        )
        obj.pk = saved.pk
