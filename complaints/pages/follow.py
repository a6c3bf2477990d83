"""投诉查询: the complainant follows a case with its number and query code, rates, reopens.

* A wrong code and an unknown number give the same message (the selector spends the same
  work on both), and wrong tries are throttled per client (``COMPLAINTS_FOLLOW_LIMIT``).
* After a correct entry the case is remembered in the session, so the citizen is not
  asked again (rating, reopening, coming back from the QR code's ``?no=``).
* Rating and reopening call ``complaint_rate`` / ``complaint_reopen``; their refusals
  (rated already, reopened once already, not dissatisfied) are shown on the form.
* Every reply is shown: those of rounds before a reopen with the rating given to each,
  then the current round's once the case is answered (``selectors.complaint_rounds``),
  each with the remedies its finding decided, worded for the public (no person's name).
* The complainant's own text and files (downloadable only in the session that proved the
  code: ``own_file``), and what they added since; while the case is open they may add
  more (补充材料: ``supplement`` → ``complaint_add_material``), text and/or files checked
  and kept between tries as on the intake form, posts throttled per client
  (``COMPLAINTS_SUPPLEMENT_LIMIT``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import files, numbers, selectors, services
from complaints.models import Complaint
from complaints.pages import stash, throttle
from complaints.pages.forms import FollowForm, RateForm, ReopenForm, SupplementForm
from complaints.pages.intake import earlier_files, keep_uploads
from complaints.selectors import complainant as complainant_selectors
from complaints.selectors import public as public_selectors
from complaints.workflow import ANSWERED_STATES, OPEN_STATES
from efficiency_portal.clients import client_address
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


def _with_remedies(complaint: Complaint, rounds: list) -> list:
    """Each round shown with the remedies its finding decided (``r.remedies``)."""
    remedies = complainant_selectors.complainant_remedies(complaint=complaint)
    for r in rounds:
        r.remedies = remedies.get(r.number, [])
    return rounds


def _own(complaint: Complaint, supplement_form=None, kept=()) -> dict:
    """The complainant's own text, files and additions, and the 补充材料 form while open."""
    if supplement_form is None and complaint.state in OPEN_STATES:
        supplement_form = SupplementForm(
            initial={"upload_token": stash.new_token(), "submission_key": secrets.token_urlsafe(24)}
        )
    return {
        "own_files": complainant_selectors.complainant_files(complaint=complaint),
        "supplements": complainant_selectors.complainant_supplements(complaint=complaint),
        # A refused post (the case closed meanwhile) comes back with its text and reason.
        "supplement_form": supplement_form,
        "supplement_kept": kept,
        "max_files": settings.COMPLAINTS_ATTACHMENT_MAX_COUNT,
        "max_bytes": settings.COMPLAINTS_ATTACHMENT_MAX_BYTES,
    }


def _page(
    request,
    complaint: Complaint,
    *,
    rate_form=None,
    reopen_form=None,
    supplement_form=None,
    kept=(),
    status=200,
):
    answered = complaint.state in ANSWERED_STATES
    return render(
        request,
        "complaints/public/follow_case.html",
        {
            "complaint": complaint,
            **_own(complaint, supplement_form, kept),
            "replies": _with_remedies(complaint, _replies(complaint, answered=answered)),
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


@require_POST
def supplement(request):
    """补充材料: text and/or files added by the complainant while the case is open.

    Files are checked and kept between tries as on the intake form (``stash``); the
    service refuses a case no longer open, with its reason on the form.
    """
    complaint, elsewhere = _case_or_login(request)
    if elsewhere:
        return elsewhere
    form = SupplementForm(request.POST, request.FILES)
    token = request.POST.get("upload_token", "")
    if not stash.valid_token(token):
        token = stash.new_token()
    form.data = form.data.copy()
    form.data["upload_token"] = token
    if throttle.hit(request, scope="supplement") > settings.COMPLAINTS_SUPPLEMENT_LIMIT:
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试。您填写的内容已保留。"))
        earlier = earlier_files(form, token)
        if request.FILES:  # a refused post keeps nothing new on the server
            form.add_error("attachments", _("本次选择的附件未能保留，请稍后重新选择。"))
        return _page(request, complaint, supplement_form=form, kept=earlier, status=429)
    kept = keep_uploads(request, form, token)
    if form.is_valid():
        try:
            services.complaint_add_material(
                complaint=complaint,
                text=form.cleaned_data["text"],
                files=stash.as_uploads(kept),
                submission_key=form.cleaned_data["submission_key"],
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            stash.clear(token)
            messages.success(request, _("补充材料已提交，办理人员会收到通知。"))
            return _back(complaint)
    saved = stash.save(token, kept, client=client_address(request))
    if saved.refused:
        form.add_error("attachments", stash.refused_message(saved.refused))
    return _page(request, complaint, supplement_form=form, kept=saved.kept)


@require_GET
def own_file(request, pk: int):
    """One of the complainant's own files, for the session that proved the query code only."""
    attachment = complainant_selectors.complainant_file(
        complaint_ids=request.session.get(_SESSION, {}).values(), pk=pk
    )
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        # Named and typed by the sniffed type, never by the name the file had (as for staff).
        filename=files.download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
