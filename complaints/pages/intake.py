"""我要投诉: the citizen's intake form, its duplicate check, and the once-only receipt.

POST, in order:
1. throttle per client (``COMPLAINTS_INTAKE_LIMIT`` posts a window) — 429 with the form kept;
2. new uploads are checked one by one; good ones join the files kept from earlier tries
   (``stash``), bad ones become the attachments field's error;
3. "查找单位" only narrows the agency list, and "发送验证码" only sends the SMS code
   (``phone_codes``, when ``COMPLAINTS_SMS_VERIFY`` is on); both show the form again;
4. every check at once — the form's fields, the complainant's contact (``IntakeForm.clean``
   runs the intake's own rules), the files, the SMS code of a real-name filing — so one
   answer names every problem; then the form again, everything typed and every good
   file kept (on disk, until the next try: ``stash.save``; a file the stash's bounds
   refuse is named on the form);
5. unless the citizen chose "file mine anyway" (or this is a replay of a form already
   filed), open complaints like this one against the same agency are suggested — as the
   public pages would show them (masked title, step, agency), never as filed — beside
   the errors when there are any, so they do not come one answer later;
6. ``complaint_submit`` (idempotent on the hidden submission key: a double click files once);
   its errors go to their fields; on success the receipt is put in the session and shown
   once on the next page (POST/redirect/GET).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.masking import mask_phone
from complaints import duplicates, phone_codes, services
from complaints.files import check_upload
from complaints.models import Complaint
from complaints.pages import stash, throttle
from complaints.pages.forms import IntakeForm
from complaints.selectors import public as public_selectors
from efficiency_portal.clients import client_address
from efficiency_portal.errors import ApplicationError

_RECEIPT = "complaints_receipt"
_SIMILAR_SALT = "complaints.similar"
_SERVICE_FIELDS = (
    "agency_accused",
    "category",
    "title",
    "description",
    "accused_person",
    "anonymous",
    "consent_share_identity",
    "complainant_name",
    "complainant_phone",
    "complainant_email",
    "complainant_id_number",
)


def _render(request, form, kept, *, similar=(), code_sent=None, status=200):
    return render(
        request,
        "complaints/public/intake.html",
        {
            "form": form,
            "kept": kept,
            "code_sent": code_sent,
            "sms_verify": "sms_code" in form.fields,
            "similar": [(s, signing.dumps(s.tracking_no, salt=_SIMILAR_SALT)) for s in similar],
            "max_files": settings.COMPLAINTS_ATTACHMENT_MAX_COUNT,
            "max_bytes": settings.COMPLAINTS_ATTACHMENT_MAX_BYTES,
        },
        status=status,
    )


def earlier_files(form, token: str):
    """The files kept from earlier tries; the form names any cleared to make room.

    (The follow page's 补充材料 form keeps its files the same way.)"""
    earlier = stash.load(token)
    if earlier.cleared:
        form.add_error("attachments", stash.cleared_message(earlier.cleared))
    return earlier.files


def keep_uploads(request, form, token: str):
    """Check new uploads, drop the ones the citizen unticked; return what is kept now."""
    drop = set(request.POST.getlist("drop"))
    kept = [f for i, f in enumerate(earlier_files(form, token)) if str(i) not in drop]
    errors = []
    for upload in request.FILES.getlist("attachments"):
        if len(kept) >= settings.COMPLAINTS_ATTACHMENT_MAX_COUNT:
            errors.append(
                _("附件最多 %(most)d 个。") % {"most": settings.COMPLAINTS_ATTACHMENT_MAX_COUNT}
            )
            break
        try:
            kept.append(check_upload(upload))
        except ApplicationError as exc:
            errors.append(exc.message)
    for message in errors:
        form.add_error("attachments", message)
    return kept


def _show_again(request, form, token: str, kept, **kwargs):
    """The form once more, its files kept for the next try; it names any the bounds refuse."""
    saved = stash.save(token, kept, client=client_address(request))
    if saved.refused:
        form.add_error("attachments", stash.refused_message(saved.refused))
    return _render(request, form, saved.kept, **kwargs)


def _similar(data: dict):
    """Open complaints like this one, once the agency, title and text are good to compare."""
    if not all(data.get(name) for name in ("agency_accused", "title", "description")):
        return ()
    return duplicates.similar_for_citizen(
        agency=data["agency_accused"], title=data["title"], description=data["description"]
    )


def _send_code(form) -> dict | None:
    """ "发送验证码": the code to the number typed; a refusal goes beside its field."""
    phone = form.data.get("complainant_phone", "")
    try:
        seconds = phone_codes.send_code(phone=phone)
    except ApplicationError as exc:
        form.add_error(exc.field, exc.message)
        return None
    return {"phone": mask_phone(phone_codes.mobile_number(phone)), "minutes": seconds // 60}


def _check_sms_code(form, data: dict) -> None:
    """A real-name filing with a mobile number needs its SMS code, when verification is on."""
    if "sms_code" not in form.fields or data.get("anonymous"):
        return
    phone = data.get("complainant_phone", "")
    if not phone or "complainant_phone" in form.errors:
        return  # no number to verify, or the number itself is wrong: said beside it
    try:
        phone_codes.verify_code(phone=phone, code=data.get("sms_code", ""))
    except ApplicationError as exc:
        form.add_error(exc.field, exc.message)


@require_http_methods(["GET", "POST"])
def intake(request):
    if request.method == "GET":
        initial = {"submission_key": secrets.token_urlsafe(24), "upload_token": stash.new_token()}
        if request.GET.get("agency", "").isdigit():
            initial["agency_accused"] = request.GET["agency"]
        return _render(request, IntakeForm(initial=initial), [])

    query = request.POST.get("agency_search", "").strip()[:50]
    form = IntakeForm(request.POST, request.FILES, agency_query=query)
    token = request.POST.get("upload_token", "")
    if not stash.valid_token(token):
        token = stash.new_token()
    form.data = form.data.copy()
    form.data["upload_token"] = token
    limit = settings.COMPLAINTS_INTAKE_LIMIT
    if throttle.hit(request, scope="intake") > limit:
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试。您填写的内容已保留。"))
        earlier = earlier_files(form, token)
        if request.FILES:  # a refused post keeps nothing new on the server
            form.add_error("attachments", _("本次选择的附件未能保留，请稍后重新选择。"))
        return _render(request, form, earlier, status=429)

    kept = keep_uploads(request, form, token)
    action = request.POST.get("action")
    if action == "send_code" and "sms_code" not in form.fields:
        action = "search"  # verification is off: the button is not on the form
    if action in ("search", "send_code"):  # not a submission: only the files' errors count
        form.is_valid()
        form._errors = ErrorDict({k: v for k, v in form.errors.items() if k == "attachments"})
        code_sent = _send_code(form) if action == "send_code" else None
        return _show_again(request, form, token, kept, code_sent=code_sent)

    valid = form.is_valid()
    data = form.cleaned_data
    replay = valid and public_selectors.submission_seen(data["submission_key"])
    if not replay:  # the first filing of a replayed key was verified, and its code is spent
        _check_sms_code(form, data)
    similar = ()
    if not replay and request.POST.get("file_anyway") != "1":
        similar = _similar(data)
    if form.errors or similar:
        return _show_again(request, form, token, kept, similar=similar)

    try:
        result = services.complaint_submit(
            **{name: data[name] for name in _SERVICE_FIELDS},
            files=stash.as_uploads(kept),
            submission_key=data["submission_key"],
            channel="web",
        )
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _show_again(request, form, token, kept)
    stash.clear(token)
    if "sms_code" in form.fields:
        phone_codes.forget(phone=data["complainant_phone"])
    request.session[_RECEIPT] = {
        "tracking_no": result.complaint.tracking_no,
        "query_code": result.query_code,
        "expected_by": result.expected_by.isoformat(),
        "notified": bool(result.complaint.complainant_phone or result.complaint.complainant_email),
    }
    return redirect("complaints:intake_done")


def intake_done(request):
    """The receipt, shown once: the query code is not stored anywhere it could be shown again."""
    receipt = request.session.pop(_RECEIPT, None)
    if receipt is None:
        return redirect("complaints:follow")
    response = render(request, "complaints/public/intake_done.html", {"receipt": receipt})
    response["Cache-Control"] = "no-store"
    return response


def similar_case(request, token: str):
    """ "Follow that one": the step a suggested complaint has reached, without its content.

    Reached only through a signed link from the suggestions (valid one day), so tracking
    numbers cannot be walked to learn which exist.
    """
    try:
        tracking_no = signing.loads(token, salt=_SIMILAR_SALT, max_age=86400)
    except signing.BadSignature:
        return render(request, "complaints/public/similar.html", {"complaint": None}, status=404)
    complaint = (
        Complaint.objects.filter(tracking_no=tracking_no)
        .only("tracking_no", "state", "submitted_at", "merged_into")
        .first()
    )
    public = public_selectors.public_case(tracking_no=tracking_no) if complaint else None
    return render(
        request,
        "complaints/public/similar.html",
        {"complaint": complaint, "public": public},
        status=200 if complaint else 404,
    )
