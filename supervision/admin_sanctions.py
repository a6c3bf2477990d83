"""效能问责 in the admin: the ledger (entered through ``sanction_issue``), the proposal queue
(issue / dismiss with a reason), and the ladder and rules (configuration, audited)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from organizations.admin_base import AgencyScopedAdmin, ServiceErrorMixin, export_csv
from supervision import services
from supervision.admin_actions import service_action
from supervision.models import Sanction, SanctionKind, SanctionProposal, ThresholdRule
from supervision.services.config import config_row_save


@admin.register(Sanction)
class SanctionAdmin(AgencyScopedAdmin):
    agency_field = "agency"
    list_display = ("issued_on", "kind", "agency", "person", "source_type", "document_no", "state")
    list_filter = ("kind", "source_type", "state")
    fields = (
        "kind",
        "agency",
        "person",
        "source_type",
        "source_complaint",
        "source_finding",
        "source_outcome",
        "source_deadline",
        "document_no",
        "issued_on",
        "reason",
        "reference_decision",
    )
    raw_id_fields = ("source_complaint", "source_finding", "source_outcome", "source_deadline")

    @classmethod
    def scope_test_factory(cls, agency):
        from model_bakery import baker

        return baker.make(
            Sanction,
            agency=agency,
            source_type="complaint",
            source_complaint=baker.make(
                "complaints.Complaint", agency_accused=agency, handling_agency=agency
            ),
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # the ledger is kept; a wrong entry is revoked on appeal

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        source_field = {
            "complaint": "source_complaint",
            "inspection": "source_finding",
            "ranking": "source_outcome",
            "card": "source_deadline",
        }.get(data["source_type"])
        saved = services.sanction_issue(
            actor=request.user,
            kind=data["kind"],
            agency=data["agency"],
            person=data["person"],
            source_type=data["source_type"],
            source=data.get(source_field) if source_field else None,
            reason=data["reason"],
            document_no=data["document_no"],
            issued_on=data["issued_on"],
            reference_decision=data["reference_decision"],
        )
        obj.pk = saved.pk


@admin.register(SanctionProposal)
class SanctionProposalAdmin(AgencyScopedAdmin):
    agency_field = "agency"
    list_display = ("rule", "agency", "person", "window_key", "count", "state", "decided_by")
    list_filter = ("state", "rule")
    readonly_fields = ("rule", "agency", "person", "window_key", "count", "state", "reason")

    @classmethod
    def scope_test_factory(cls, agency):
        rule = ThresholdRule.objects.filter(counts=ThresholdRule.Counts.RED_CARDS).first()
        return SanctionProposal.objects.create(
            rule=rule, agency=agency, window_key="2026-11", count=3
        )

    actions = [
        export_csv,
        service_action(
            name="issue",
            label=_("作出问责（须说明理由）"),
            service=lambda user, p, reason: services.proposal_issue(
                actor=user, proposal=p, reason=reason
            ),
            needs_reason=True,
        ),
        service_action(
            name="dismiss",
            label=_("不予采纳（须说明理由）"),
            service=lambda user, p, reason: services.proposal_dismiss(
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
        return False  # rules propose

    def has_delete_permission(self, request, obj=None):
        return False


class _ConfigAdmin(ServiceErrorMixin, admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # the ledger refers to them; retire a row instead (is_active)

    def save_model(self, request, obj, form, change):
        config_row_save(actor=request.user, row=obj, changed=form.changed_data, created=not change)


@admin.register(SanctionKind)
class SanctionKindAdmin(_ConfigAdmin):
    scope_exempt = "问责方式阶梯是全市统一的配置，不属于任何单位。"
    list_display = ("name", "code", "severity", "reference_only", "has_letter", "is_active")


@admin.register(ThresholdRule)
class ThresholdRuleAdmin(_ConfigAdmin):
    scope_exempt = "累计问责规则是全市统一的配置，不属于任何单位。"
    list_display = ("name", "counts", "counted_kind", "threshold", "window", "subject", "proposes")
