"""明察暗访: record an inspection with its checklist and findings (photos sniffed from their
bytes); each finding opens a rectification on the deadline engine (``supervision.rectify``,
5 working days by default); the agency answers with evidence; the office accepts or returns
it (a return starts a new clock). An overdue rectification turns red like any clock, so it
is a red card of the agency.

Steps of ``inspection_record``:
1. check who records (the office or a 效能监督员), the date (not in the future), the kind,
   the checklist results and every photo — before anything is written;
2. write the inspection, its checks and findings with their photos;
3. open one rectification per finding and start its clock, addressed to the agency's head;
4. audit, and notify the agency's head after commit (the outbox).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.files import check_upload
from efficiency_portal.errors import ApplicationError
from organizations.audit import audit
from organizations.models import Agency, StaffProfile
from organizations.roles import AGENCY_ROLES, Role
from organizations.scoping import visible_agency_ids
from supervision.models import (
    ChecklistItem,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionCheck,
    Rectification,
    RectificationEvidence,
)
from supervision.services.access import has_role, require_office, require_person
from timelimits import services as engine

RECTIFY = "supervision.rectify"


@dataclass
class FindingSpec:
    description: str
    item_code: str = ""
    person: str = ""
    photos: list = field(default_factory=list)  # uploaded files


def may_record(user) -> bool:
    return has_role(user, Role.EFFICIENCY_OFFICE, Role.INSPECTOR)


def _checked_photos(uploads, *, field_name: str) -> list:
    checked = [check_upload(upload, field=field_name) for upload in uploads or []]
    for photo in checked:
        if not photo.content_type.startswith("image/"):
            raise ApplicationError(
                _("“%(name)s”不是图片：问题照片只接受图片。") % {"name": photo.name},
                code="not_an_image",
                field=field_name,
            )
    return checked


def _save_file(model, checked, *, actor, **owner):
    row = model(
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        **owner,
    )
    row.file.save(checked.name, ContentFile(checked.content), save=False)
    row.save()
    return row


def _unit_head(agency: Agency):
    profile = (
        StaffProfile.objects.filter(agency=agency, is_unit_head=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return profile.user if profile else None


def _start_clock(rectification: Rectification, *, actor) -> None:
    engine.deadline_start(
        subject=rectification,
        kind=RECTIFY,
        agency=rectification.agency,
        responsible=_unit_head(rectification.agency),
        actor=actor,
    )


def _notify_agency(rectification: Rectification, subject: str) -> None:
    head = _unit_head(rectification.agency)
    if head is not None:
        engine.notify(
            recipient=head,
            subject=subject,
            body=rectification.finding.description[:500],
            channels=["in_app"],
            dedupe_key=f"rectification:{rectification.pk}:{rectification.rounds}:{rectification.state}",
        )


@transaction.atomic
def inspection_record(
    *,
    actor,
    kind: str,
    date: dt.date,
    agency: Agency,
    place: str,
    checks: dict[str, tuple[str, str]],
    findings: list[FindingSpec],
    inspectors=(),
    note: str = "",
) -> Inspection:
    require_person(actor)
    if not may_record(actor):
        raise ApplicationError(
            _("只有效能办工作人员和效能监督员可以记录明察暗访。"), code="not_inspector"
        )
    if kind not in Inspection.Kind.values:
        raise ApplicationError(_("请选择明察或暗访。"), code="bad_kind", field="kind")
    if date is None or date > timezone.localdate():
        raise ApplicationError(_("检查日期不能晚于今天。"), code="future_date", field="date")
    if agency is None:
        raise ApplicationError(_("请选择被检查单位。"), code="no_agency", field="agency")
    if not (place or "").strip():
        raise ApplicationError(_("请填写窗口或场所。"), code="no_place", field="place")
    items = {i.code: i for i in ChecklistItem.objects.filter(is_active=True)}
    for code, (result, _note) in checks.items():
        if code not in items or result not in InspectionCheck.Result.values:
            raise ApplicationError(
                _("检查项“%(code)s”的结果无效。") % {"code": code}, code="bad_check", field="checks"
            )
    photos = []
    for n, spec in enumerate(findings):
        if not (spec.description or "").strip():
            raise ApplicationError(
                _("第 %(n)s 个问题没有描述。") % {"n": n + 1},
                code="no_description",
                field="findings",
            )
        if spec.item_code and spec.item_code not in items:
            raise ApplicationError(
                _("未知的检查项：%(code)s。") % {"code": spec.item_code},
                code="bad_item",
                field="findings",
            )
        photos.append(_checked_photos(spec.photos, field_name="photos"))
    inspection = Inspection.objects.create(
        kind=kind,
        date=date,
        agency=agency,
        place=place.strip()[:120],
        recorded_by=actor,
        note=(note or "").strip(),
    )
    inspection.inspectors.set({actor, *inspectors})
    InspectionCheck.objects.bulk_create(
        InspectionCheck(inspection=inspection, item=items[code], result=result, note=text[:300])
        for code, (result, text) in checks.items()
    )
    rectifications = []
    for spec, checked in zip(findings, photos, strict=True):
        finding = Finding.objects.create(
            inspection=inspection,
            agency=agency,
            item=items.get(spec.item_code),
            description=spec.description.strip(),
            person=(spec.person or "").strip()[:60],
        )
        for photo in checked:
            _save_file(FindingPhoto, photo, actor=actor, finding=finding)
        rectification = Rectification.objects.create(finding=finding, agency=agency)
        _start_clock(rectification, actor=actor)
        rectifications.append(rectification)
    audit(
        actor=actor,
        verb="inspection_record",
        subject=inspection,
        agency=agency,
        data={"kind": kind, "findings": len(findings), "checks": len(checks)},
    )
    for rectification in rectifications:
        _notify_agency(rectification, _("明察暗访发现问题，请限期整改"))
    return inspection


def _locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("finding", "agency")
        .get(pk=rectification.pk)
    )


def _stop_clock(rectification: Rectification, *, actor) -> None:
    deadline = engine.deadline_current(subject=rectification, kind=RECTIFY)
    if deadline is not None and deadline.state in engine.OPEN_STATES:
        engine.deadline_stop(deadline=deadline, outcome="done", actor=actor)


@transaction.atomic
def rectification_answer(
    *, actor, rectification: Rectification, text: str, evidence=()
) -> Rectification:
    """The agency's answer (整改情况) with evidence; its clock stops (met or missed)."""
    require_person(actor)
    ids = visible_agency_ids(actor)
    in_scope = ids is None or rectification.agency_id in ids
    if not (in_scope and has_role(actor, *AGENCY_ROLES)) or actor.is_superuser:
        raise ApplicationError(_("只有整改单位可以反馈整改情况。"), code="not_agency")
    current = _locked(rectification)
    if current.state not in (Rectification.State.PENDING, Rectification.State.RETURNED):
        raise ApplicationError(
            _("整改当前状态为“%(state)s”，不能反馈。") % {"state": current.get_state_display()},
            code="bad_state",
        )
    if not (text or "").strip():
        raise ApplicationError(_("请填写整改情况。"), code="no_answer", field="text")
    checked = [check_upload(upload, field="evidence") for upload in evidence or []]
    for item in checked:
        _save_file(
            RectificationEvidence, item, actor=actor, rectification=current, round=current.rounds
        )
    current.state = Rectification.State.ANSWERED
    current.answer = text.strip()
    current.answered_by = actor
    current.answered_at = timezone.now()
    current.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    _stop_clock(current, actor=actor)
    audit(
        actor=actor,
        verb="rectification_answer",
        subject=current,
        agency=current.agency,
        data={"round": current.rounds, "evidence": len(checked)},
    )
    return current


@transaction.atomic
def rectification_accept(*, actor, rectification: Rectification, note: str = "") -> Rectification:
    require_office(actor)
    current = _locked(rectification)
    if current.state != Rectification.State.ANSWERED:
        raise ApplicationError(
            _("整改当前状态为“%(state)s”，不能验收。") % {"state": current.get_state_display()},
            code="bad_state",
        )
    current.state = Rectification.State.ACCEPTED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.decision_note = (note or "").strip()[:300]
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit(actor=actor, verb="rectification_accept", subject=current, agency=current.agency)
    return current


@transaction.atomic
def rectification_return(*, actor, rectification: Rectification, reason: str) -> Rectification:
    """Not good enough: back to the agency with a reason and a new clock."""
    require_office(actor)
    if not (reason or "").strip():
        raise ApplicationError(_("退回须说明理由。"), code="reason_required", field="reason")
    current = _locked(rectification)
    if current.state != Rectification.State.ANSWERED:
        raise ApplicationError(
            _("整改当前状态为“%(state)s”，不能退回。") % {"state": current.get_state_display()},
            code="bad_state",
        )
    current.state = Rectification.State.RETURNED
    current.rounds += 1
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.decision_note = reason.strip()[:300]
    current.save(update_fields=["state", "rounds", "decided_by", "decided_at", "decision_note"])
    _start_clock(current, actor=actor)
    audit(
        actor=actor,
        verb="rectification_return",
        subject=current,
        agency=current.agency,
        data={"reason": current.decision_note, "round": current.rounds},
    )
    _notify_agency(current, _("整改被退回，请重新整改"))
    return current


@transaction.atomic
def checklist_item_save(
    *, actor, item: ChecklistItem | None, code: str, text: str, order: int, is_active: bool
) -> ChecklistItem:
    """Add or change a checklist item (configuration: the office, audited before → after)."""
    require_office(actor)
    if not (text or "").strip():
        raise ApplicationError(_("请填写检查内容。"), code="no_text", field="text")
    if item is None:
        if ChecklistItem.objects.filter(code=code).exists():
            raise ApplicationError(_("代码已存在。"), code="duplicate_code", field="code")
        current, before = ChecklistItem(code=code), None
    else:
        current = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        before = {"text": current.text, "order": current.order, "is_active": current.is_active}
    current.text, current.order, current.is_active = text.strip(), order, is_active
    current.save()
    audit(
        actor=actor,
        verb="checklist_item_save",
        subject=current,
        data={
            "before": before,
            "after": {"text": current.text, "order": order, "is_active": is_active},
        },
    )
    return current
