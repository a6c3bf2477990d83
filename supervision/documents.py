"""效能告诫书 (efficiency warning letter): a sanction's printable letter, rendered by WeasyPrint
with a Noto CJK font like the complaint documents (complaints/documents.py)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from supervision.models import Sanction


def warning_letter_html(*, sanction: Sanction) -> str:
    return render_to_string(
        "supervision/documents/warning_letter.html",
        {"s": sanction, "printed_at": timezone.localtime()},
    )


def warning_letter_pdf(*, sanction: Sanction) -> bytes:
    from weasyprint import HTML  # imported late: loads Pango, slow to import

    return HTML(string=warning_letter_html(sanction=sanction)).write_pdf()
