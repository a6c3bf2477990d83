"""Exports open as data: a cell a spreadsheet would run as a formula is neutralised."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.export import csv_response, safe_cell, xlsx_response

FORMULAS = ['=HYPERLINK("http://evil","点此")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_would_start_a_formula_is_prefixed_so_it_stays_text(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_text_numbers_and_empty_values_are_kept_as_they_are():
    assert safe_cell("窗口人员态度恶劣") == "窗口人员态度恶劣"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(-3) == -3 and safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(None) == ""


def test_csv_export_neutralises_every_cell_and_opens_as_utf8_with_a_bom():
    response = csv_response(stem="complaints", header=["标题"], rows=[["=1+1"], ["正常"]])
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows == [["标题"], ["'=1+1"], ["正常"]]
    assert 'filename="complaints-' in response["Content-Disposition"]


def test_xlsx_export_neutralises_formulas_and_keeps_numbers_numeric():
    response = xlsx_response(stem="complaints", header=["标题", "数量"], rows=[["@cmd", 3]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["'@cmd", 3]
    assert sheet["A2"].data_type == "s"
