"""Complaints in the admin: the case list with lights, the case page with its clock, buttons and
timeline; the worklist (待办) is ``worklist.py``.

Scoping: ``agency_field`` is the handling agency (承办单位), which owns a case;
``get_queryset`` widens it through ``complaints.selectors`` to the accused and
joint agencies once the case is routed. The complainant's identity is never a
form field: the page shows what ``complaints.privacy`` allows, and the full
record opens only through the "查看完整信息" form, which logs the reason.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyInline
from complaints import duplicates, privacy, selectors, services
from complaints.admin import forms as admin_forms
from complaints.admin.actions import ACTIONS, buttons_for, may_press
from complaints.admin.columns import CaseColumns
from complaints.admin.duties import EndorsementFilter
from complaints.admin.lists import AgeFilter, LightFilter, with_lights
from complaints.admin.reply import ReplyDraftInline
from complaints.admin.supervision import SupervisionInline
from complaints.admin.timeline import EventInline, staff_column
from complaints.admin.worklist import worklist_view
from complaints.documents import DOCUMENTS
from complaints.models import (
    AccessLog,
    Attachment,
    Complaint,
    ComplaintCategory,
    Endorsement,
    ExtensionRequest,
    HandlingRound,
    RejectionFiling,
    Remedy,
)
from complaints.selectors.clock import complaint_clock_panel
from complaints.services import configuration as services_config
from complaints.workflow import OPEN_STATES
from efficiency_portal.errors import ApplicationError
from organizations.admin_base import AgencyScopedAdmin, ServiceErrorMixin


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("kind", "download", "content_type", "size", "uploaded_by_name", "uploaded_at")
    readonly_fields = fields
    uploaded_by_name = staff_column("uploaded_by", _("上传人"))

    @admin.display(description=_("文件"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("complaints:attachment", args=[obj.pk]),
            obj.original_name,
        )


class RemedyInline(ReadOnlyInline):
    model = Remedy
    fields = (
        "round_no",
        "kind",
        "against_agency",
        "against_person",
        "amount",
        "note",
        "recorded_by_name",
    )
    readonly_fields = fields
    recorded_by_name = staff_column("recorded_by", _("记录人"))


class HandlingRoundInline(admin.StackedInline):
    """The rounds before a reopen, as they ended; the current round is the case's own fields."""

    model = HandlingRound
    extra = 0
    can_delete = False
    fields = (
        ("number", "reopened_at", "reopened_by_name"),
        "reopen_reason",
        ("outcome", "concluded_at"),
        "findings",
        ("replied_at", "feedback_form"),
        "reply_text",
        ("callback_rating", "citizen_rating", "rated_at"),
        "citizen_comment",
        "closed_at",
    )
    readonly_fields = [f for row in fields for f in (row if isinstance(row, tuple) else (row,))]
    reopened_by_name = staff_column("reopened_by", _("经办人"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("反馈表"))
    def feedback_form(self, obj):
        url = reverse("complaints:document", args=[obj.complaint_id, "feedback"])
        return format_html(
            '<a href="{}?round={}" target="_blank" rel="noopener">{}</a>',
            url,
            obj.number,
            _("打印本轮反馈表"),
        )


class ExtensionInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = (
        "status",
        "reason",
        "requested_by_name",
        "requested_at",
        "decided_by_name",
        "decision_note",
    )
    readonly_fields = fields
    requested_by_name = staff_column("requested_by", _("申请人"))
    decided_by_name = staff_column("decided_by", _("审批人"))


class EndorsementInline(ReadOnlyInline):
    """领导批示: what asked for it, and the leader's text once given (complaints.duties)."""

    model = Endorsement
    fields = ("round_no", "rules", "requested_at", "leader_name", "endorsed_at", "text")
    readonly_fields = fields
    leader_name = staff_column("leader", _("批示领导"))


@admin.register(Complaint)
class ComplaintAdmin(CaseColumns, AgencyScopedAdmin):
    agency_field = "handling_agency"

    class Media:
        css = {"all": ("css/admin_worklist.css",)}

    # Seven narrow columns beside the filter sidebar fit a 1366 px screen (tests/e2e): the light,
    # the due date and the time left share one column, agencies go by their short names.
    list_display = (
        "tracking_no",
        "clock",
        "state",
        "short_title",
        "category",
        "accused",
        "handler",
    )
    list_filter = (
        LightFilter,
        "state",
        "category",
        ("agency_accused", admin.RelatedOnlyFieldListFilter),
        ("handling_agency", admin.RelatedOnlyFieldListFilter),
        AgeFilter,
        "is_urgent",
        EndorsementFilter,
    )
    search_fields = ("tracking_no", "title")
    date_hierarchy = "submitted_at"
    list_select_related = ("category", "agency_accused", "handling_agency")
    fields = (
        ("tracking_no", "state", "is_urgent", "channel"),
        ("category", "agency_accused", "accused_person"),
        "title",
        "description",
        ("routing", "handling_agency"),
        ("first_receiver_name", "responsible_name"),
        ("submitted_at", "registered_at", "routed_at", "return_due_at"),
        ("signed_at", "concluded_at", "replied_at", "closed_at"),
        ("round_no", "outcome", "findings"),
        "reply_text",
        ("callback_rating", "citizen_rating", "citizen_comment"),
        "merged_into",
    )
    readonly_fields = [f for row in fields for f in (row if isinstance(row, tuple) else (row,))]
    inlines = [
        AttachmentInline,
        HandlingRoundInline,
        RemedyInline,
        ReplyDraftInline,
        ExtensionInline,
        SupervisionInline,
        EndorsementInline,
        EventInline,
    ]
    change_form_template = "admin/complaints/complaint/change_form.html"

    @classmethod
    def scope_test_factory(cls, agency):
        from model_bakery import baker

        return baker.make(Complaint, handling_agency=agency, agency_accused=agency)

    def get_queryset(self, request):
        qs = selectors.complaint_list_visible_to(
            user=request.user, queryset=Complaint.objects.all()
        )
        return with_lights(qs)

    def has_add_permission(self, request):
        return False  # complaints arrive through intake (web, API, Open311)

    def has_change_permission(self, request, obj=None):
        # The case page is read-only for everyone, a superuser included: a POST to it is
        # refused (403) and never saves the row. Every change is a button on the page,
        # which calls the workflow's service (action_view).
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a case is never deleted; it is rejected, merged or closed

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/act/<slug:name>/", wrap(self.action_view), name="complaints_complaint_act"
            ),
            path("<int:pk>/reveal/", wrap(self.reveal_view), name="complaints_complaint_reveal"),
            path(
                "worklist/",
                wrap(lambda request: worklist_view(self, request)),
                name="complaints_complaint_worklist",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        complaint = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if complaint is not None:
            extra_context.update(
                complainant=privacy.complainant_for(request.user, complaint),
                may_reveal=privacy.may_see_identity(request.user, complaint),
                buttons=buttons_for(request.user, complaint),
                clock=complaint_clock_panel(complaint=complaint),
                documents=list(DOCUMENTS.items()),
                # Duplicate suggestions (complaints.duplicates); merging stays a person's decision.
                similar=duplicates.similar_to_complaint(complaint=complaint, user=request.user)
                if complaint.state in OPEN_STATES
                else [],
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _case(self, request, pk: int) -> Complaint:
        complaint = self.get_queryset(request).filter(pk=pk).first()
        if complaint is None:
            raise Http404
        return complaint

    def action_view(self, request, pk: int, name: str):
        complaint = self._case(request, pk)
        if name not in ACTIONS or not may_press(request.user, complaint, name):
            raise Http404
        action = ACTIONS[name]
        bound = request.method == "POST"
        # A form built for one case (督办: its agency's staff, its open 督办) gets the case.
        case = {"complaint": complaint, "user": request.user}
        form = action.form(
            request.POST if bound else None,
            request.FILES if bound else None,
            initial=action.initial(complaint) if action.initial else None,
            **(case if getattr(action.form, "needs_case", False) else {}),
        )
        # "预览" (a screen's preview button) shows what would be sent and changes nothing.
        if bound and "_preview" not in request.POST and form.is_valid():
            try:
                done = action.run(complaint, request.user, form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                # A run may say what happened in its own words (a reply kept as a draft).
                done = done if isinstance(done, str) else action.label
                self.message_user(request, _("已完成：%(a)s") % {"a": done}, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:complaints_complaint_change", args=[complaint.pk])
                )
        return TemplateResponse(
            request,
            "admin/complaints/complaint/action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": complaint,
                "title": f"{action.label} · {complaint.tracking_no}",
                "form": form,
                **(action.context(request, complaint, form) if action.context else {}),
            },
        )

    def reveal_view(self, request, pk: int):
        complaint = self._case(request, pk)
        form = admin_forms.ReasonForm(request.POST if request.method == "POST" else None)
        full = None
        if request.method == "POST" and form.is_valid():
            try:
                full = services.complaint_reveal_identity(
                    complaint=complaint, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as exc:
                form.add_error("reason", exc.message)
        return TemplateResponse(
            request,
            "admin/complaints/complaint/reveal.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": complaint,
                "title": _("查看投诉人完整信息 · %(no)s") % {"no": complaint.tracking_no},
                "form": form,
                "full": full,
            },
        )


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(ServiceErrorMixin, admin.ModelAdmin):
    """Categories through ``category_save`` (audited), the list's quick edits included."""

    scope_exempt = "投诉类别是全市统一的配置数据，不属于任何单位。"
    list_display = ("name", "code", "is_urgent", "is_active", "order")
    list_editable = ("is_urgent", "is_active", "order")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()  # other systems file by code

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services_config.category_save(
            actor=request.user,
            category=obj if change else None,
            **{name: data[name] for name in services_config.CATEGORY_FIELDS if name in data},
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # complaints point at their category: retire it by switching it off


@admin.register(RejectionFiling)
class RejectionFilingAdmin(AgencyScopedAdmin):
    """否定报备 for the office's review; a rejected case has no handling agency, so only the office sees it."""

    agency_field = "complaint__handling_agency"
    list_display = ("complaint", "reason", "rejected_by", "filed_at", "review")
    list_filter = ("review",)
    readonly_fields = (
        "complaint",
        "reason",
        "rejected_by",
        "filed_at",
        "review",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # reviewed with the button on the case page (a service)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(AgencyScopedAdmin):
    agency_field = "complaint__handling_agency"
    list_display = ("complaint", "user", "opened_at", "reason")
    readonly_fields = ("complaint", "user", "opened_at", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
