"""投诉查询: the complainant follows a case with its number and query code, rates, reopens.

* A wrong code and an unknown number give the same message (the selector spends the same
  work on both), and wrong tries are throttled per client (``COMPLAINTS_FOLLOW_LIMIT``).
* After a correct entry the case is remembered in the session, so the citizen is not
  asked again (rating, reopening, coming back from the QR code's ``?no=``).
* Rating and reopening call ``complaint_rate`` / ``complaint_reopen``; their refusals
  (rated already, reopened once already, not dissatisfied) are shown on the form.
* Every reply is shown: those of rounds before a reopen with the rating given to each,
  then the current round's once the case is answered (``selectors.complaint_rounds``).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints import numbers, selectors, services
from complaints.models import Complaint
from complaints.pages import throttle
from complaints.pages.forms import FollowForm, RateForm, ReopenForm
from complaints.selectors import public as public_selectors
from complaints.workflow import ANSWERED_STATES
from efficiency_portal.errors import ApplicationError

_SESSION = "complaints_following"  # {tracking_no: complaint id} opened with the right code


def _remember(request, complaint: Complaint) -> None:
    following = dict(request.session.get(_SESSION, {}))
    following[complaint.tracking_no] = complaint.pk
    request.session[_SESSION] = following


def _remembered(request, tracking_no: str) -> Complaint | None:
    pk = request.session.get(_SESSION, {}).get(numbers.normalise_tracking_no(tracking_no))
    if pk is None:
        return None
    return Complaint.objects.select_related("category", "agency_accused").filter(pk=pk).first()


def _replies(complaint: Complaint, *, answered: bool) -> list:
    """The rounds the complainant was answered in, first to last."""
    return [
        r
        for r in selectors.complaint_rounds(complaint=complaint)
        if (r.reply_text or r.replied_at) and (answered or not r.is_current)
    ]


def _page(request, complaint: Complaint, *, rate_form=None, reopen_form=None, status=200):
    answered = complaint.state in ANSWERED_STATES
    return render(
        request,
        "complaints/public/follow_case.html",
        {
            "complaint": complaint,
            "replies": _replies(complaint, answered=answered),
            "timeline": selectors.complaint_timeline_public(complaint=complaint),
            "step": public_selectors.current_step(complaint=complaint),
            "answered": answered,
            "rate_form": rate_form
            if rate_form is not None
            else (RateForm() if answered and not complaint.citizen_rating else None),
            "reopen_form": reopen_form
            if reopen_form is not None
            else (
                ReopenForm()
                if answered
                and complaint.citizen_rating == Complaint.Rating.DISSATISFIED
                and complaint.reopened_at is None
                else None
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def follow(request):
    """GET ?no=… (the QR code) pre-fills the number, or shows the case if already opened."""
    if request.method == "GET":
        tracking_no = request.GET.get("no", "")[:30]
        complaint = _remembered(request, tracking_no) if tracking_no else None
        if complaint is not None:
            return _page(request, complaint)
        form = FollowForm(initial={"tracking_no": tracking_no})
        return render(request, "complaints/public/follow.html", {"form": form})

    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(request, "complaints/public/follow.html", {"form": form})
    # Counted before the lookup and decided on the count, so concurrent wrong tries cannot
    # all pass one check; a right code gives its hit back below.
    if throttle.hit(request, scope="follow") > settings.COMPLAINTS_FOLLOW_LIMIT:
        form.add_error(None, _("查询错误次数过多，请稍后再试。"))
        return render(request, "complaints/public/follow.html", {"form": form}, status=429)
    complaint = selectors.complaint_get_by_code(
        tracking_no=form.cleaned_data["tracking_no"], query_code=form.cleaned_data["query_code"]
    )
    if complaint is None:
        form.add_error(None, _("投诉编号或查询码不正确，请核对后重试。"))
        return render(request, "complaints/public/follow.html", {"form": form})
    throttle.give_back(request, scope="follow")  # only wrong tries count
    _remember(request, complaint)
    return redirect(f"{reverse('complaints:follow')}?no={complaint.tracking_no}")


def _case_or_login(request):
    complaint = _remembered(request, request.POST.get("tracking_no", ""))
    if complaint is None:  # the session expired: ask for the code again
        return None, redirect(reverse("complaints:follow"))
    return complaint, None


def _back(complaint: Complaint):
    return redirect(f"{reverse('complaints:follow')}?no={complaint.tracking_no}")


@require_POST
def rate(request):
    complaint, elsewhere = _case_or_login(request)
    if elsewhere:
        return elsewhere
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_rate(
                complaint=complaint,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _back(complaint)
    return _page(request, complaint, rate_form=form)


@require_POST
def reopen(request):
    complaint, elsewhere = _case_or_login(request)
    if elsewhere:
        return elsewhere
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(complaint=complaint, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _back(complaint)
    return _page(request, complaint, reopen_form=form)
