"""我的通知 (my inbox): each staff member's in-app notices, opened with a POST that marks one read.

Opening a notice from the list (its title) or from its page (打开) is a POST: it marks
the notice read and lands on its case. Its page itself is a GET and changes nothing
(tests/ops/test_get_never_writes.py); a digest's page lists its items, each with the
link to its case. 全部标为已读 marks all of them read.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from efficiency_portal.errors import ApplicationError
from organizations.admin_base import DeclaredFiltersOnly
from timelimits.models import Notification


class UnreadFilter(admin.SimpleListFilter):
    title = _("阅读状态")
    parameter_name = "unread"

    def lookups(self, request, model_admin):
        return [("1", _("未读")), ("0", _("已读"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.action(description=_("标记为已读"))
def mark_read(modeladmin, request, queryset):
    from timelimits.outbox import notifications_mark_read

    notifications_mark_read(user=request.user, ids=list(queryset.values_list("pk", flat=True)))


@admin.register(Notification)
class NotificationAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    """我的通知 (my inbox): every staff member sees the in-app notices sent to them, no one else's."""

    scope_exempt = "通知按接收人过滤：每人只看到发给自己的站内通知"
    list_display = ("created_at", "title", "unread_badge")
    list_display_links = ("created_at",)  # the notice's page; the title opens its case
    list_filter = (UnreadFilter,)
    search_fields = ("subject", "body")
    fields = ("shown_subject", "body", "items", "created_at", "read_at")
    readonly_fields = fields
    actions = [mark_read]
    change_form_template = "admin/timelimits/notification/change_form.html"
    change_list_template = "admin/timelimits/notification/change_list.html"

    @classmethod
    def admin_test_factory(cls, user):
        """A notice in ``user``'s inbox (tests/organizations/test_admin_writes_everywhere.py)."""
        from timelimits.outbox import notify

        notify(recipient=user, subject="测试通知", dedupe_key=f"admin-test:{user.pk}")
        return Notification.objects.get(recipient=user, dedupe_key=f"admin-test:{user.pk}")

    def get_queryset(self, request):
        from timelimits.selectors import inbox_for

        return inbox_for(user=request.user)

    @admin.display(description=_("标题"))
    def title(self, obj):
        # A submit button of the list's own form (which carries the CSRF token) posting to
        # the notice's open URL: a form inside a form is not allowed.
        return format_html(
            '<button type="submit" class="notice-open" formaction="{}" formmethod="post"'
            " formnovalidate>{}</button>",
            reverse("admin:timelimits_notification_open", args=[obj.pk]),
            format_html("<strong>{}</strong>", obj.display_subject())
            if obj.read_at is None
            else obj.display_subject(),
        )

    @admin.display(description=_("标题"))
    def shown_subject(self, obj):
        return obj.display_subject()

    @admin.display(description=_("汇总事项"))
    def items(self, obj):
        rows = [(item.link or "#", item.display_subject()) for item in obj.digest_items.all()]
        if not rows:
            return "-"
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', rows)
        )

    @admin.display(description=_("状态"))
    def unread_badge(self, obj):
        return _("已读") if obj.read_at else format_html("<strong>{}</strong>", _("未读"))

    def changelist_view(self, request, extra_context=None):
        from timelimits.selectors import unread_count

        count = unread_count(user=request.user)
        extra_context = {
            **(extra_context or {}),
            "title": _("我的通知（%(n)s 条未读）") % {"n": count},
            "unread": count,
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/read/", view(self.read_view), name="timelimits_notification_read"),
            path("<int:pk>/open/", view(self.open_view), name="timelimits_notification_open"),
            path("read-all/", view(self.read_all_view), name="timelimits_notification_read_all"),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def read_view(self, request, pk: int):
        """标记为已读 from the notice's page: a POST (with CSRF), never a side effect of opening it."""
        from timelimits.outbox import notifications_mark_read

        notifications_mark_read(user=request.user, ids=[pk])
        return HttpResponseRedirect(reverse("admin:timelimits_notification_changelist"))

    @method_decorator(require_POST)
    def open_view(self, request, pk: int):
        """Open a notice: marked read, then its case (a digest: its own page with the items)."""
        from timelimits.outbox import notification_open

        try:
            notice = notification_open(user=request.user, pk=pk)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        own_page = reverse("admin:timelimits_notification_change", args=[notice.pk])
        target = notice.link if notice.link.startswith("/") else ""
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}
        ):
            target = own_page
        return HttpResponseRedirect(target)

    @method_decorator(require_POST)
    def read_all_view(self, request):
        from timelimits.outbox import notifications_mark_read

        count = notifications_mark_read(user=request.user)
        self.message_user(request, _("已将 %(n)s 条通知标为已读。") % {"n": count}, messages.INFO)
        return HttpResponseRedirect(reverse("admin:timelimits_notification_changelist"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
