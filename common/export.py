"""CSV and XLSX downloads that a spreadsheet opens as data, never as formulas.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
followed by one) is a formula to Excel, LibreOffice and WPS: a complainant who types
``=HYPERLINK("http://…","点此")`` as a title would otherwise plant a link, or worse, in
the office's export (OWASP "CSV injection"). Such a cell is prefixed with an apostrophe,
which spreadsheets show as nothing and treat as "this is text". Numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str | int | float | Decimal:
    """The value as a cell: numbers as they are, text neutralised if it would start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _filename(stem: str, extension: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{stem}-{stamp}.{extension}"


def csv_response(*, stem: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A UTF-8 CSV download (with a BOM, so Excel reads Chinese) of neutralised cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return response


def xlsx_response(
    *, stem: str, header: Sequence[str], rows: Iterable[Sequence], sheet: str = "data"
) -> HttpResponse:
    """An XLSX download of neutralised cells, written in openpyxl's streaming mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append([safe_cell(h) for h in header])
    for row in rows:
        worksheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "xlsx")}"'
    return response
