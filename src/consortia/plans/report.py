"""The progress report of one team and one review: a printable page, and the same as a PDF.

After each six-monthly review (SELA 2014 §21) a team sends its members and the
partners who follow it from a distance (§46) a short report. The lesson on
monitoring gives its parts; :func:`render_progress_report` fills them from the plan:
the period and the review, each indicator with its target, actual, share of the
change expected, state and evidence, the activities and their status, the review's
decisions, what the progress checks say, the steps towards the §45 market goal, and
what the next period holds. :func:`write_progress_report` writes it as ``.html`` or,
printed with headless Chromium (:func:`consortia.pages.html_to_pdf`), as ``.pdf``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from consortia import pages
from consortia.content import methodology
from consortia.errors import InputError
from consortia.plans import progress, rules
from consortia.plans.model import ActionPlan


def report_period(plan: ActionPlan, on: dt.date, number: int | None = None) -> progress.Period:
    """The period a report covers: ``number``, else the latest that has ended, else the first."""
    if number is not None:
        try:
            return progress.period(plan, number)
        except KeyError as exc:
            raise InputError(exc.args[0]) from None
    ended = progress.ended_periods(plan, on)
    return ended[-1] if ended else progress.periods(plan)[0]


def _evidence(report) -> str:
    if report is None or not report.evidence:
        return "none given"
    return "; ".join(e.title or e.where for e in report.evidence)


def render_progress_report(plan: ActionPlan, period: int | None = None,
                           on: dt.date | None = None,
                           generated: dt.datetime | None = None) -> str:
    """The progress report of ``plan`` for review ``period`` (a whole HTML document)."""
    on = on or dt.date.today()
    chosen = report_period(plan, on, period)
    review = plan.review(chosen.number)
    indicators, classes = [], []
    styles = progress.STATE_STYLE
    for item in plan.indicators:
        state = progress.period_state(plan, item, chosen.number)
        report = plan.indicator_period(item.id, chosen.number)
        mark = styles[state.state][1]
        if item.measure == "text":
            target, actual = "—", state.actual_text or "—"
        else:
            target = f"{state.target:g} {item.unit}".strip()
            actual = "—" if state.actual is None else f"{state.actual:g} {item.unit}".strip()
        share = "—" if state.share is None else f"{round(100 * state.share)}%"
        indicators.append([item.name, item.kind, target, actual, share,
                           f"{mark} {state.state}", _evidence(report),
                           (report.reported_by if report else "") or "—",
                           report.status if report else "not reported"])
        classes.append(state.state.replace(" ", "-"))
    activities = []
    for a in plan.activities:
        update = plan.activity_update(a.id, chosen.number)
        status = progress.activity_status(plan, a, min(on, chosen.end) if chosen.end else on)
        if update is not None:
            status = update.status
        activities.append([f"{a.id} {a.title}", methodology.phase_label(a.phase),
                           f"{a.start_month}-{a.end_month}", status,
                           (update.note if update else "") or ""])
    concerns = [[f.message, f.suggestion] for f in rules.check_plan(plan, on)
                if f.code in rules.DATED]  # the rules about progress
    following = [p for p in progress.periods(plan) if p.number == chosen.number + 1]
    upcoming = []
    if following:
        nxt = following[0]
        upcoming = [[f"{a.id} {a.title}", methodology.phase_label(a.phase),
                     f"{a.start_month}-{a.end_month}"] for a in plan.activities
                    if a.start_month < nxt.end_month and a.end_month > nxt.start_month]
    goal = progress.market_goal(plan, on)
    facts = [
        ("Country", plan.country or "not stated"),
        ("Product", plan.product or "not stated"),
        ("Review held on", f"{review.held_on:%Y-%m-%d}" if review else "no review recorded yet"),
        ("Report sent on", f"{review.sent_on:%Y-%m-%d}" if review and review.sent_on
         else "not yet sent"),
        ("Plan started on", f"{plan.start_date:%Y-%m-%d}" if plan.start_date
         else "no start date set"),
    ]
    limits = progress.settings().states
    return pages.render(
        "progress_report.html.j2",
        plan=plan, period=chosen, cadence=progress.cadence(plan), facts=facts,
        indicators=indicators, indicator_classes=classes, activities=activities,
        styles=list(styles.items()),
        states_rule=(f"on track from {round(100 * limits.on_track)}% of the change expected "
                     f"by the end of the period, at risk from {round(100 * limits.at_risk)}%"),
        decisions=(review.decisions if review and review.decisions else
                   "Nothing recorded yet."),
        concerns=concerns,
        market=f"{goal.steps} of 3 steps: {goal.label}.",
        upcoming=upcoming, on=f"{on:%Y-%m-%d}",
        generated=(generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M"),
    )


def write_progress_report(plan: ActionPlan, out: Path | str, period: int | None = None,
                          on: dt.date | None = None) -> tuple[Path, int | None]:
    """Write the report to ``out`` (``.html`` or ``.pdf``); return the path and, for a
    PDF, its number of pages."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise InputError(f"{out.name}: write the report as .html or .pdf")
    page = render_progress_report(plan, period, on)
    if suffix == ".pdf":
        pages.html_to_pdf(page, out)
        return out, pages.pdf_page_count(out.read_bytes())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out, None
