"""Admin of the public face's settings (办理公开设置), one row, and of 答复审核规则; edited by whoever
holds the permission, each save through an audited service."""

from django.contrib import admin

from complaints.models import PublicPolicy, ReplyReviewRule
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


@admin.register(ReplyReviewRule)
class ReplyReviewRuleAdmin(ServiceErrorMixin, admin.ModelAdmin):
    """答复审核规则; every save is ``reply_review_rule_save`` (audited, before → after)."""

    scope_exempt = "答复审核规则是全市统一的配置数据，不属于任何单位。"
    list_display = ("__str__", "category", "outcome", "review_required", "note")
    list_editable = ("review_required",)
    list_filter = ("review_required", "outcome")
    fields = ("category", "outcome", "review_required", "note")

    def has_delete_permission(self, request, obj=None):
        return False  # a rule is switched, not removed: the change stays on record

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services_config.reply_review_rule_save(
            actor=request.user,
            rule=obj if change else None,
            **{n: data[n] for n in services_config.REPLY_REVIEW_RULE_FIELDS if n in data},
        )
        obj.pk = saved.pk
