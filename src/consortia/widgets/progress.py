"""The planner's Progress tab: record a review, its figures and where each activity stands.

After the plan is handed in, a team comes back every six months (SELA 2014 §21) to
record what happened. The tab works on the planner's own
:class:`~consortia.plans.session.PlanSession`, so every change is validated, saved
at once and undone with the planner's Undo button, and a refused value leaves the
plan as it was with a message that names the field. In a few steps a team:

1. sets the day the plan started (once), and chooses the review period;
2. for each indicator, types the actual (a number, or words for a text indicator),
   the evidence (a link or a file name), who reported it and the status, then clicks
   **Save figure**;
3. for each activity, chooses where it stands and clicks **Save status**;
4. records the review itself (the day it was held, what it decided, when the report
   went to the partners) with **Record review**, and marks a fair as held.

The table at the bottom shows each indicator's state as :mod:`consortia.plans.progress`
works it out, with late activities and reviews due; the planner's findings list the
progress rules. The tab is driven through ordinary widget attributes, like the rest of
the planner (``planner.progress.actual.value = "12"``, ``...save_figure_button.click()``).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

import ipywidgets as w

from consortia.plans import progress
from consortia.plans.model import (
    ACTIVITY_STATES,
    MARKET_MILESTONES,
    REPORT_STATUSES,
    ActivityUpdate,
    IndicatorPeriod,
    Review,
    evidence_text,
    parse_evidence,
)

if TYPE_CHECKING:
    from consortia.widgets.planner import PhasePlanner

_STYLE = {"description_width": "170px"}
_WIDE = w.Layout(width="640px")
_TALL = w.Layout(width="640px", height="70px")
NONE = ""


def parse_number(text: str, label: str) -> float | None:
    """A number typed as ``12``, ``2500`` or ``2,500``; empty means none."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"{label} {text.strip()!r} is not a number: write digits only "
                         "(e.g. 12 or 2500), or leave it empty") from None


class ProgressTab:
    """The controls of the Progress tab and what they do, for one :class:`PhasePlanner`."""

    def __init__(self, planner: PhasePlanner):
        self.planner = planner
        guard = planner._guard
        text = {"style": _STYLE, "layout": _WIDE}
        self.start_date = w.DatePicker(description="Plan started on", style=_STYLE)
        self.period = w.Dropdown(description="Review period", **text)
        # one figure
        self.indicator = w.Dropdown(description="Indicator", **text)
        self.planned = w.HTML()
        self.target = w.Text(description="Target for the period",
                             placeholder="optional: leave empty to follow the plan's path",
                             **text)
        self.actual = w.Text(description="Actual", placeholder="the figure measured, e.g. 12",
                             **text)
        self.assessment = w.Dropdown(description="Your reading", options=[
            ("— only for an indicator reported in words —", NONE), ("On track", "on track"),
            ("At risk", "at risk"), ("Off track", "off track")], **text)
        self.comment = w.Textarea(description="Comment", style=_STYLE, layout=_TALL)
        self.evidence = w.Textarea(
            description="Evidence", placeholder="one link or file name per line, e.g. "
            "attendance-list-june.pdf", style=_STYLE, layout=_TALL)
        self.reported_by = w.Text(description="Reported by", placeholder="e.g. the secretary",
                                  **text)
        self.reported_on = w.DatePicker(description="Reported on", style=_STYLE)
        self.status = w.Dropdown(description="Status", options=list(REPORT_STATUSES), **text)
        self.reason = w.Text(description="Reason sent back", placeholder="only if sent back",
                             **text)
        self.save_figure_button = w.Button(description="Save figure", button_style="success",
                                           icon="check")
        # one activity
        self.activity = w.Dropdown(description="Activity", **text)
        self.activity_status = w.Dropdown(description="Where it stands",
                                          options=list(ACTIVITY_STATES), **text)
        self.activity_note = w.Text(description="Note", placeholder="why, or what comes next",
                                    **text)
        self.save_activity_button = w.Button(description="Save status", button_style="success",
                                             icon="check")
        # the review
        self.held_on = w.DatePicker(description="Review held on", style=_STYLE)
        self.decisions = w.Textarea(description="What it decided", style=_STYLE, layout=_TALL)
        self.sent_on = w.DatePicker(description="Report sent on", style=_STYLE)
        self.record_review_button = w.Button(description="Record review",
                                             button_style="primary", icon="calendar")
        # the fair
        self.milestone = w.Dropdown(description="Fair or launch", **text)
        self.reached_on = w.DatePicker(description="Held on", style=_STYLE)
        self.mark_reached_button = w.Button(description="Mark as held", icon="flag")
        self.states = w.HTML(layout=w.Layout(max_width="1100px"))

        self.start_date.observe(guard(self._start_date_changed), names="value")
        for control in (self.period, self.indicator):
            control.observe(guard(lambda _c: self._fill_figure()), names="value")
        self.period.observe(guard(lambda _c: self._fill_review()), names="value")
        for control in (self.period, self.activity):
            control.observe(guard(lambda _c: self._fill_activity()), names="value")
        self.milestone.observe(guard(lambda _c: self._fill_milestone()), names="value")
        self.save_figure_button.on_click(guard(lambda _b: self.save_figure()))
        self.save_activity_button.on_click(guard(lambda _b: self.save_activity()))
        self.record_review_button.on_click(guard(lambda _b: self.record_review()))
        self.mark_reached_button.on_click(guard(lambda _b: self.mark_reached()))

        def heading(label: str) -> w.HTML:
            return w.HTML(f"<h4 style='margin:10px 0 2px'>{label}</h4>")

        self.widget = w.VBox([
            w.HTML('<div style="color:#444;max-width:760px;margin-bottom:6px">Come back here '
                   "at each review. Set the day the plan started, choose the period, then "
                   "record each indicator's figure with its evidence, where each activity "
                   "stands, and the review itself. Every change is saved at once; Undo "
                   "works here too.</div>"),
            self.start_date, self.period,
            heading("1. A figure for the period"), self.indicator, self.planned, self.target,
            self.actual, self.assessment, self.comment, self.evidence, self.reported_by,
            self.reported_on, self.status, self.reason, self.save_figure_button,
            heading("2. Where an activity stands"), self.activity, self.activity_status,
            self.activity_note, self.save_activity_button,
            heading("3. The review meeting"), self.held_on, self.decisions, self.sent_on,
            self.record_review_button,
            heading("4. The fair (SELA 2014 §45)"), self.milestone, self.reached_on,
            self.mark_reached_button,
            heading("Where the plan stands today"), self.states,
        ])

    # -- what the plan holds ---------------------------------------------------------------

    @property
    def plan(self):
        return self.planner.plan

    def refresh(self) -> None:
        """Update the lists and the states table from the plan (after every change)."""
        from consortia.widgets.planner import _set_options

        plan = self.plan
        with self.planner._quiet():
            self.start_date.value = plan.start_date
            periods = [(p.label, p.number) for p in progress.periods(plan)]
            current = self.period.value if self.period.value in dict(periods).values() else None
            if current is None:
                ended = progress.ended_periods(plan, dt.date.today())
                current = ended[-1].number if ended else periods[0][1]
            _set_options(self.period, periods, current)
            ids = [i.id for i in plan.indicators]
            _set_options(self.indicator, [(f"{i.name} ({i.unit or i.measure})", i.id)
                                          for i in plan.indicators],
                         self.indicator.value if self.indicator.value in ids else
                         (ids[0] if ids else None))
            ids = [a.id for a in plan.activities]
            _set_options(self.activity, [(f"{a.id} — {a.title}", a.id) for a in plan.activities],
                         self.activity.value if self.activity.value in ids else
                         (ids[0] if ids else None))
            market = [(f"Month {m.month} — {m.title}", n) for n, m in enumerate(plan.milestones)
                      if m.kind in MARKET_MILESTONES]
            numbers = [n for _, n in market]
            _set_options(self.milestone, market, self.milestone.value
                         if self.milestone.value in numbers else (numbers[0] if numbers else None))
        self.states.value = states_html(plan, dt.date.today())

    def fill(self) -> None:
        """Put the plan's values for the chosen period into every form (opening, Undo)."""
        self._fill_figure()
        self._fill_activity()
        self._fill_review()
        self._fill_milestone()

    def _fill_figure(self) -> None:
        if self.planner._syncing or self.indicator.value is None or self.period.value is None:
            return
        plan = self.plan
        indicator = plan.indicator(self.indicator.value)
        report = plan.indicator_period(indicator.id, self.period.value)
        with self.planner._quiet():
            if indicator.measure == "number":
                planned = progress.planned_value(plan, indicator,
                                                 progress.period(plan, self.period.value)
                                                 .end_month)
                self.planned.value = (f'<div style="color:#444;margin-left:176px">Baseline '
                                      f"{indicator.baseline:g}, target {indicator.target:g} "
                                      f"{html.escape(indicator.unit)}; the plan's path "
                                      f"reaches {planned:g} by the end of this period.</div>")
            else:
                self.planned.value = ('<div style="color:#444;margin-left:176px">Reported in '
                                      "words: write what happened and choose your reading."
                                      "</div>")
            self.target.value = "" if report is None or report.target is None \
                else f"{report.target:g}"
            if report is None:
                self.actual.value = ""
            elif indicator.measure == "number":
                self.actual.value = "" if report.actual is None else f"{report.actual:g}"
            else:
                self.actual.value = report.actual_text or ""
            self.assessment.value = (report.assessment if report else None) or NONE
            self.comment.value = report.comment if report else ""
            self.evidence.value = evidence_text(report.evidence) if report else ""
            self.reported_by.value = report.reported_by if report else ""
            self.reported_on.value = report.reported_on if report else None
            self.status.value = report.status if report else "draft"
            self.reason.value = (report.reason if report else "") or ""

    def _fill_activity(self) -> None:
        if self.planner._syncing or self.activity.value is None or self.period.value is None:
            return
        update = self.plan.activity_update(self.activity.value, self.period.value)
        with self.planner._quiet():
            if update is None:
                status = progress.activity_status(self.plan, self.plan.activity(
                    self.activity.value))
                self.activity_status.value = status
                self.activity_note.value = ""
            else:
                self.activity_status.value = update.status
                self.activity_note.value = update.note

    def _fill_review(self) -> None:
        if self.planner._syncing or self.period.value is None:
            return
        review = self.plan.review(self.period.value)
        with self.planner._quiet():
            self.held_on.value = review.held_on if review else None
            self.decisions.value = review.decisions if review else ""
            self.sent_on.value = review.sent_on if review else None

    def _fill_milestone(self) -> None:
        if self.planner._syncing or self.milestone.value is None:
            return
        with self.planner._quiet():
            self.reached_on.value = self.plan.milestones[self.milestone.value].reached_on

    # -- edits -------------------------------------------------------------------------------

    def _start_date_changed(self, change) -> None:
        if self.planner._syncing:
            return
        day = change["new"]
        what = f"Start date set to {day:%Y-%m-%d}" if day else "Start date removed"
        self.planner._change(what, lambda plan: plan.updated(start_date=day),
                             merge_key="start_date")
        self.fill()

    def _need(self, control, what: str) -> bool:
        if control.value is None:
            self.planner._say(f"Add {what} to the plan first (in its own tab).", ok=False)
            return False
        return True

    def save_figure(self) -> None:
        """Save the figure in the form for the chosen indicator and period."""
        if not self._need(self.indicator, "an indicator"):
            return
        indicator_id, period = self.indicator.value, self.period.value

        def make(plan):
            indicator = plan.indicator(indicator_id)
            values = {"target": parse_number(self.target.value, "Target")}
            if indicator.measure == "number":
                values["actual"] = parse_number(self.actual.value, "Actual")
            else:
                values["actual_text"] = self.actual.value.strip() or None
            report = IndicatorPeriod(
                indicator=indicator_id, period=period, **values,
                assessment=self.assessment.value or None, comment=self.comment.value,
                evidence=parse_evidence(self.evidence.value),
                reported_by=self.reported_by.value, reported_on=self.reported_on.value,
                status=self.status.value, reason=self.reason.value.strip() or None)
            return plan.with_indicator_period(report)

        name = self.plan.indicator(indicator_id).name
        self.planner._change(f"Saved the figure of “{name}” for period {period}", make,
                             subject="figure")

    def save_activity(self) -> None:
        """Save where the chosen activity stands at the chosen period's review."""
        if not self._need(self.activity, "an activity"):
            return
        activity, period = self.activity.value, self.period.value
        update = {"activity": activity, "period": period, "status": self.activity_status.value,
                  "note": self.activity_note.value}
        self.planner._change(f"Activity {activity} is {update['status']} at review {period}",
                             lambda plan: plan.with_activity_update(ActivityUpdate(**update)),
                             subject="activity status")

    def record_review(self) -> None:
        """Record the review meeting of the chosen period."""
        period = self.period.value
        if self.held_on.value is None:
            self.planner._say("Choose the day the review was held (“Review held on”) first.",
                              ok=False)
            return
        review = {"period": period, "held_on": self.held_on.value,
                  "decisions": self.decisions.value, "sent_on": self.sent_on.value}
        self.planner._change(f"Recorded the review of period {period}",
                             lambda plan: plan.with_review(Review(**review)), subject="review")

    def mark_reached(self) -> None:
        """Mark the chosen fair or launch as held on the day given (empty: not held)."""
        if not self._need(self.milestone, "a fair or launch milestone"):
            return
        index, day = self.milestone.value, self.reached_on.value

        def make(plan):
            items = list(plan.milestones)
            items[index] = items[index].model_copy(update={"reached_on": day})
            return plan.updated(milestones=items)

        title = self.plan.milestones[index].title
        what = (f"“{title}” marked as held on {day:%Y-%m-%d}" if day
                else f"“{title}” marked as not held yet")
        self.planner._change(what, make)


def states_html(plan, on: dt.date) -> str:
    """The indicators' states, late activities and reviews due, as a small HTML table."""
    if not plan.indicators:
        return "<i>Add indicators to follow their progress.</i>"
    rows = []
    for state in progress.indicator_states(plan, on):
        colour, mark = progress.STATE_STYLE[state.state]
        rows.append(f"<tr><td>{html.escape(state.indicator.name)}</td>"
                    f"<td>{state.period or '—'}</td>"
                    f'<td style="color:{colour};font-weight:bold">{mark} {state.state}</td>'
                    f"<td>{html.escape(state.reason)}</td></tr>")
    parts = ['<table style="border-collapse:collapse" class="consortia-states">'
             "<tr><th align=left>Indicator</th><th>Period</th><th align=left>State</th>"
             "<th align=left>Why</th></tr>", *rows, "</table>"]
    if plan.start_date is None:
        parts.append("<p><i>Set the day the plan started to date the periods, the reviews "
                     "due and late activities.</i></p>")
    else:
        late = progress.late_activities(plan, on)
        if late:
            parts.append("<p><b>Late:</b> " + html.escape(", ".join(
                f"{a.activity.id} {a.activity.title}" for a in late)) + "</p>")
        upcoming = progress.next_review(plan, on)
        if upcoming is not None:
            overdue = upcoming in progress.overdue_reviews(plan, on)
            parts.append(f"<p><b>Next review:</b> {html.escape(upcoming.label)}"
                         f"{' — overdue' if overdue else ''}.</p>")
    if plan.illustrative_note:
        parts.insert(0, '<p style="color:#a50e0e;font-weight:bold">⚠ '
                        f"{html.escape(plan.illustrative_note)}</p>")
    return "".join(parts)
