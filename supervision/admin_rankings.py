"""Ranking schemes, rankings and their outcome proposals in the admin; every change is a service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from organizations.admin_base import AgencyScopedAdmin, ServiceErrorMixin, export_csv
from supervision import periods, services
from supervision.admin_actions import service_action
from supervision.models import OutcomeProposal, OutcomeRule, Ranking, RankingRow, RankingScheme


def _parse_weights(text: str) -> dict[str, Decimal | str]:
    """``code: weight`` per line (the weights are validated by the service)."""
    weights: dict[str, Decimal | str] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, _sep, raw = line.partition(":")
        try:
            weights[code.strip()] = Decimal(raw.strip())
        except InvalidOperation:
            weights[code.strip()] = raw.strip()
    return weights


class SchemeForm(forms.ModelForm):
    weights_text = forms.CharField(
        label=_("指标与权重"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=_("每行一个：指标代码: 权重，如 complaints.handle_on_time: 30"),
    )

    class Meta:
        model = RankingScheme
        fields = ["code", "name", "period_kind", "categories"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["weights_text"].initial = "\n".join(
                f"{w.indicator}: {w.weight}" for w in self.instance.weights.all()
            )
            self.fields["code"].disabled = True
            self.fields["period_kind"].disabled = True


class OutcomeRuleInline(admin.TabularInline):
    model = OutcomeRule
    extra = 0
    fields = ("kind", "count", "label", "sanction_kind")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _compute(user, scheme, reason):
    period = periods.current(scheme.period_kind).shifted(-1)
    return services.ranking_compute(actor=user, scheme=scheme, period=period, reason=reason)


@admin.register(RankingScheme)
class RankingSchemeAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "排名方案是全市统一的考评规则，不属于任何单位。"
    form = SchemeForm
    list_display = ("name", "code", "version", "period_kind", "is_active", "created_at")
    list_filter = ("period_kind", "is_active")
    inlines = [OutcomeRuleInline]
    actions = [
        service_action(
            name="compute_last_period",
            label=_("计算上一统计期排名"),
            service=lambda user, scheme, reason: _compute(user, scheme, ""),
        ),
        service_action(
            name="recompute_last_period",
            label=_("重新计算上一统计期排名（须说明原因）"),
            service=_compute,
            needs_reason=True,
        ),
        service_action(
            name="revise",
            label=_("另存为新版本"),
            service=lambda user, scheme, reason: services.scheme_revise(actor=user, scheme=scheme),
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # published rankings keep their scheme

    @classmethod
    def admin_test_factory(cls, user):
        """A scheme not yet used by a published ranking (one that is, is frozen and refuses edits)."""
        from organizations import services as org_services
        from organizations.models import AgencyCategory

        category = AgencyCategory.objects.get(code="government")
        org_services.agency_create(
            actor=None, code="T-WALK", name="测试单位", category=category, short_name="测试"
        )
        return services.scheme_create(
            actor=user,
            code="test-admin-walk",
            name="测试方案",
            period_kind="quarter",
            categories=[category],
            weights={"complaints.received": 1},
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        weights = _parse_weights(data["weights_text"])
        if change:
            services.scheme_update(
                actor=request.user,
                scheme=obj,
                name=data["name"],
                categories=data["categories"],
                weights=weights,
            )
            return
        scheme = services.scheme_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            period_kind=data["period_kind"],
            categories=data["categories"],
            weights=weights,
        )
        obj.pk = scheme.pk
        obj.version = scheme.version

    def save_related(self, request, form, formsets, change):
        """The service wrote the categories and weights (and audited them); the inline's rows
        are not saved here, which Django's change message must be told."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class RankingRowInline(admin.TabularInline):
    model = RankingRow
    extra = 0
    fields = ("category", "agency", "composite", "rank")
    readonly_fields = fields
    can_delete = False
    ordering = ("category", "rank")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ranking)
class RankingAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "排名覆盖全市所有参评单位，只向效能办和领导开放（权限控制）。"
    list_display = ("scheme", "period_key", "version", "state", "computed_at", "published_at")
    list_filter = ("state", "period_kind", "code")
    readonly_fields = (
        "scheme",
        "period_kind",
        "period_start",
        "version",
        "state",
        "reason",
        "computed_at",
        "computed_by",
        "published_at",
        "published_by",
    )
    exclude = ("code",)
    inlines = [RankingRowInline]
    actions = [
        service_action(
            name="publish",
            label=_("发布所选排名"),
            service=lambda user, ranking, reason: services.ranking_publish(
                actor=user, ranking=ranking
            ),
        )
    ]

    @admin.display(description=_("统计期"))
    def period_key(self, obj):
        return obj.period.label

    def has_change_permission(self, request, obj=None):
        # Decided through the list's actions (services with audit); the page itself is read-only.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        raise PermissionDenied  # never reached: the page is read-only (see above)

    def save_related(self, request, form, formsets, change):
        raise PermissionDenied  # its rows are written by the ranking services only

    def has_add_permission(self, request):
        return False  # computed from a scheme (action on the scheme list)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutcomeProposal)
class OutcomeProposalAdmin(AgencyScopedAdmin):
    agency_field = "agency"
    list_display = ("agency", "label", "rank", "ranking", "state", "decided_by", "decided_at")
    list_filter = ("state", "label")
    readonly_fields = (
        "ranking",
        "rule",
        "agency",
        "label",
        "rank",
        "state",
        "decided_by",
        "decided_at",
        "reason",
    )
    actions = [
        export_csv,
        service_action(
            name="issue",
            label=_("作出所选结果"),
            service=lambda user, p, reason: services.outcome_issue(actor=user, proposal=p),
        ),
        service_action(
            name="dismiss",
            label=_("不予采纳（须说明理由）"),
            service=lambda user, p, reason: services.outcome_dismiss(
                actor=user, proposal=p, reason=reason
            ),
            needs_reason=True,
        ),
    ]

    def has_change_permission(self, request, obj=None):
        # Decided through the list's actions (services with audit); the page itself is read-only.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        raise PermissionDenied  # never reached: the page is read-only (see above)

    def has_add_permission(self, request):
        return False  # proposed by publishing a ranking

    def has_delete_permission(self, request, obj=None):
        return False
