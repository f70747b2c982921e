"""The programme dashboard, the evaluation summary and the same rows as an xlsx.

:func:`render_dashboard` writes one self-contained HTML page (styles inline, charts
as inline SVG, no outside links) for SELA, UNIDO and their partners: one row per
consortium, charts of actual against target for each indicator, late activities,
the non-economic indicators side by side (SELA 2014 §41) and each team's steps
towards the market goal (§45). :func:`render_summary` is the one-page summary for
the evaluation meeting (§53), to print or send as a PDF. :func:`write_rows_xlsx`
writes the dashboard's rows as a workbook. Plans invented for teaching are marked
as such on every page and in the workbook.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from consortia import pages
from consortia.content import methodology
from consortia.monitoring.charts import indicator_chart
from consortia.monitoring.programme import TeamRow
from consortia.plans import progress

#: How many consortia the summary lists under "to discuss first" (it stays one page).
MAX_CONCERNS = 12


def notes(rows: list[TeamRow]) -> list[str]:
    """The distinct notes of the plans invented for teaching, in order."""
    return list(dict.fromkeys(r.plan.illustrative_note for r in rows if r.plan.illustrative_note))


def _now(generated: dt.datetime | None) -> str:
    return (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")


def render_dashboard(rows: list[TeamRow], on: dt.date, skipped: list[str] = (),
                     summary_file: str = "summary.html",
                     generated: dt.datetime | None = None) -> str:
    """The dashboard of ``rows`` (from :func:`~consortia.monitoring.programme.programme_rows`)."""
    charts, offsets = [], {}
    for row in rows:
        offsets[row.file] = len(charts)
        charts += [indicator_chart(row.plan, state.indicator) for state in row.states]
    non_economic = [(row, state) for row in rows for state in row.states
                    if state.indicator.kind == "non-economic"]
    return pages.render(
        "dashboard.html.j2", rows=rows, on=f"{on:%Y-%m-%d}", notes=notes(rows),
        styles=progress.STATE_STYLE, charts=charts, offsets=offsets,
        non_economic=non_economic, skipped=list(skipped), summary_file=summary_file,
        generated=_now(generated),
    )


def summary_figures(rows: list[TeamRow]) -> dict[str, object]:
    """The figures of the evaluation summary, as plain data."""
    reached = Counter(r.phase_reached for r in rows)
    phases = [(methodology.phase_label(n) if n else "none done yet", reached[n])
              for n in sorted(reached, key=lambda n: n or 0)]
    indicator_counts = []
    for kind in ("economic", "non-economic", None):
        counts = dict.fromkeys(progress.STATES, 0)
        for row in rows:
            for state in row.states:
                if state.indicator.kind == kind:
                    counts[state.state] += 1
        if kind is None and not any(counts.values()):
            continue  # every indicator has its kind: no row for the others
        indicator_counts.append((kind or "kind not chosen", counts))
    market = [(steps, [r.plan.consortium for r in rows if r.goal.steps == steps])
              for steps in (3, 2, 1, 0)]
    concerns = []
    for row in rows:
        why = []
        if row.counts[progress.OFF_TRACK]:
            why.append(f"{row.counts[progress.OFF_TRACK]} indicator(s) off track")
        if row.review_overdue:
            why.append("a review is overdue")
        if row.late:
            why.append(f"{len(row.late)} late activit{'y' if len(row.late) == 1 else 'ies'}")
        if why:
            concerns.append((row.plan.consortium, "; ".join(why)))
    if len(concerns) > MAX_CONCERNS:
        more = len(concerns) - MAX_CONCERNS
        concerns = [*concerns[:MAX_CONCERNS], ("…", f"and {more} more (see the dashboard)")]
    return {
        "phases": phases, "states": progress.STATES, "indicator_counts": indicator_counts,
        "reviewed": sum(1 for r in rows if r.last_review),
        "overdue": [r.plan.consortium for r in rows if r.review_overdue],
        "late_total": sum(len(r.late) for r in rows),
        "late_teams": sum(1 for r in rows if r.late),
        "market": market, "concerns": concerns,
    }


def render_summary(rows: list[TeamRow], on: dt.date,
                   generated: dt.datetime | None = None) -> str:
    """The one-page summary for the evaluation meeting (SELA 2014 §53)."""
    return pages.render("evaluation_summary.html.j2", rows=rows, on=f"{on:%Y-%m-%d}",
                        notes=notes(rows), generated=_now(generated), **summary_figures(rows))


def write_rows_xlsx(rows: list[TeamRow], path: Path | str) -> Path:
    """The dashboard's rows as a workbook: *Consortia* (one row each) and *Indicators*."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "Consortia"
    first = 1
    for note in notes(rows):
        sheet.append([f"NOTE: {note}"])
        sheet.cell(first, 1).font = Font(bold=True, color="A50E0E")
        first += 1
    header = list(rows[0].as_dict()) if rows else ["consortium"]
    sheet.append(header)
    for cell in sheet[first]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row.as_dict().values()))
    detail = book.create_sheet("Indicators")
    detail.append(["consortium", "indicator id", "indicator", "kind", "unit", "period",
                   "baseline", "target then", "actual", "share of change expected (%)", "state",
                   "illustrative"])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for row in rows:
        for state in row.states:
            item = state.indicator
            detail.append([row.plan.consortium, item.id, item.name,
                           item.kind or "kind not chosen", item.unit,
                           state.period, item.baseline if item.measure == "number" else None,
                           state.target,
                           state.actual if state.actual_text is None else state.actual_text,
                           None if state.share is None else round(100 * state.share),
                           state.state, bool(row.plan.illustrative_note)])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
