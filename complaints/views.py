"""Staff-side views of a complaint: attachments and documents, each scoped by the selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from complaints import documents, files, privacy, selectors
from complaints.models import Attachment


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or not selectors.complaint_get_for_user(
        user=request.user, pk=attachment.complaint_id
    ):
        raise Http404
    privacy.complaint_open_attachment(attachment=attachment, actor=request.user)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        # Named and typed by the sniffed type, never by the name the citizen's file had.
        filename=files.download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def document_pdf(request, pk: int, name: str):
    """A document of the case; ``?round=N`` prints handling round N (the current one by default)."""
    complaint = selectors.complaint_get_for_user(user=request.user, pk=pk)
    if complaint is None or name not in documents.DOCUMENTS:
        raise Http404
    asked = request.GET.get("round", "")
    round_no = int(asked) if asked.isdecimal() and len(asked) < 4 else None
    if asked and (
        round_no is None or selectors.complaint_round(complaint=complaint, number=round_no) is None
    ):
        raise Http404
    pdf = documents.render_pdf(complaint=complaint, name=name, user=request.user, round_no=round_no)
    suffix = f"-{round_no}" if round_no else ""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{complaint.tracking_no}-{name}{suffix}.pdf"'
    )
    return response
