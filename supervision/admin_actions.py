"""Admin actions that call a service per selected row, with a reason asked for first when the
service needs one. Refusals are shown as messages; nothing else is written for that row."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from efficiency_portal.errors import ApplicationError


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


def run_each(modeladmin, request, queryset, call) -> int:
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, _("已完成 %(n)s 项。") % {"n": done}, messages.SUCCESS)
    return done


def service_action(*, name: str, label, service, needs_reason: bool = False, permission="change"):
    """An admin action calling ``service(actor=…, <target>=obj[, reason=…])`` for each row."""

    @admin.action(description=label, permissions=[permission])
    def action(modeladmin, request, queryset):
        if not needs_reason:
            run_each(modeladmin, request, queryset, lambda obj: service(request.user, obj, ""))
            return None
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            run_each(modeladmin, request, queryset, lambda obj: service(request.user, obj, reason))
            return None
        return TemplateResponse(
            request,
            "admin/supervision/reason_form.html",
            {
                **modeladmin.admin_site.each_context(request),
                "opts": modeladmin.model._meta,
                "title": label,
                "objects": list(queryset),
                "form": form,
                "action": name,
            },
        )

    action.__name__ = name
    return action
