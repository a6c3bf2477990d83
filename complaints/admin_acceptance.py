"""接口接收队列 (the API intake queue) in the admin: read-only, for the efficiency office.

Rows are written by ``complaints.acceptance`` only, so nothing here adds, changes or
deletes; the one action, "立即重新立案" (retry now), calls
``complaints.acceptance_ops.accepted_retry_now``.

Who sees it: the queue spans every agency (a row has no handling agency until it is
filed), so it is exempt from agency scoping and open only to a user who holds
``complaints.view_acceptedfiling`` (the 效能办 role) *and* sees every agency.

The complainant's identity: ``payload`` holds it until the row is filed. It is never
a field of this page and is not even loaded (``defer``). ``last_error`` is shown as
its first line, with long digit runs masked, because a database error's DETAIL may
echo the failing row (the full text is in the worker's log).
"""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints import numbers
from complaints.acceptance_ops import WAITING, accepted_retry_now, may_retry
from complaints.models import AcceptedFiling
from efficiency_portal.errors import ApplicationError
from organizations.scoping import user_sees_all

_FIRST_LINE = re.compile(r"\\n|\n|\s+DETAIL:")
_DIGIT_RUN = re.compile(r"\d{7,}")  # a phone or ID number
ERROR_SUMMARY_CHARS = 120


def error_summary(text: str, *, limit: int = ERROR_SUMMARY_CHARS) -> str:
    """The first line of an error, digit runs masked, at most ``limit`` characters."""
    line = _FIRST_LINE.split(text or "", maxsplit=1)[0].strip()
    line = _DIGIT_RUN.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 3), line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


class FilingStateFilter(admin.SimpleListFilter):
    title = _("立案状态")
    parameter_name = "filing"

    def lookups(self, request, model_admin):
        return [
            ("filed", _("已立案")),
            ("waiting", _("排队待立案")),
            ("failing", _("立案失败待重试")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "filed":
                return queryset.filter(filed_at__isnull=False)
            case "waiting":
                return queryset.filter(WAITING, attempts=0)
            case "failing":
                return queryset.filter(WAITING, attempts__gt=0)
        return queryset


@admin.register(AcceptedFiling)
class AcceptedFilingAdmin(admin.ModelAdmin):
    scope_exempt = (
        "接口接收队列横跨所有单位（立案前还没有承办单位），只对可查看全部单位的效能办开放。"
    )
    list_display = (
        "tracking_no",
        "received_at",
        "account",
        "attempts",
        "filed",
        "next_attempt_at",
        "error",
    )
    list_filter = (FilingStateFilter,)
    search_fields = ("tracking_no",)
    list_select_related = ("account",)
    # Acceptance order on the primary key: received_at has no index, and the table
    # keeps every filed row.
    ordering = ("-pk",)
    show_full_result_count = False
    empty_value_display = "—"
    fields = (
        ("tracking_no", "account"),
        ("received_at", "expected_by"),
        "filed",
        ("attempts", "next_attempt_at"),
        "error",
    )
    readonly_fields = [f for row in fields for f in (row if isinstance(row, tuple) else (row,))]
    actions = ["retry_now"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).defer("payload", "query_code_hash", "submission_key_hash")
        )

    def get_search_results(self, request, queryset, search_term):
        """A whole tracking number is looked up on its unique index; anything else as usual."""
        number = numbers.normalise_tracking_no(search_term)
        if numbers.is_valid_tracking_no(number):
            return queryset.filter(tracking_no=number), False
        return super().get_search_results(request, queryset, search_term)

    # --- who may open it: the efficiency office, seeing every agency ----------------

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and user_sees_all(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False  # rows are written by API intake only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a filed row links its complaint; an unfiled one is retried, not dropped

    def has_retry_permission(self, request):
        return self.has_view_permission(request) and may_retry(request.user)

    # --- columns ----------------------------------------------------------------------

    @admin.display(description=_("立案时间"), ordering="filed_at")
    def filed(self, obj):
        """When it was filed, linking to the complaint; a dash while it waits."""
        if obj.complaint_id is None:
            return self.empty_value_display
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:complaints_complaint_change", args=[obj.complaint_id]),
            display_for_value(obj.filed_at, "—"),
        )

    @admin.display(description=_("最近错误"))
    def error(self, obj):
        return error_summary(obj.last_error) or self.empty_value_display

    # --- the action -------------------------------------------------------------------

    @admin.action(description=_("立即重新立案"), permissions=["retry"])
    def retry_now(self, request, queryset):
        selected = queryset.count()
        try:
            changed = accepted_retry_now(rows_qs=queryset, actor=request.user)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "已安排 %(n)d 条立即重新立案。",
                "已安排 %(n)d 条立即重新立案。",
                changed,
            )
            % {"n": changed},
            messages.SUCCESS,
        )
        if changed < selected:
            self.message_user(
                request,
                ngettext(
                    "%(n)d 条已立案或正在立案，未作改动。",
                    "%(n)d 条已立案或正在立案，未作改动。",
                    selected - changed,
                )
                % {"n": selected - changed},
                messages.WARNING,
            )
