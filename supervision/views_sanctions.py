"""效能问责 pages: the ledger (each sees what ``sanctions_visible_to`` allows), one entry with its
appeal (the sanctioned person or unit head) and the decision (the office, not the issuer),
and the 效能告诫书 PDF."""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from efficiency_portal.errors import ApplicationError
from supervision import documents, services
from supervision.models import SanctionAppeal
from supervision.selectors import sanctions_visible_to
from supervision.services.access import is_office
from supervision.services.sanctions import may_appeal


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("申诉理由"), max_length=3000, widget=forms.Textarea({"rows": 4})
    )


class AppealDecisionForm(forms.Form):
    result = forms.ChoiceField(
        label=_("审理结果"), choices=[("upheld", _("维持")), ("revoked", _("撤销"))]
    )
    note = forms.CharField(label=_("审理意见"), max_length=300)


def _login(request):
    return redirect_to_login(request.get_full_path(), reverse("admin:login"))


def sanction_list(request):
    if not request.user.is_authenticated:
        return _login(request)
    page = Paginator(sanctions_visible_to(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/sanctions.html", {"page": page})


def sanction_detail(request, pk: int):
    if not request.user.is_authenticated:
        return _login(request)
    sanction = sanctions_visible_to(user=request.user).filter(pk=pk).first()
    if sanction is None:
        raise Http404
    appeal = SanctionAppeal.objects.filter(sanction=sanction).first()
    appeal_form = decision_form = None
    if appeal is None and may_appeal(request.user, sanction):
        appeal_form = AppealForm(request.POST if "appeal" in request.POST else None)
    if (
        appeal is not None
        and appeal.result == SanctionAppeal.Result.PENDING
        and is_office(request.user)
        and sanction.issued_by_id != request.user.pk
    ):
        decision_form = AppealDecisionForm(request.POST if "decide" in request.POST else None)
    try:
        if appeal_form is not None and appeal_form.is_bound and appeal_form.is_valid():
            services.sanction_appeal(
                actor=request.user, sanction=sanction, reason=appeal_form.cleaned_data["reason"]
            )
            return redirect("supervision:sanction", pk=pk)
        if decision_form is not None and decision_form.is_bound and decision_form.is_valid():
            services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                revoke=decision_form.cleaned_data["result"] == "revoked",
                note=decision_form.cleaned_data["note"],
            )
            return redirect("supervision:sanction", pk=pk)
    except ApplicationError as exc:
        form = appeal_form if "appeal" in request.POST else decision_form
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "supervision/sanction.html",
        {
            "s": sanction,
            "appeal": appeal,
            "appeal_form": appeal_form,
            "decision_form": decision_form,
        },
    )


def warning_letter(request, pk: int):
    if not request.user.is_authenticated:
        return _login(request)
    sanction = sanctions_visible_to(user=request.user).filter(pk=pk).first()
    if sanction is None or not sanction.kind.has_letter:
        raise Http404
    response = HttpResponse(
        documents.warning_letter_pdf(sanction=sanction), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="warning-{sanction.pk}.pdf"'
    return response
