"""Public pages of supervision: published bulletins (/bulletins/) as HTML and PDF."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from supervision.models import Bulletin


def _published():
    return Bulletin.objects.filter(state=Bulletin.State.PUBLISHED)


def bulletin_list(request):
    page = Paginator(_published().order_by("-period_start"), 20).get_page(request.GET.get("page"))
    return render(request, "supervision/public/bulletins.html", {"page": page})


def bulletin_detail(request, pk: int):
    bulletin = get_object_or_404(_published(), pk=pk)
    return render(request, "supervision/public/bulletin.html", {"b": bulletin})


def bulletin_pdf(request, pk: int):
    from weasyprint import HTML  # imported late: loads Pango, slow to import

    bulletin = get_object_or_404(_published(), pk=pk)
    html = render_to_string("supervision/documents/bulletin.html", {"b": bulletin})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{bulletin.period_start}.pdf"'
    return response
