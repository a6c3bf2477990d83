"""明察暗访 pages: record an inspection (the office, 效能监督员), list and read them (inspectors see
only their own), answer a rectification (the agency), accept or return it (the office)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common import stash
from complaints.files import check_upload
from efficiency_portal.clients import client_address
from efficiency_portal.errors import ApplicationError
from organizations.models import Agency
from organizations.roles import AGENCY_ROLES
from supervision import services
from supervision.forms import FINDING_SLOTS, AnswerForm, DecisionForm, InspectionForm
from supervision.models import FindingPhoto, RectificationEvidence
from supervision.selectors import inspections_visible_to, rectifications_visible_to
from supervision.services.access import has_role, is_office
from supervision.services.inspections import may_record
from timelimits.services import deadline_current


def _login(request):
    return redirect_to_login(request.get_full_path(), reverse("admin:login"))


def inspection_list(request):
    if not request.user.is_authenticated:
        return _login(request)
    page = Paginator(inspections_visible_to(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "supervision/inspections.html",
        {"page": page, "may_record": may_record(request.user)},
    )


def _keep_photos(request, form) -> dict[int, list]:
    """Each finding's photos now: those kept from earlier tries (less the ones unticked)
    and the new uploads that pass the checks; a bad one is its slot's error."""
    kept = {}
    for n in range(1, FINDING_SLOTS + 1):
        field = f"finding_{n}_photos"
        earlier = stash.load(form.data[f"finding_{n}_upload_token"])
        if earlier.cleared:
            form.add_error(field, stash.cleared_message(earlier.cleared))
        drop = set(request.POST.getlist(f"finding_{n}_drop"))
        files = [f for i, f in enumerate(earlier.files) if str(i) not in drop]
        for upload in request.FILES.getlist(field):
            try:
                files.append(check_upload(upload, field=field))
            except ApplicationError as exc:
                form.add_error(field, exc.message)
        kept[n] = files
    return kept


def _show_again(request, form, kept: dict[int, list]):
    """The form once more, every good photo kept on disk for the next try (never asked
    for again); photos the stash's bounds refuse are named on their slot."""
    for n, files in kept.items():
        saved = stash.save(
            form.data[f"finding_{n}_upload_token"], files, client=client_address(request)
        )
        if saved.refused:
            form.add_error(f"finding_{n}_photos", stash.refused_message(saved.refused))
        kept[n] = saved.kept
    return _render_new(request, form, kept)


def _render_new(request, form, kept: dict[int, list]):
    slots = [
        {"fields": group, "kept": kept.get(n, []), "drop": f"finding_{n}_drop"}
        for n, group in enumerate(form.finding_fields(), start=1)
    ]
    return render(request, "supervision/inspection_new.html", {"form": form, "slots": slots})


def inspection_new(request):
    """POST: the photos are checked and kept per finding before anything else (``stash``),
    so an error anywhere on the form never asks the inspector to upload them again; the
    service files them with the inspection and the stash is cleared."""
    if not request.user.is_authenticated:
        return _login(request)
    if not may_record(request.user):
        raise Http404
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    if request.method != "POST":
        initial = {
            f"finding_{n}_upload_token": stash.new_token() for n in range(1, FINDING_SLOTS + 1)
        }
        return _render_new(request, InspectionForm(initial=initial, agencies=agencies), {})
    form = InspectionForm(request.POST, agencies=agencies)  # the files: _keep_photos
    form.data = form.data.copy()
    for n in range(1, FINDING_SLOTS + 1):
        if not stash.valid_token(form.data.get(f"finding_{n}_upload_token", "")):
            form.data[f"finding_{n}_upload_token"] = stash.new_token()
    kept = _keep_photos(request, form)
    if not form.is_valid():
        return _show_again(request, form, kept)
    data = form.cleaned_data
    findings = [
        services.FindingSpec(
            description=data[f"finding_{n}"],
            item_code=data[f"finding_{n}_item"],
            person=data[f"finding_{n}_person"],
            photos=stash.as_uploads(kept[n]),
        )
        for n in range(1, FINDING_SLOTS + 1)
        if data[f"finding_{n}"].strip()
    ]
    try:
        inspection = services.inspection_record(
            actor=request.user,
            kind=data["kind"],
            date=data["date"],
            agency=data["agency"],
            place=data["place"],
            note=data["note"],
            checks={item.code: (data[f"check_{item.code}"], "") for item in form.items},
            findings=findings,
        )
    except ApplicationError as exc:
        field = {"photos": "finding_1_photos"}.get(exc.field, exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
        return _show_again(request, form, kept)
    for n in range(1, FINDING_SLOTS + 1):
        stash.clear(data[f"finding_{n}_upload_token"])
    return redirect("supervision:inspection", pk=inspection.pk)


def inspection_detail(request, pk: int):
    if not request.user.is_authenticated:
        return _login(request)
    inspection = inspections_visible_to(user=request.user).filter(pk=pk).first()
    if inspection is None:
        raise Http404
    findings = inspection.findings.select_related("item", "rectification").prefetch_related(
        "photos"
    )
    return render(
        request,
        "supervision/inspection.html",
        {
            "inspection": inspection,
            "checks": inspection.checks.select_related("item"),
            "findings": findings,
            "inspectors": inspection.inspectors.all(),
        },
    )


def rectification_page(request, pk: int):
    if not request.user.is_authenticated:
        return _login(request)
    rectification = rectifications_visible_to(user=request.user).filter(pk=pk).first()
    if rectification is None:
        raise Http404
    answer_form = decision_form = None
    if has_role(request.user, *AGENCY_ROLES) and not request.user.is_superuser:
        answer_form = AnswerForm(
            request.POST if "answer" in request.POST else None,
            request.FILES if "answer" in request.POST else None,
        )
    if is_office(request.user):
        decision_form = DecisionForm(request.POST if "decide" in request.POST else None)
    try:
        if answer_form is not None and answer_form.is_bound and answer_form.is_valid():
            services.rectification_answer(
                actor=request.user,
                rectification=rectification,
                text=answer_form.cleaned_data["text"],
                evidence=answer_form.cleaned_data["evidence"],
            )
            return redirect("supervision:rectification", pk=pk)
        if decision_form is not None and decision_form.is_bound and decision_form.is_valid():
            data = decision_form.cleaned_data
            if data["decision"] == "accept":
                services.rectification_accept(
                    actor=request.user, rectification=rectification, note=data["note"]
                )
            else:
                services.rectification_return(
                    actor=request.user, rectification=rectification, reason=data["note"]
                )
            return redirect("supervision:rectification", pk=pk)
    except ApplicationError as exc:
        target = answer_form if "answer" in request.POST else decision_form
        field = "note" if exc.field == "reason" else exc.field
        target.add_error(field if field in target.fields else None, exc.message)
    return render(
        request,
        "supervision/rectification.html",
        {
            "r": rectification,
            "finding": rectification.finding,
            "deadline": deadline_current(subject=rectification, kind="supervision.rectify"),
            "evidence": rectification.evidence.all(),
            "answer_form": answer_form,
            "decision_form": decision_form,
        },
    )


def evidence_file(request, kind: str, pk: int):
    """A finding photo or an evidence file, after the same access check as its page."""
    if not request.user.is_authenticated:
        return _login(request)
    if kind == "photo":
        row = FindingPhoto.objects.filter(pk=pk).select_related("finding").first()
        visible = row and inspections_visible_to(user=request.user).filter(
            pk=row.finding.inspection_id
        )
    elif kind == "evidence":
        row = RectificationEvidence.objects.filter(pk=pk).first()
        visible = row and rectifications_visible_to(user=request.user).filter(
            pk=row.rectification_id
        )
    else:
        raise Http404
    if not row or not visible.exists():
        raise Http404(_("文件不存在。"))
    response = FileResponse(
        row.file.open("rb"), filename=row.original_name, content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
