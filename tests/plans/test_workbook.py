"""Tests of consortia.plans.workbook: a plan as an .xlsx to fill in offline, and back.

The workbooks are real files, written by the kit and read back (and changed, as a
chamber's staff would change them) with openpyxl.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from consortia import cli
from consortia.errors import InputError
from consortia.plans.files import load_plan, save_plan
from consortia.plans.workbook import SHEETS, export_workbook, import_workbook
from plan_fixtures import SALES, reviewed_plan


@pytest.fixture
def book(tmp_path):
    return export_workbook(reviewed_plan(), tmp_path / "plan.xlsx")


def _edit(path, sheet, row_id, column, value):
    """Set one cell, found by the row's id and the column's header, as a person would."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    col = next(n for n, h in enumerate(headers, start=1) if h.split(" (read only)")[0] == column)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == row_id)
    ws.cell(row, col).value = value
    wb.save(path)
    return row, col


def test_the_workbook_has_its_sheets_ids_and_drop_downs(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [*SHEETS, "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    progress = wb["Progress"]
    assert [c.value for c in progress[1]][:3] == ["id", "indicator (read only)",
                                                  "period (read only)"]
    ids = [progress.cell(r, 1).value for r in range(2, progress.max_row + 1)]
    assert ids == ["I1-P1", "I2-P1", "I1-P2", "I2-P2", "I1-P3", "I2-P3", "I1-P4", "I2-P4"]
    formulas = {v.formula1 for v in progress.data_validations.dataValidation}
    assert any(f.startswith("=Lists!") for f in formulas)
    assert [wb["Activities"].cell(r, 1).value for r in range(2, 8)] == [
        "A1", "A2", "A3", "A4", "A5", "A6"]
    assert "Keep the id" in " ".join(str(c.value) for c in wb["Instructions"]["A"])


def test_export_then_import_gives_the_same_plan(book):
    result = import_workbook(book, reviewed_plan())
    assert result.ok, result.errors
    assert result.plan == reviewed_plan()
    assert result.changes == []


def test_changes_are_listed_and_read_into_the_plan(book):
    _edit(book, "Progress", "I2-P3", "actual", 1500)
    _edit(book, "Progress", "I2-P3", "evidence", "Sales book | sales-2015-12.xlsx")
    _edit(book, "Progress", "I2-P3", "breakdown", "sex: women=900, men=600")
    _edit(book, "Progress", "I2-P3", "reported on", dt.datetime(2015, 12, 3))
    _edit(book, "Reviews", "P3", "held on", "2015-12-10")
    _edit(book, "Activity progress", "A6-P3", "status", "done")
    _edit(book, "Indicators", "I2", "name", "Sales of the shared bar")
    result = import_workbook(book, reviewed_plan())
    assert result.ok, [str(e) for e in result.errors]
    report = result.plan.indicator_period("I2", 3)
    assert (report.actual, report.evidence[0].title, report.reported_on) == (
        1500, "Sales book", dt.date(2015, 12, 3))
    assert [(b.category, b.value) for b in report.breakdown] == [("women", 900), ("men", 600)]
    assert result.plan.review(3).held_on == dt.date(2015, 12, 10)
    assert result.plan.activity_update("A6", 3).status == "done"
    assert "Sales of the shared bar" in result.plan.activity("A4").indicators  # renamed link
    assert "Progress I2-P3: actual (empty) -> 1500" in result.changes
    assert "Indicators I2: name Monthly sales of the consortium -> Sales of the shared bar" \
        in result.changes


@pytest.mark.parametrize(("sheet", "row_id", "column", "value", "expected"), [
    ("Progress", "I2-P3", "actual", "about 1500", "holds the text 'about 1500'; write a number"),
    ("Activities", "A2", "budget (US$)", "2,500", "write a number with digits only"),
    ("Activities", "A2", "id", "A99", "'A99' is not an id of this plan"),
    ("Reviews", "P3", "held on", "10/12/2015", "not a date the kit can read for sure"),
    ("Progress", "I2-P3", "status", "approved", "choose one of: draft, submitted"),
    ("Progress", "I2-P3", "status", "sent back", "needs the reason"),
    ("Indicators", "I1", "kind", "social", "choose one of: economic, non-economic"),
])
def test_a_bad_cell_is_named_by_sheet_row_and_column(book, sheet, row_id, column, value,
                                                     expected):
    row, _ = _edit(book, sheet, row_id, column, value)
    result = import_workbook(book, reviewed_plan())
    assert not result.ok and result.plan is None
    (error,) = result.errors
    assert (error.sheet, error.row) == (sheet, row)
    assert expected in str(error)
    assert f"{sheet}, row {row}" in str(error)


def test_merged_cells_are_refused(book):
    wb = openpyxl.load_workbook(book)
    wb["Progress"].merge_cells("J2:K3")
    wb.save(book)
    (error,) = import_workbook(book, reviewed_plan()).errors
    assert error.sheet == "Progress" and "merged cells (J2:K3)" in error.message


def test_missing_and_extra_sheets_are_refused(book):
    wb = openpyxl.load_workbook(book)
    del wb["Reviews"]
    wb.create_sheet("My notes")
    wb.save(book)
    errors = {e.sheet: e.message for e in import_workbook(book, reviewed_plan()).errors}
    assert "this sheet is missing" in errors["Reviews"]
    assert "not part of a plan workbook" in errors["My notes"]


def test_a_changed_header_row_is_refused(book):
    wb = openpyxl.load_workbook(book)
    wb["Indicators"]["F1"] = "start value"
    wb.save(book)
    (error,) = import_workbook(book, reviewed_plan()).errors
    assert error.sheet == "Indicators" and "missing 'baseline'" in error.message


def test_not_a_workbook(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("consortium,country\n", encoding="utf-8")
    with pytest.raises(InputError, match="is not an Excel workbook"):
        import_workbook(path, reviewed_plan())


def test_the_command_line_is_a_dry_run_until_apply(tmp_path, capsys):
    plan_file = save_plan(reviewed_plan(), tmp_path / "plan.json")
    book = tmp_path / "plan.xlsx"
    assert cli.main(["plan", "export", str(plan_file), "--xlsx", str(book)]) == 0
    _edit(book, "Progress", "I1-P3", "actual", 10)
    assert cli.main(["plan", "import", str(book), "--into", str(plan_file)]) == 0
    out = capsys.readouterr().out
    assert "Progress I1-P3: actual (empty) -> 10" in out and "dry run" in out
    assert load_plan(plan_file) == reviewed_plan()
    assert cli.main(["plan", "import", str(book), "--into", str(plan_file), "--apply"]) == 0
    assert load_plan(plan_file).indicator_period("I1", 3).actual == 10
    # a workbook with one bad cell saves nothing, and says where to look
    _edit(book, "Progress", "I2-P3", "actual", "lots")
    _edit(book, "Progress", "I1-P4", "actual", 11)
    before = plan_file.read_bytes()
    assert cli.main(["plan", "import", str(book), "--into", str(plan_file), "--apply"]) == 1
    err = capsys.readouterr().err
    assert "Progress, row 7, column 'actual'" in err and "nothing was saved" in err
    assert plan_file.read_bytes() == before
    assert SALES
