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


def open_data_index(request):
    from supervision.open_data import dictionary

    return render(request, "supervision/public/open_data.html", {"dictionary": dictionary()})


def open_data_dictionary(request):
    from django.http import JsonResponse

    from supervision.open_data import dictionary

    return JsonResponse(dictionary(), json_dumps_params={"ensure_ascii": False})


def open_data_dataset(request, name: str, fmt: str):
    from django.http import Http404

    from supervision.csv_export import csv_response
    from supervision.open_data import DATASETS

    dataset = DATASETS.get(name)
    if dataset is None or fmt not in ("csv", "json"):
        raise Http404
    columns = [f[0] for f in dataset.fields]
    if fmt == "csv":
        return csv_response(
            f"{name}.csv", columns, ([row[c] for c in columns] for row in dataset.rows())
        )

    from django.http import JsonResponse

    # Built inside the view, so its reads run under the replica routing of the request.
    return JsonResponse(
        {"dataset": name, "rows": list(dataset.rows())}, json_dumps_params={"ensure_ascii": False}
    )
