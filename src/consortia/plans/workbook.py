"""A plan as an Excel workbook to fill in offline, and read back with every mistake named.

Many chambers of commerce work in Excel, often without a steady connection.
:func:`export_workbook` writes a plan as a real ``.xlsx`` file (openpyxl): an
*Instructions* sheet, then *Plan*, *Activities*, *Indicators*, *Progress* (one row
per indicator and review period), *Activity progress* (one row per activity and
period) and *Reviews* (one row per period). Every row starts with a stable id
(``A3``, ``I2``, ``I2-P3``, ``A3-P1``, ``P2``) that ties it to the plan, drop-down
lists (fed from a hidden *Lists* sheet) offer the allowed words, and columns the
kit does not read back are grey and marked "(read only)".

:func:`import_workbook` reads such a file back into a new plan, without saving
anything: it returns a :class:`WorkbookImport` with the changes in words and, for
every problem, the sheet, row, column and what to fix (text in a number cell, an
unknown id, a date in an odd format, merged cells, a missing or extra sheet...).
The caller saves the plan only if there is no problem at all (``consortia plan
import FILE --into PLAN --apply``), so a half-right workbook never half-changes a
plan. Export followed by import gives the same plan.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from consortia.errors import InputError
from consortia.plans import progress
from consortia.plans.model import (
    ACTIVITY_STATES,
    REPORT_STATUSES,
    ActionPlan,
    ActivityUpdate,
    Breakdown,
    IndicatorPeriod,
    Review,
    evidence_text,
    parse_evidence,
)

#: The sheets of a plan workbook, in order (the hidden list sheet last).
SHEETS = ("Instructions", "Plan", "Activities", "Indicators", "Progress", "Activity progress",
          "Reviews")
LISTS = "Lists"
READ_ONLY = " (read only)"
#: Bigger files are not plan workbooks (1,000 progress rows take about 100 KB).
MAX_WORKBOOK_BYTES = 20_000_000

_GREY = "DDDDDD"
_HEADER = "1F4E79"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, whether it is read back, and its kind of value."""

    header: str
    kind: str = "text"  # text, number, integer, date, or a list name of the Lists sheet
    editable: bool = True
    width: int = 16

    @property
    def label(self) -> str:
        """The header as written: read-only columns say so (the id speaks for itself)."""
        return self.header + ("" if self.editable or self.header == "id" else READ_ONLY)


#: The columns of each sheet (the first is always the row's id).
COLUMNS: dict[str, list[Column]] = {
    "Plan": [Column("id", editable=False, width=22), Column("field", editable=False, width=28),
             Column("value", width=60)],
    "Activities": [
        Column("id", editable=False, width=8), Column("title", width=50),
        Column("phase", "phases", width=8), Column("start month", "integer"),
        Column("duration (months)", "integer"), Column("owner", width=30),
        Column("budget (US$)", "number"),
    ],
    "Indicators": [
        Column("id", editable=False, width=8), Column("name", width=44),
        Column("kind", "kinds", width=16), Column("unit"), Column("measure", "measures"),
        Column("baseline", "number"), Column("target", "number"), Column("phase", "phases"),
    ],
    "Progress": [
        Column("id", editable=False, width=10), Column("indicator", editable=False, width=40),
        Column("period", editable=False, width=8), Column("period ends", editable=False),
        Column("planned path", editable=False), Column("target", "number"),
        Column("actual"), Column("assessment", "assessments"),
        Column("breakdown", width=30), Column("comment", width=40),
        Column("evidence", width=40), Column("reported by", width=24),
        Column("reported on", "date"), Column("status", "statuses"),
        Column("reason sent back", width=30),
    ],
    "Activity progress": [
        Column("id", editable=False, width=10), Column("activity", editable=False, width=44),
        Column("period", editable=False, width=8), Column("period ends", editable=False),
        Column("status", "activity_states"), Column("note", width=50),
    ],
    "Reviews": [
        Column("id", editable=False, width=8), Column("period", editable=False, width=8),
        Column("period ends", editable=False), Column("held on", "date"),
        Column("decisions", width=60), Column("report sent on", "date"),
    ],
}

#: The words each drop-down list offers.
LIST_VALUES: dict[str, list[object]] = {
    "phases": list(range(1, 11)),
    "kinds": ["economic", "non-economic"],
    "measures": ["number", "text"],
    "assessments": ["on track", "at risk", "off track"],
    "statuses": list(REPORT_STATUSES),
    "activity_states": list(ACTIVITY_STATES),
}

#: The plan fields of the Plan sheet: id, label, read back or not.
PLAN_FIELDS = [
    ("consortium", "Consortium name", True), ("country", "Country", True),
    ("product", "Product", True), ("territory", "Territory", True),
    ("start_date", "Plan starts on (month 0)", True),
    ("review_every_months", "Review every (months)", False),
    ("horizon_months", "Plan covers (months)", False),
]


# --- plan -> rows ----------------------------------------------------------------------------


def _breakdown_text(items: list[Breakdown]) -> str:
    groups: dict[str, list[str]] = {}
    for item in items:
        groups.setdefault(item.dimension, []).append(f"{item.category}={item.value:g}")
    return "; ".join(f"{name}: {', '.join(parts)}" for name, parts in groups.items())


def sheet_rows(plan: ActionPlan) -> dict[str, list[list[object]]]:
    """The rows of every data sheet of the plan's workbook (without headers)."""
    found = progress.periods(plan)
    rows: dict[str, list[list[object]]] = {name: [] for name in COLUMNS}
    for key, label, _ in PLAN_FIELDS:
        value = getattr(plan, key)
        rows["Plan"].append([key, label, "" if value is None else value])
    for a in plan.activities:
        rows["Activities"].append([a.id, a.title, a.phase, a.start_month, a.duration_months,
                                   a.owner, a.budget_usd])
    for i in plan.indicators:
        rows["Indicators"].append([i.id, i.name, i.kind, i.unit, i.measure, i.baseline, i.target,
                                   i.phase])
    for p in found:
        for i in plan.indicators:
            r = plan.indicator_period(i.id, p.number)
            planned = (round(progress.planned_value(plan, i, p.end_month), 2)
                       if i.measure == "number" else None)
            actual = None if r is None else (r.actual if i.measure == "number" else r.actual_text)
            rows["Progress"].append([
                f"{i.id}-P{p.number}", i.name, p.number, p.end, planned,
                r and r.target, actual, r and r.assessment,
                _breakdown_text(r.breakdown) if r else "", r.comment if r else "",
                evidence_text(r.evidence) if r else "", r.reported_by if r else "",
                r and r.reported_on, r.status if r else "", (r and r.reason) or "",
            ])
        for a in plan.activities:
            u = plan.activity_update(a.id, p.number)
            rows["Activity progress"].append([f"{a.id}-P{p.number}", f"{a.id} {a.title}",
                                              p.number, p.end, u.status if u else "",
                                              u.note if u else ""])
        review = plan.review(p.number)
        rows["Reviews"].append([f"P{p.number}", p.number, p.end, review and review.held_on,
                                review.decisions if review else "", review and review.sent_on])
    return rows


# --- writing ---------------------------------------------------------------------------------


def instructions(plan: ActionPlan) -> list[str]:
    """The lines of the Instructions sheet."""
    lines = [
        f"Action plan of {plan.consortium}: workbook to fill in offline",
        "",
    ]
    if plan.illustrative_note:
        lines += [f"NOTE: {plan.illustrative_note}", ""]
    lines += [
        "How to use this workbook",
        "1. Fill in the white cells. Grey columns marked (read only) are for your "
        "information: the kit does not read them back.",
        "2. Keep the id in the first column of every row: it ties the row to the plan. Do "
        "not add, delete, rename or reorder sheets, and do not merge cells.",
        "3. Progress has one row per indicator and review period. Write the actual as a "
        "number (digits only, e.g. 12 or 2500) for a number indicator, or in words for a "
        "text indicator (then choose an assessment).",
        "4. Breakdown: parts of the actual, e.g. 'sex: women=7, men=5; age: under 30=4'.",
        "5. Evidence: one link or file name per line; a title may come first, then ' | ', "
        "e.g. 'Attendance list | minutes-2015-06.pdf'.",
        "6. Dates: use a date cell or write them as 2015-06-12 (year-month-day).",
        "7. Status: draft, submitted, accepted, or sent back (then give the reason).",
        "8. Add new activities or indicators in the planner; this workbook changes the "
        "ones the plan already has.",
        "",
        f"Read it back with: consortia plan import THIS_FILE --into {plan.consortium!r}'s "
        "plan file (a dry run that lists the changes and any problem; add --apply to save).",
    ]
    return lines


def export_workbook(plan: ActionPlan, path: Path | str) -> Path:
    """Write ``plan`` as a workbook at ``path`` (``.xlsx``); return the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path.name}: a plan workbook is an .xlsx file; end the name in .xlsx")
    book = Workbook()
    sheet = book.active
    sheet.title = "Instructions"
    for line in instructions(plan):
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110

    lists = book.create_sheet(LISTS)
    ranges = {}
    for n, (name, values) in enumerate(LIST_VALUES.items(), start=1):
        letter = get_column_letter(n)
        lists.cell(1, n, name)
        for row, value in enumerate(values, start=2):
            lists.cell(row, n, value)
        ranges[name] = f"{LISTS}!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    grey = PatternFill("solid", fgColor=_GREY)
    head_fill = PatternFill("solid", fgColor=_HEADER)
    rows = sheet_rows(plan)
    for name, columns in COLUMNS.items():
        sheet = book.create_sheet(name, index=len(book.sheetnames) - 1)
        sheet.append([c.label for c in columns])
        for row in rows[name]:
            sheet.append([_cell_value(v) for v in row])
        for n, column in enumerate(columns, start=1):
            letter = get_column_letter(n)
            sheet.column_dimensions[letter].width = column.width
            header = sheet.cell(1, n)
            header.font, header.fill = Font(bold=True, color="FFFFFF"), head_fill
            last = max(sheet.max_row, 2)
            if not column.editable:
                for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=n, max_col=n):
                    cell.fill = grey
            if column.kind in ranges:
                check = DataValidation(type="list", formula1=f"={ranges[column.kind]}",
                                       allow_blank=True, showErrorMessage=True,
                                       error=f"Choose one of the {column.header} in the list")
                check.add(f"{letter}2:{letter}{last}")
                sheet.add_data_validation(check)
            if column.kind == "date" or column.header == "period ends":
                for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=n, max_col=n):
                    cell.number_format = "yyyy-mm-dd"
            if column.width >= 40:
                for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=n, max_col=n):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{path.name}.writing"
    book.save(temporary)
    temporary.replace(path)
    return path


def _cell_value(value: object) -> object:
    return None if value == "" else value


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem of a workbook: where it is and what to fix."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class WorkbookImport:
    """What reading a workbook found: the plan it describes, the changes, the problems."""

    path: Path
    plan: ActionPlan | None
    changes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if the whole workbook is valid (the plan may be saved)."""
        return not self.errors and self.plan is not None


class _Reader:
    """Reads the cells of one sheet, recording each problem instead of stopping."""

    def __init__(self, sheet_name: str, errors: list[RowError]):
        self.sheet, self.errors = sheet_name, errors

    def fail(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.sheet, row, column, message))

    def text(self, value: object, row: int, column: str) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime | dt.date):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def number(self, value: object, row: int, column: str) -> float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            self.fail(row, column, "holds TRUE/FALSE; write a number (digits only)")
            return None
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, dt.date):
            self.fail(row, column, "holds a date; write a number (digits only, e.g. 12)")
            return None
        text = str(value).strip()
        try:
            return float(text)
        except ValueError:
            self.fail(row, column, f"holds the text {text[:40]!r}; write a number with digits "
                      "only (e.g. 2500, not '2,500' or 'about 25')")
            return None

    def integer(self, value: object, row: int, column: str) -> int | None:
        number = self.number(value, row, column)
        if number is None:
            return None
        if not number.is_integer():
            self.fail(row, column, f"is {number:g}; write a whole number")
            return None
        return int(number)

    def date(self, value: object, row: int, column: str) -> dt.date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        self.fail(row, column, f"holds {text[:40]!r}, which is not a date the kit can read "
                  "for sure; use a date cell or write it as 2015-06-12 (year-month-day)")
        return None

    def choice(self, value: object, row: int, column: str, allowed: list) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            value = value.strip()
            if value.isdigit() and all(isinstance(a, int) for a in allowed):
                value = int(value)
        if value not in allowed:
            listed = ", ".join(str(a) for a in allowed)
            self.fail(row, column, f"holds {value!r}; choose one of: {listed}")
            return None
        return value


def _parse_breakdown(reader: _Reader, text: str, row: int) -> list[Breakdown]:
    found = []
    for group in filter(None, (g.strip() for g in text.split(";"))):
        name, colon, parts = group.partition(":")
        if not colon or not name.strip():
            reader.fail(row, "breakdown", f"{group!r} has no name before ':'; write e.g. "
                        "'sex: women=7, men=5'")
            continue
        for part in filter(None, (p.strip() for p in parts.split(","))):
            category, equals, value = part.rpartition("=")
            number = reader.number(value, row, "breakdown") if equals else None
            if not equals or not category.strip() or number is None:
                if not equals or not category.strip():
                    reader.fail(row, "breakdown", f"{part!r} should read like 'women=7'")
                continue
            found.append(Breakdown(dimension=name.strip(), category=category.strip(),
                                   value=number))
    return found


def _model_errors(reader: _Reader, row: int, exc: ValidationError, labels: dict) -> None:
    from consortia.datafiles import plain_message

    for item in exc.errors():
        names = [part for part in item["loc"] if isinstance(part, str)]
        column = labels.get(names[0] if names else "", names[0] if names else None)
        message = plain_message(item)
        if item["type"] == "value_error":
            message = str(item.get("ctx", {}).get("error", message))
        reader.fail(row, column, message)


def _rows(sheet, columns: list[Column], reader: _Reader) -> list[tuple[int, dict]]:
    """The data rows of a sheet as ``(row number, {header: value})``; checks the headers."""
    expected = [c.label for c in columns]
    got = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1), ())]
    got = [str(v).strip() if v is not None else "" for v in got]
    while got and got[-1] == "":
        got.pop()
    if got != expected:
        missing = [h for h in expected if h not in got]
        extra = [h for h in got if h not in expected]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(repr(h) for h in missing))
        if extra:
            detail.append("unexpected " + ", ".join(repr(h) for h in extra))
        if not detail:
            detail.append("the columns are in another order")
        reader.fail(1, None, f"the header row does not match the kit's ({'; '.join(detail)}); "
                    "export the plan again and copy your figures into the new workbook")
        return []
    found = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = list(values)[:len(columns)] + [None] * (len(columns) - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        found.append((number, {c.header: v for c, v in zip(columns, values, strict=True)}))
    return found


def _ids(reader: _Reader, rows: list[tuple[int, dict]], known: dict) -> list[tuple[int, dict]]:
    """Rows whose id the plan knows; unknown, missing and repeated ids are problems."""
    seen, kept = set(), []
    for number, row in rows:
        key = reader.text(row["id"], number, "id")
        if not key:
            reader.fail(number, "id", "has no id; keep the id the kit wrote (add new items "
                        "in the planner)")
        elif key not in known:
            reader.fail(number, "id", f"{key!r} is not an id of this plan; keep the ids the "
                        "kit wrote (add new items in the planner)")
        elif key in seen:
            reader.fail(number, "id", f"{key!r} appears twice; keep one row per id")
        else:
            seen.add(key)
            kept.append((number, {**row, "id": key}))
    return kept


def import_workbook(path: Path | str, plan: ActionPlan) -> WorkbookImport:
    """Read the workbook at ``path`` as changes to ``plan``; saves nothing.

    Returns a :class:`WorkbookImport`: ``plan`` is the plan the workbook describes
    (``None`` if it cannot be built), ``changes`` says what differs from ``plan`` in
    words, ``errors`` lists every problem with its sheet, row and column.
    """
    from openpyxl import load_workbook

    path = Path(path)
    result = WorkbookImport(path, None)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the name and "
                         "folder") from None
    if size > MAX_WORKBOOK_BYTES:
        raise InputError(f"{path}: {size:,} bytes is far too large for a plan workbook")
    try:
        book = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{path}: is not an Excel workbook (.xlsx) the kit can read ({exc}); "
                         "save it from Excel as 'Excel Workbook (.xlsx)'") from None
    errors = result.errors
    names = [n for n in book.sheetnames]
    for name in SHEETS:
        if name not in names:
            errors.append(RowError(name, None, None, "this sheet is missing; export the plan "
                                   "again and do not delete or rename sheets"))
    for name in names:
        if name not in (*SHEETS, LISTS):
            errors.append(RowError(name, None, None, "this sheet is not part of a plan "
                                   "workbook; remove it or move its content to the right sheet"))
    for name in COLUMNS:
        if name in names and book[name].merged_cells.ranges:
            merged = ", ".join(str(r) for r in book[name].merged_cells.ranges)
            errors.append(RowError(name, None, None, f"has merged cells ({merged}); unmerge "
                                   "them so that every value sits in its own cell"))
    if errors:
        return result
    new = _read_plan(book, plan, errors)
    if new is not None and not errors:
        result.plan = new
        result.changes = describe_changes(plan, new)
    return result


def _read_plan(book, plan: ActionPlan, errors: list[RowError]) -> ActionPlan | None:
    data = plan.model_dump()
    # Plan sheet
    reader = _Reader("Plan", errors)
    fields = {key: editable for key, _, editable in PLAN_FIELDS}
    for number, row in _ids(reader, _rows(book["Plan"], COLUMNS["Plan"], reader), fields):
        key = row["id"]
        if not fields[key]:
            continue
        if key == "start_date":
            data[key] = reader.date(row["value"], number, "value")
        else:
            data[key] = reader.text(row["value"], number, "value")
            if key == "consortium" and not data[key]:
                reader.fail(number, "value", "the consortium needs a name")
    # Activities
    reader = _Reader("Activities", errors)
    by_id = {a["id"]: a for a in data["activities"]}
    columns = COLUMNS["Activities"]
    for number, row in _ids(reader, _rows(book["Activities"], columns, reader), by_id):
        item = by_id[row["id"]]
        title = reader.text(row["title"], number, "title")
        if not title:
            reader.fail(number, "title", "is empty; every activity needs a title")
        item["title"] = title
        phase = reader.choice(row["phase"], number, "phase", LIST_VALUES["phases"])
        start = reader.integer(row["start month"], number, "start month")
        duration = reader.integer(row["duration (months)"], number, "duration (months)")
        for key, value, label in (("phase", phase, "phase"), ("start_month", start, "start month"),
                                  ("duration_months", duration, "duration (months)")):
            if value is None and row[label] in (None, ""):
                reader.fail(number, label, "is empty; fill it in")
            elif value is not None:
                item[key] = value
        item["owner"] = reader.text(row["owner"], number, "owner")
        item["budget_usd"] = reader.number(row["budget (US$)"], number, "budget (US$)")
    # Indicators
    reader = _Reader("Indicators", errors)
    by_id = {i["id"]: i for i in data["indicators"]}
    renamed = {}
    columns = COLUMNS["Indicators"]
    for number, row in _ids(reader, _rows(book["Indicators"], columns, reader), by_id):
        item = by_id[row["id"]]
        name = reader.text(row["name"], number, "name")
        if not name:
            reader.fail(number, "name", "is empty; every indicator needs a name")
        elif name != item["name"]:
            renamed[item["name"]] = name
        item["name"] = name or item["name"]
        for key, label in (("kind", "kind"), ("measure", "measure"), ("phase", "phase")):
            listed = {"kind": "kinds", "measure": "measures", "phase": "phases"}[key]
            value = reader.choice(row[label], number, label, LIST_VALUES[listed])
            if value is None and row[label] in (None, ""):
                reader.fail(number, label, "is empty; choose a value in the list")
            elif value is not None:
                item[key] = value
        item["unit"] = reader.text(row["unit"], number, "unit")
        for key in ("baseline", "target"):
            value = reader.number(row[key], number, key)
            item[key] = 0.0 if value is None else value
    names = [i["name"] for i in data["indicators"]]
    if len(set(names)) != len(names):
        reader.fail(None, "name", "two indicators have the same name; give each its own")
    for activity in data["activities"]:
        activity["indicators"] = [renamed.get(n, n) for n in activity["indicators"]]
    measures = {i["id"]: i["measure"] for i in data["indicators"]}
    periods = progress.periods(plan)
    # Progress
    reader = _Reader("Progress", errors)
    keys = {f"{i}-P{p.number}": (i, p.number) for i in measures for p in periods}
    reports = []
    columns = COLUMNS["Progress"]
    labels = {"target": "target", "actual": "actual", "actual_text": "actual",
              "assessment": "assessment", "reason": "reason sent back", "status": "status"}
    for number, row in _ids(reader, _rows(book["Progress"], columns, reader), keys):
        indicator, period_number = keys[row["id"]]
        values = _report_values(reader, number, row, measures[indicator])
        if values is None:
            continue
        try:
            reports.append(IndicatorPeriod(indicator=indicator, period=period_number, **values))
        except ValidationError as exc:
            _model_errors(reader, number, exc, labels)
    data["indicator_periods"] = [r.model_dump() for r in reports]
    # Activity progress
    reader = _Reader("Activity progress", errors)
    keys = {f"{a['id']}-P{p.number}": (a["id"], p.number) for a in data["activities"]
            for p in periods}
    updates = []
    for number, row in _ids(reader, _rows(book["Activity progress"], COLUMNS["Activity progress"],
                                          reader), keys):
        activity, period_number = keys[row["id"]]
        status = reader.choice(row["status"], number, "status", LIST_VALUES["activity_states"])
        note = reader.text(row["note"], number, "note")
        if status is None:
            if note:
                reader.fail(number, "status", "is empty but the row has a note; choose a status")
            continue
        updates.append(ActivityUpdate(activity=activity, period=period_number, status=status,
                                      note=note).model_dump())
    data["activity_updates"] = updates
    # Reviews
    reader = _Reader("Reviews", errors)
    keys = {f"P{p.number}": p.number for p in periods}
    reviews = []
    for number, row in _ids(reader, _rows(book["Reviews"], COLUMNS["Reviews"], reader), keys):
        held = reader.date(row["held on"], number, "held on")
        decisions = reader.text(row["decisions"], number, "decisions")
        sent = reader.date(row["report sent on"], number, "report sent on")
        if held is None:
            if (decisions or sent) and row["held on"] in (None, ""):
                reader.fail(number, "held on", "is empty; a review needs the day it was held")
            continue
        reviews.append(Review(period=keys[row["id"]], held_on=held, decisions=decisions,
                              sent_on=sent).model_dump())
    data["reviews"] = reviews
    if errors:
        return None
    try:
        return ActionPlan.model_validate(data)
    except ValidationError as exc:
        reader = _Reader("Plan", errors)
        _model_errors(reader, None, exc, {})
        return None


def _report_values(reader: _Reader, number: int, row: dict, measure: str) -> dict | None:
    """The fields of an IndicatorPeriod from a Progress row, or None for an empty row."""
    values: dict[str, object] = {}
    values["target"] = reader.number(row["target"], number, "target")
    if measure == "number":
        values["actual"] = reader.number(row["actual"], number, "actual")
    else:
        values["actual_text"] = reader.text(row["actual"], number, "actual") or None
    values["assessment"] = reader.choice(row["assessment"], number, "assessment",
                                         LIST_VALUES["assessments"])
    values["breakdown"] = _parse_breakdown(reader, reader.text(row["breakdown"], number,
                                                               "breakdown"), number)
    values["comment"] = reader.text(row["comment"], number, "comment")
    values["evidence"] = parse_evidence(reader.text(row["evidence"], number, "evidence"))
    values["reported_by"] = reader.text(row["reported by"], number, "reported by")
    values["reported_on"] = reader.date(row["reported on"], number, "reported on")
    status = reader.choice(row["status"], number, "status", LIST_VALUES["statuses"])
    values["reason"] = reader.text(row["reason sent back"], number, "reason sent back") or None
    empty = not any(v for k, v in values.items()) and row["status"] in (None, "")
    if empty:
        return None
    values["status"] = status or "draft"
    return values


# --- what changed ---------------------------------------------------------------------------


def describe_changes(old: ActionPlan, new: ActionPlan) -> list[str]:
    """The differences between two plans, row by row as the workbook shows them."""
    before, after = sheet_rows(old), sheet_rows(new)
    changes = []
    for name, columns in COLUMNS.items():
        old_rows = {row[0]: row for row in before[name]}
        for row in after[name]:
            was = old_rows.get(row[0])
            if was is None:
                changes.append(f"{name} {row[0]}: new row")
                continue
            for column, a, b in zip(columns, was, row, strict=True):
                if column.editable and _shown(a) != _shown(b):
                    changes.append(f"{name} {row[0]}: {column.header} {_shown(a) or '(empty)'}"
                                   f" -> {_shown(b) or '(empty)'}")
    return changes


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value).replace("\n", " / ")
    return text if len(text) <= 60 else text[:57] + "..."


def apply_workbook(path: Path | str, plan_file: Path | str,
                   save: Callable[[ActionPlan, Path], Path] | None = None) -> WorkbookImport:
    """Import ``path`` into the plan file ``plan_file`` and save it, only if all is valid."""
    from consortia.plans.files import load_plan, save_plan

    plan_file = Path(plan_file)
    result = import_workbook(path, load_plan(plan_file))
    if result.ok and result.changes:
        (save or save_plan)(result.plan, plan_file)
    return result
