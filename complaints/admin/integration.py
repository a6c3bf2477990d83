"""接入账号 in the admin: make, rotate and revoke the accounts other systems file with.

The office and the system administrators hold the permissions. Every write is a
service of ``complaints.integrations.accounts`` (audited). A new or rotated token is shown
once, on the page that answers the POST (``Cache-Control: no-store``), and never
again: it is not put in a message, the session or the log (DRF's token admin,
which lists every key, is unregistered).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import TokenProxy

from complaints.integrations import accounts
from complaints.models import IntegrationAccount
from efficiency_portal.errors import ApplicationError
from organizations.admin_base import ServiceErrorMixin
from organizations.models import Agency

# DRF's token list would show every key at any time; accounts are managed below instead.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


class IntegrationAccountCreateForm(forms.ModelForm):
    agency = forms.ModelChoiceField(
        label=_("所属单位"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        help_text=_(
            "选择单位后，该账号可读取该单位可见的投诉；不选则只能提交投诉（如 12345 热线）。"
        ),
    )

    class Meta:
        model = IntegrationAccount
        fields = ("name", "agency")


@admin.register(IntegrationAccount)
class IntegrationAccountAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "接入账号由效能办或系统管理员统一管理，账号本身不属于某个单位的业务数据"
    list_display = ("name", "agency", "username", "status", "created_at", "last_used_at")
    list_select_related = ("agency", "user")
    search_fields = ("name",)
    fields = (
        "name",
        "username",
        "agency",
        "created_at",
        "created_by",
        "rotated_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
    )
    readonly_fields = fields[1:]
    change_form_template = "admin/complaints/integrationaccount/change_form.html"

    @admin.display(description=_("用户名"))
    def username(self, obj):
        return obj.user.username

    @admin.display(description=_("状态"))
    def status(self, obj):
        return _("已停用") if obj.is_revoked else _("使用中")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = IntegrationAccountCreateForm
            kwargs["fields"] = ("name", "agency")
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("name", "agency") if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: audit rows and complaints point at the account

    def save_model(self, request, obj, form, change):
        if change:
            accounts.integration_account_rename(
                actor=request.user, account=obj, name=form.cleaned_data["name"]
            )
            return
        token = accounts.integration_account_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            agency=form.cleaned_data.get("agency"),
        )
        obj.pk = token.user.integration_account.pk
        request._issued_token = token  # for response_add, this request only

    def response_add(self, request, obj, post_url_continue=None):
        token = getattr(request, "_issued_token", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        return self._show_key_once(request, obj, token.key, _("接入账号已创建"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/rotate/",
                wrap(self.rotate_view),
                name="complaints_integrationaccount_rotate",
            ),
            path(
                "<int:pk>/revoke/",
                wrap(self.revoke_view),
                name="complaints_integrationaccount_revoke",
            ),
            *super().get_urls(),
        ]

    def _account(self, request, pk: int) -> IntegrationAccount | None:
        if not self.has_change_permission(request):
            return None
        return self.get_queryset(request).filter(pk=pk).first()

    @method_decorator(require_POST)
    def rotate_view(self, request, pk: int):
        account = self._account(request, pk)
        if account is None:
            raise PermissionDenied
        try:
            token = accounts.integration_account_rotate(actor=request.user, account=account)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(self._change_url(account))
        return self._show_key_once(request, account, token.key, _("密钥已更换，旧密钥立即失效"))

    @method_decorator(require_POST)
    def revoke_view(self, request, pk: int):
        account = self._account(request, pk)
        if account is None:
            raise PermissionDenied
        accounts.integration_account_revoke(actor=request.user, account=account)
        messages.success(request, _("接入账号“%(name)s”已停用。") % {"name": account.name})
        return HttpResponseRedirect(self._change_url(account))

    @staticmethod
    def _change_url(account) -> str:
        return reverse("admin:complaints_integrationaccount_change", args=[account.pk])

    @method_decorator(never_cache)
    def _show_key_once(self, request, account, key: str, title):
        return TemplateResponse(
            request,
            "admin/complaints/integrationaccount/key.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": account,
                "title": title,
                "key": key,
                "change_url": self._change_url(account),
            },
        )
