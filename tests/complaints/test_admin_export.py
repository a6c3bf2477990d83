"""The office's exports open as data: a complainant's title cannot plant a spreadsheet formula."""

import csv
import io

from openpyxl import load_workbook

from tests.complaints.conftest import submit
from tests.conftest import login

URL = "/admin/complaints/complaint/"


def _export(client, action, complaint):
    return client.post(URL, {"action": action, "index": 0, "_selected_action": [complaint.pk]})


def test_a_title_that_starts_a_formula_is_exported_as_text_in_csv_and_xlsx(
    agency_a, attitude, office_user
):
    title = '=HYPERLINK("http://evil.example","点此查看")'
    complaint = submit(agency=agency_a, category=attitude, title=title).complaint
    client = login(office_user)

    body = _export(client, "export_csv", complaint).content.decode("utf-8").lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(body)))[:2]
    assert row[header.index("标题")] == "'" + title

    response = _export(client, "export_xlsx", complaint)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for c in sheet[2]]
    headers = [c.value for c in sheet[1]]
    assert cells[headers.index("标题")] == "'" + title
