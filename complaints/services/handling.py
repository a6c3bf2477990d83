"""The life of a complaint, continued from ``complaints.services``: while it is being handled.

complaint_add_evidence       handling agency uploads evidence (核查证据)
complaint_request_extension  handling agency asks for more time — once
complaint_decide_extension   office approves (+ the policy's allowance) or refuses

督办 (complaint_supervise, its answer) lives in ``complaints.services.supervision``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from complaints import clocks, notices, steps
from complaints.files import check_uploads
from complaints.models import Attachment, Complaint, ExtensionRequest
from efficiency_portal.errors import ApplicationError


@transaction.atomic
def complaint_add_evidence(
    *, complaint: Complaint, actor, files: Iterable, note: str = ""
) -> list[Attachment]:
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "add_evidence")
    steps.workflow.ensure_allowed("add_evidence", complaint)
    already = complaint.attachments.filter(kind=Attachment.Kind.EVIDENCE).count()
    checked = check_uploads(files, already=already, field="files")
    if not checked:
        raise ApplicationError(_("请选择要上传的文件。"), code="required", field="files")
    saved = [
        Attachment.objects.create(
            complaint=complaint,
            kind=Attachment.Kind.EVIDENCE,
            file=ContentFile(item.content, name=item.name),
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor,
            note=note[:200],
        )
        for item in checked
    ]
    steps.event(
        complaint,
        verb="add_evidence",
        actor=actor,
        note=note,
        data={"files": [a.original_name for a in saved]},
    )
    return saved


@transaction.atomic
def complaint_request_extension(*, complaint: Complaint, actor, reason: str) -> ExtensionRequest:
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "request_extension")
    steps.workflow.ensure_allowed("request_extension", complaint)
    reason = steps.require_text(reason, field="reason", message=_("请说明延期理由。"))
    if extension_used(complaint):
        raise ApplicationError(
            _("每件投诉只能延期一次，已申请过延期。"), code="extension_once", field="reason"
        )
    request = ExtensionRequest.objects.create(
        complaint=complaint, reason=reason, requested_by=actor
    )
    steps.event(complaint, verb="request_extension", actor=actor, note=reason)
    notices.to_staff(  # an extension to decide: the office member responsible for the case
        complaint.first_receiver,
        complaint=complaint,
        subject=notices.text(N_("投诉 %(no)s 申请延期，请审批"), no=complaint.tracking_no),
        body=reason,
        key=f"extension_requested:{request.pk}",
    )
    return request


def extension_used(complaint: Complaint) -> bool:
    """The one extension is taken once a request waits or was approved; a refused one grants
    nothing, so another may be asked (the constraint ``extension_at_most_once`` says the same)."""
    return complaint.extensions.exclude(status=ExtensionRequest.Status.REFUSED).exists()


@transaction.atomic
def complaint_decide_extension(
    *, request: ExtensionRequest, actor, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The office approves (the handling clock is extended by the policy's allowance) or refuses."""
    steps.require_office(actor, "decide_extension")
    complaint = steps.lock(request.complaint_id)
    steps.workflow.ensure_allowed("decide_extension", complaint)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionRequest.Status.PENDING:
        raise ApplicationError(_("该延期申请已审批。"), code="already_decided")
    if approve:
        deadline = clocks.extend_handling(complaint, approver=actor, reason=request.reason)
        public = _("经批准，办理期限延长至 %(due)s。") % {
            "due": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d")
        }
    else:
        public = ""
    request.status = (
        ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    )
    request.decided_by, request.decided_at, request.decision_note = actor, steps.now(), note
    request.save()
    steps.event(
        complaint,
        verb="decide_extension",
        actor=actor,
        public=public,
        note=note,
        data={"approved": approve},
    )
    notices.to_staff(
        request.requested_by,
        complaint=complaint,
        subject=notices.text(
            N_("投诉 %(no)s 延期申请：%(result)s"),
            no=complaint.tracking_no,
            result=ExtensionRequest.Status(request.status).label,
            labels=("result",),
        ),
        key=f"extension:{request.pk}",
    )
    return request
