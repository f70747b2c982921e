"""The phase planner: a form in the notebook to build, check and save an action plan.

A country team fills in its plan (the consortium, its members and objectives, then
activities, indicators and milestones) and sees, after every change, the plan as a
timeline and what the kit's validator (:mod:`consortia.plans.rules`) says about it.

This module is the view only. Opening the file, recovering from a broken one, every
edit with its validation, Undo and the save after each change are done by
:class:`consortia.plans.session.PlanSession`, which promises that nothing typed is
lost and that a refused edit leaves the plan as it was; the planner turns what the
session says into a status line and redraws. Each tab has its own status line, beside
its buttons, so a message appears where the person just clicked; Undo answers beside
the Undo button.

Widgets do not survive a reload of the page (or a restarted kernel): the cell that
shows the planner also leaves one line of ordinary output, "Your plan is saved in
FILE. Run this cell again to reopen the planner.", hidden while the planner is live
and shown in its place once it is gone (see :mod:`consortia.widgets._view`).

Everything is driven through ordinary widget attributes, so the same object works
in JupyterLab, in Voilà and in tests (set ``planner.activity_title.value`` and call
``planner.add_activity_button.click()``).
"""

from __future__ import annotations

import html
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import ipywidgets as w

from consortia.content import methodology
from consortia.content.programme import work_programme
from consortia.plans import rules
from consortia.plans.model import ActionPlan, Activity, Indicator, Milestone
from consortia.plans.session import (
    FIELD_LABELS,
    UNDO_LEVELS,
    Change,
    PlanSession,
    describe_validation_error,
)
from consortia.plans.timeline import plan_gantt_svg
from consortia.widgets._view import WidgetView
from consortia.widgets.progress import ProgressTab

__all__ = ["FIELD_LABELS", "UNDO_LEVELS", "PhasePlanner", "describe_validation_error",
           "findings_html"]

#: Selector value meaning "nothing chosen: the form describes a new item".
NEW = ""
MEMBER_KINDS = {
    "producers": "Producers",
    "public sector": "Public sector",
    "private sector": "Private sector",
    "university": "University",
}
#: No kind is preselected (the Dropdown starts empty): the team must choose one.
INDICATOR_KINDS = [
    ("Economic (sales, prices, income…)", "economic"),
    ("Non-economic (members, trust, skills…)", "non-economic"),
]
MILESTONE_KINDS = [
    ("Fair (meets the market)", "fair"),
    ("Launch (meets the market)", "launch"),
    ("Review of the plan", "review"),
    ("Legal step", "legal"),
    ("Collective mark", "mark"),
    ("Other", "other"),
]
#: Review cadence choices; 0 stands for "not set" (a Dropdown cannot hold None).
REVIEW_MONTHS = (1, 2, 3, 4, 6, 9, 12, 18, 24)

#: Plan fields the timeline does not draw: changing them skips the (slow) redraw.
TIMELINE_IGNORES = {
    "country", "product", "territory", "case", "members", "objectives", "indicators",
    "review_every_months", "start_date", "reviews", "indicator_periods", "activity_updates",
    "illustrative_note",
}

#: Severity -> (label shown, text colour, background colour).
SEVERITY_STYLE = {
    "error": (rules.SEVERITY_LABELS["error"], "#a50e0e", "#fce8e6"),
    "warning": (rules.SEVERITY_LABELS["warning"], "#8a4b00", "#fef3e0"),
    "advice": (rules.SEVERITY_LABELS["advice"], "#174ea6", "#e8f0fe"),
}

_STYLE = {"description_width": "170px"}
_WIDE = w.Layout(width="640px")
_TALL = w.Layout(width="640px", height="110px")


# --- messages -------------------------------------------------------------------------


def findings_html(findings: list[rules.Finding]) -> str:
    """The findings as HTML: a summary line, then one coloured box per finding."""
    if not findings:
        return (
            '<div style="color:#137333;font-weight:bold;padding:6px 0">✔ No problems found: '
            "the plan follows every rule the kit checks.</div>"
        )
    head = f"Checks of the plan: {rules.summary(findings)}."
    if rules.has_errors(findings):
        head += " Fix the errors (“Must fix”) before you hand the plan in."
    parts = [f'<div style="font-weight:bold;padding:4px 0">{html.escape(head)}</div>']
    for f in findings:
        label, colour, background = SEVERITY_STYLE.get(f.severity, (f.severity, "#333", "#eee"))
        parts.append(
            f'<div class="consortia-finding consortia-{html.escape(f.severity)}" '
            f'style="border-left:5px solid {colour};background:{background};'
            f'padding:4px 8px;margin:4px 0;line-height:1.35">'
            f'<b style="color:{colour}">{html.escape(label)}:</b> {html.escape(f.message)}<br>'
            f"What to do: {html.escape(f.suggestion)} "
            f'<span style="color:#666;font-size:0.85em">({html.escape(f.source)})</span></div>'
        )
    return "".join(parts)


def _help(text: str) -> w.HTML:
    return w.HTML(f'<div style="color:#444;max-width:760px;margin-bottom:6px">{text}</div>')


def _phase_options(extra: int | None = None) -> list[tuple[str, int]]:
    options = [(f"{p.numeral}  {p.title}", p.number) for p in methodology.phases()]
    if extra is not None and not methodology.is_phase(extra):
        options.append((f"{extra}  (not one of the ten phases: choose one)", extra))
    return options


def _review_options(extra: int | None = None) -> list[tuple[str, int]]:
    months = sorted({*REVIEW_MONTHS, *([extra] if extra else [])})
    return [("No regular review set", 0)] + [
        ("Every month" if n == 1 else f"Every {n} months", n) for n in months
    ]


def _set_options(dropdown, options: list, value) -> None:
    """Give a selection widget new options (if they changed) and select ``value``."""
    if tuple(dropdown.options) != tuple(options):
        dropdown.options = options
    dropdown.value = value


def _bound(slider, low: int, high: int, value: int | None = None) -> None:
    """Set a slider's range to ``low..high``, widened if needed so ``value`` fits unchanged."""
    value = slider.value if value is None else value
    low, high = min(low, value), max(high, value)
    if (slider.min, slider.max, slider.value) == (low, high, value):
        return
    slider.min, slider.max = min(slider.min, low), max(slider.max, high)  # widen first
    slider.value = value
    slider.min, slider.max = low, high


def _buttons(*children) -> w.HBox:
    """A row of buttons with their status line beside them (wrapping below if narrow)."""
    return w.HBox(list(children), layout=w.Layout(align_items="center", flex_flow="row wrap"))


def _same_title(plan: ActionPlan, title: str) -> Activity | None:
    """The plan's activity with this title (ignoring case and spaces), or ``None``."""
    wanted = " ".join(title.split()).casefold()
    return next((a for a in plan.activities
                 if " ".join(a.title.split()).casefold() == wanted), None)


def _budget_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _parse_budget(text: str) -> float | None:
    """Read a budget typed as ``2500``, ``2,500`` or ``US$ 2500``; empty means no budget."""
    cleaned = text.strip().replace(",", "").replace("US$", "").replace("$", "").strip()
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(
            f"Budget {text.strip()!r} is not a number: write digits only (e.g. 2500) or "
            "leave it empty"
        ) from None


# --- the widget ---------------------------------------------------------------------------


class PhasePlanner(WidgetView):
    """A form to build an action plan, saved after every change and checked live.

    ``PhasePlanner("plan.json", case="belize")`` opens ``plan.json`` if it exists,
    or starts a new plan pre-filled from the case study and saves it at once. Show
    it by making it the last expression of a cell.

    Attributes worth knowing: ``session`` (the
    :class:`~consortia.plans.session.PlanSession` that opens, changes and saves the
    plan), ``plan`` (the current :class:`~consortia.plans.model.ActionPlan`),
    ``findings`` (what the validator says about it), ``path`` (the file being saved
    to), ``problem`` (why the requested file could not be used, or ``None``),
    ``history`` (earlier plans, for Undo), ``status_text``/``status_ok`` (the last
    message), ``status_line`` (the status line it was shown in: ``activity_status``
    beside the activity buttons, ``status`` beside Undo...), ``widget`` (what is
    shown), and every control (``activity_title``, ``add_activity_button``...).
    """

    def __init__(self, path: str | Path, case: str | None = None):
        self.requested_path = Path(path)
        self.case = case
        self.findings: list[rules.Finding] = []
        self.problem: str | None = None
        self.status_text = ""
        self.status_ok = True
        #: Tracebacks of unexpected failures caught in a handler (kept for the trainer).
        self.unexpected_errors: list[str] = []
        self._syncing = False
        self._drawn_key: str | None = None

        self._build_controls()
        self.session = PlanSession(self.requested_path, case=case)
        if self.session.recovery is not None:
            self._show_recovery()
        elif self.plan.illustrative_note:
            self.banner.value = ('<div style="border:2px solid #a50e0e;background:#fce8e6;'
                                 f'padding:8px;margin:6px 0;max-width:900px">⚠ '
                                 f"{html.escape(self.plan.illustrative_note)}</div>")
        with self._quiet():
            self._show_plan_fields()
        self._refresh(force_timeline=True)
        self.progress.fill()
        self._say(self.session.opened.message, self.session.opened.ok, where=self.status)

    # -- what the session holds -------------------------------------------------------------

    @property
    def plan(self) -> ActionPlan:
        """The plan as it stands now."""
        return self.session.plan

    @property
    def path(self) -> Path:
        """The file the plan is saved to (a recovery file if the requested one was broken)."""
        return self.session.path

    @property
    def history(self) -> list[ActionPlan]:
        """Earlier versions of the plan, for Undo (oldest first)."""
        return self.session.history

    def __repr__(self) -> str:
        return f"PhasePlanner({str(self.path)!r}, {len(self.plan.activities)} activities)"

    def _show_recovery(self) -> None:
        """Say, in a banner above the tabs, that the file was left alone and why."""
        found = self.session.recovery
        name = html.escape(found.working_on.name)
        work = (f"You are working on <b>{name}</b>, which holds the plan you started after "
                "the problem was found." if found.continued else
                f"You are working on a new plan, saved in <b>{name}</b>.")
        self.problem = (
            f"The plan file <b>{html.escape(found.original.name)}</b> could not be opened: "
            f"{html.escape(found.reason)}. The planner has <b>not</b> changed it: it stays "
            f"exactly as it was, so nothing in it is lost (your trainer can help repair "
            f"it). {work}"
        )
        self.banner.value = (
            '<div style="border:2px solid #a50e0e;background:#fce8e6;padding:8px;'
            f'margin:6px 0;max-width:900px">⚠ {self.problem}</div>'
        )

    # -- controls --------------------------------------------------------------------------

    def _build_controls(self) -> None:
        """Create every control and lay them out (tabs, then timeline and findings)."""
        guard = self._guard
        text = {"style": _STYLE, "layout": _WIDE}

        # plan fields
        self.plan_consortium = w.Text(description="Consortium name", **text)
        self.plan_country = w.Text(description="Country", **text)
        self.plan_product = w.Text(description="Product", **text)
        self.plan_territory = w.Text(description="Territory", **text)
        self.plan_members_count = w.BoundedIntText(
            description="Number of members", min=0, max=1_000_000, style=_STYLE)
        self.plan_member_kinds = {
            kind: w.Checkbox(description=label, indent=False, layout=w.Layout(width="150px"))
            for kind, label in MEMBER_KINDS.items()
        }
        self.plan_objectives = w.Textarea(
            description="Objectives", placeholder="One objective per line", style=_STYLE,
            layout=_TALL)
        self.plan_review = w.Dropdown(description="Review the plan", options=_review_options(),
                                      style=_STYLE)
        self.plan_horizon = w.BoundedIntText(description="Plan covers (months)", min=1,
                                             max=120, style=_STYLE)
        self._plan_controls = fields = {
            "consortium": self.plan_consortium, "country": self.plan_country,
            "product": self.plan_product, "territory": self.plan_territory,
            "members_count": self.plan_members_count, "objectives": self.plan_objectives,
            "review_every_months": self.plan_review, "horizon_months": self.plan_horizon,
            **{f"kind:{kind}": box for kind, box in self.plan_member_kinds.items()},
        }
        for key, control in fields.items():
            control.observe(guard(lambda _change, key=key: self._plan_field_changed(key)),
                            names="value")

        # activities
        self.activity_selector = w.Dropdown(description="Activity", style=_STYLE, layout=_WIDE)
        self.activity_title = w.Text(description="Title", placeholder="e.g. First meeting of "
                                     "the producers", **text)
        self.activity_phase = w.Dropdown(description="Phase", options=_phase_options(), **text)
        self.activity_start = w.IntSlider(description="Starts in month", min=0, max=23,
                                          continuous_update=False, style=_STYLE, layout=_WIDE)
        self.activity_duration = w.IntSlider(description="Lasts (months)", min=1, max=24, value=1,
                                             continuous_update=False, style=_STYLE, layout=_WIDE)
        self.activity_owner = w.Text(description="Owner", placeholder="Who is responsible? "
                                     "e.g. the chamber of commerce", **text)
        self.activity_budget = w.Text(description="Budget (US$)", placeholder="optional, "
                                      "e.g. 2500", **text)
        self.activity_indicators = w.SelectMultiple(
            description="Indicators it moves", rows=4, style=_STYLE, layout=_WIDE)
        self.activity_sets_rules = w.Checkbox(
            description="This activity agrees the rules of production (needed before a "
            "collective mark)", indent=False, layout=_WIDE)
        self.activity_justification = w.Text(
            description="Why it may start early", placeholder="only if it starts before a "
            "phase it builds on", **text)
        self.add_activity_button = w.Button(description="Add activity", button_style="success",
                                            icon="plus")
        self.update_activity_button = w.Button(description="Update selected",
                                               button_style="primary", icon="check")
        self.remove_activity_button = w.Button(description="Remove selected",
                                               button_style="danger", icon="trash")
        self.activity_hint = w.HTML()
        self.activity_selector.observe(guard(self._activity_selected), names="value")
        for control in (self.activity_title, self.activity_phase, self.activity_start,
                        self.activity_duration, self.activity_owner, self.activity_budget,
                        self.activity_indicators, self.activity_sets_rules,
                        self.activity_justification):
            control.observe(guard(self._activity_form_edited), names="value")
        self.add_activity_button.on_click(guard(lambda _b: self.add_activity()))
        self.update_activity_button.on_click(guard(lambda _b: self.update_activity()))
        self.remove_activity_button.on_click(guard(lambda _b: self.remove_activity()))

        # indicators
        self.indicator_selector = w.Dropdown(description="Indicator", style=_STYLE, layout=_WIDE)
        self.indicator_name = w.Text(description="Name", placeholder="e.g. Producers trained",
                                     **text)
        self.indicator_kind = w.Dropdown(description="Kind", options=INDICATOR_KINDS, value=None,
                                         **text)
        self.indicator_unit = w.Text(description="Unit", placeholder="e.g. people, US$, %",
                                     **text)
        self.indicator_baseline = w.FloatText(description="Today (baseline)", style=_STYLE)
        self.indicator_target = w.FloatText(description="Target", style=_STYLE)
        self.indicator_phase = w.Dropdown(description="Phase", options=_phase_options(),
                                          value=10, **text)
        self.add_indicator_button = w.Button(description="Add indicator", button_style="success",
                                             icon="plus")
        self.update_indicator_button = w.Button(description="Update selected",
                                                button_style="primary", icon="check")
        self.remove_indicator_button = w.Button(description="Remove selected",
                                                button_style="danger", icon="trash")
        self.indicator_selector.observe(guard(self._indicator_selected), names="value")
        self.add_indicator_button.on_click(guard(lambda _b: self.add_indicator()))
        self.update_indicator_button.on_click(guard(lambda _b: self.update_indicator()))
        self.remove_indicator_button.on_click(guard(lambda _b: self.remove_indicator()))

        # milestones
        self.milestone_selector = w.Dropdown(description="Milestone", style=_STYLE, layout=_WIDE)
        self.milestone_title = w.Text(description="Title", placeholder="e.g. Stand at the "
                                      "national crafts fair", **text)
        self.milestone_month = w.IntSlider(description="Month", min=0, max=24,
                                           continuous_update=False, style=_STYLE, layout=_WIDE)
        self.milestone_kind = w.Dropdown(description="Kind", options=MILESTONE_KINDS, **text)
        self.add_milestone_button = w.Button(description="Add milestone", button_style="success",
                                             icon="plus")
        self.remove_milestone_button = w.Button(description="Remove selected",
                                                button_style="danger", icon="trash")
        self.milestone_selector.observe(guard(self._milestone_selected), names="value")
        self.add_milestone_button.on_click(guard(lambda _b: self.add_milestone()))
        self.remove_milestone_button.on_click(guard(lambda _b: self.remove_milestone()))

        # always visible
        self.undo_button = w.Button(description="Undo last change", icon="undo",
                                    layout=w.Layout(width="auto"),
                                    tooltip="Go back to the plan as it was before your last "
                                    "change", disabled=True)
        self.undo_button.on_click(guard(lambda _b: self.undo()))
        self.status = w.HTML()
        self.plan_status = w.HTML()
        self.activity_status = w.HTML()
        self.indicator_status = w.HTML()
        self.milestone_status = w.HTML()
        self.progress_status = w.HTML()
        #: The status line a message went to last.
        self.status_line = self.status
        self.banner = w.HTML()
        self.timeline = w.Image(format="svg+xml", layout=w.Layout(width="100%",
                                                                  max_width="1100px"))
        self.timeline_note = w.HTML()
        self.findings_panel = w.HTML(layout=w.Layout(max_height="420px", overflow="auto",
                                                     max_width="1100px"))

        programme = work_programme().placeholders()
        plan_tab = w.VBox([
            _help("Who is in the consortium and what it wants to achieve. Changes are "
                  "saved as you type. Tick every kind of partner that takes part: the "
                  "methodology asks for public, private and university partners beside the "
                  "producers. Plans are reviewed at least every "
                  f"{programme['review_months_words']}."),
            self.plan_consortium, self.plan_country, self.plan_product, self.plan_territory,
            self.plan_members_count,
            w.HBox([w.Label("Kinds of members", layout=w.Layout(width="176px")),
                    *self.plan_member_kinds.values()]),
            self.plan_objectives, self.plan_review, self.plan_horizon, self.plan_status,
        ])
        activities_tab = w.VBox([
            _help("Each activity is one piece of work in one of the ten phases. To add one, "
                  "choose “new activity”, fill in the form and click <b>Add activity</b>. To "
                  "change one, choose it in the list, edit the form and click <b>Update "
                  "selected</b>. Months count from 0, the start of the plan; phases "
                  f"{programme['early_phases']} should fit in the first "
                  f"{programme['early_months_words']}."),
            self.activity_selector, self.activity_title, self.activity_phase,
            self.activity_start, self.activity_duration, self.activity_owner,
            self.activity_budget, self.activity_indicators, self.activity_sets_rules,
            self.activity_justification,
            _buttons(self.add_activity_button, self.update_activity_button,
                     self.remove_activity_button, self.activity_status),
            self.activity_hint,
        ])
        indicators_tab = w.VBox([
            _help("Indicators show progress. Have at least one economic indicator (sales, "
                  "prices) and one non-economic one (members, trust, training). Give each a "
                  "baseline (where you are today) and a target. Then link activities to "
                  "them in the Activities tab."),
            self.indicator_selector, self.indicator_name, self.indicator_kind,
            self.indicator_unit, self.indicator_baseline, self.indicator_target,
            self.indicator_phase,
            _buttons(self.add_indicator_button, self.update_indicator_button,
                     self.remove_indicator_button, self.indicator_status),
        ])
        milestones_tab = w.VBox([
            _help("Milestones are dated events the team aims at. Plan at least one that "
                  "meets the market: a <b>fair</b> or a local <b>launch</b> of the product."),
            self.milestone_selector, self.milestone_title, self.milestone_month,
            self.milestone_kind,
            _buttons(self.add_milestone_button, self.remove_milestone_button,
                     self.milestone_status),
        ])
        self.progress = ProgressTab(self)
        self._tab_status = [self.plan_status, self.activity_status, self.indicator_status,
                            self.milestone_status, self.progress_status]
        self.tabs = w.Tab(children=[plan_tab, activities_tab, indicators_tab, milestones_tab,
                                    w.VBox([self.progress.widget, self.progress_status])],
                          titles=["Plan", "Activities", "Indicators", "Milestones", "Progress"])
        self.file_label = w.HTML()
        self.widget = w.VBox([
            w.HTML(self.reload_note_style()),  # hides the reload note while the planner is live
            w.HTML("<h3 style='margin:4px 0'>Action plan: phase planner</h3>"),
            self.file_label, self.banner, self.tabs,
            w.HBox([self.undo_button, self.status], layout=w.Layout(align_items="center")),
            w.HTML("<h4 style='margin:8px 0 2px'>Timeline</h4>"), self.timeline,
            self.timeline_note,
            w.HTML("<h4 style='margin:8px 0 2px'>What the checks say</h4>"),
            self.findings_panel,
        ])

    # -- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Set controls from the plan without treating it as the participant's edit."""
        before, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = before

    def _guard(self, func: Callable) -> Callable:
        """Wrap a handler so that a bug shows a message instead of a silent traceback."""

        def run(*args):
            try:
                return func(*args)
            except Exception as exc:
                self.unexpected_errors.append(traceback.format_exc())
                self._say(f"Something unexpected went wrong ({type(exc).__name__}: {exc}). "
                          f"Your last saved plan is safe in {self.path.name}; please tell "
                          "your trainer.", ok=False)
            return None

        return run

    def _say(self, message: str, ok: bool = True, where: w.HTML | None = None) -> None:
        """Show a message in the status line ``where`` (by default, the open tab's).

        The other status lines are cleared, so no old message sits beside another
        button as if it were news.
        """
        if where is None:
            where = self._tab_status[self.tabs.selected_index or 0]
        self.status_text, self.status_ok, self.status_line = message, ok, where
        colour, mark = ("#137333", "✔") if ok else ("#a50e0e", "✖")
        for line in (self.status, *self._tab_status):
            if line is not where:
                line.value = ""
        where.value = (f'<span style="color:{colour};font-weight:bold">{mark} '
                       f"{html.escape(message)}</span>")

    def _change(self, what: str, make: Callable[[ActionPlan], ActionPlan], *,
                subject: str = "", merge_key: str | None = None,
                undo_label: str | None = None, where: w.HTML | None = None) -> bool:
        """Apply one edit through the session, then say what happened and redraw.

        The message goes to the status line ``where`` (beside the button clicked).
        Returns False when the edit was refused (the plan is unchanged).
        """
        result = self.session.apply(what, make, subject=subject, merge_key=merge_key,
                                    undo_label=undo_label)
        self._show(result, where)
        return result.ok or result.changed

    def _show(self, result: Change, where: w.HTML | None = None) -> None:
        if result.message:
            self._say(result.message, result.ok, where)
        if result.changed:
            self._refresh()

    def reload_note(self) -> str:
        """The line the planner's cell leaves for when the widget is gone (page reloaded)."""
        return (f"Your plan is saved in {self.path}. Run this cell again to reopen the "
                "planner.")

    def _refresh(self, force_timeline: bool = False) -> None:
        """Re-check the plan and update everything that shows it (findings first: fast)."""
        self.findings = rules.check_plan(self.plan)
        self.findings_panel.value = findings_html(self.findings)
        self.undo_button.disabled = not self.history
        self.file_label.value = (
            f'<div style="color:#444">Plan file: <code>{html.escape(str(self.path))}</code> '
            "(saved automatically after every change)</div>")
        with self._quiet():
            self._refresh_choices()
            self._update_bounds()
        self.progress.refresh()
        self._draw_timeline(force_timeline)

    def _draw_timeline(self, force: bool = False) -> None:
        """Redraw the Gantt chart, unless nothing it shows has changed."""
        key = self.plan.model_dump_json(exclude=TIMELINE_IGNORES)
        if key == self._drawn_key and not force:
            return
        try:
            self.timeline.value = plan_gantt_svg(self.plan).encode("utf-8")
        except Exception as exc:  # a drawing problem must never block editing
            self._drawn_key = None
            self.timeline_note.value = (
                f"<i>The timeline could not be drawn ({html.escape(str(exc))}); the plan "
                "itself is fine and saved.</i>")
            return
        self._drawn_key = key
        self.timeline_note.value = ""

    def _refresh_choices(self) -> None:
        """Rebuild the lists of activities, indicators and milestones from the plan."""
        plan = self.plan
        ids = [a.id for a in plan.activities]
        _set_options(
            self.activity_selector,
            [("— new activity (fill in the form, then click Add) —", NEW)]
            + [(f"{a.id} — {a.title}", a.id) for a in plan.activities],
            self.activity_selector.value if self.activity_selector.value in ids else NEW,
        )
        names = [i.name for i in plan.indicators]
        chosen = tuple(n for n in self.activity_indicators.value if n in names)
        if tuple(self.activity_indicators.options) != tuple(names):
            self.activity_indicators.options = names
        self.activity_indicators.value = chosen
        _set_options(
            self.indicator_selector,
            [("— new indicator —", NEW)]
            + [(f"{i.name} ({i.kind or 'kind not chosen'})", i.name) for i in plan.indicators],
            self.indicator_selector.value if self.indicator_selector.value in names else NEW,
        )
        kinds = {value: label for label, value in MILESTONE_KINDS}
        milestones = [("— new milestone —", NEW)] + [
            (f"Month {m.month} — {m.title} ({kinds.get(m.kind, m.kind).split(' (')[0]})", n)
            for n, m in enumerate(plan.milestones)
        ]
        current = self.milestone_selector.value
        valid = current != NEW and isinstance(current, int) and current < len(plan.milestones)
        _set_options(self.milestone_selector, milestones, current if valid else NEW)

    def _update_bounds(self) -> None:
        horizon = self.plan.horizon_months
        _bound(self.activity_start, 0, max(horizon - 1, 0))
        _bound(self.activity_duration, 1, horizon)
        _bound(self.milestone_month, 0, horizon)

    # -- plan fields -------------------------------------------------------------------------

    def _show_plan_fields(self) -> None:
        """Put the plan's values into the Plan tab (on opening and after Undo)."""
        plan = self.plan
        self.plan_consortium.value = plan.consortium
        self.plan_country.value = plan.country
        self.plan_product.value = plan.product
        self.plan_territory.value = plan.territory
        self.plan_members_count.value = plan.members.count
        for kind, box in self.plan_member_kinds.items():
            box.value = kind in plan.members.kinds
        self.plan_objectives.value = "\n".join(plan.objectives)
        review = plan.review_every_months or 0
        _set_options(self.plan_review, _review_options(review), review)
        self.plan_horizon.value = plan.horizon_months

    def _plan_field_changed(self, key: str) -> None:
        if self._syncing:
            return
        if key == "members_count" or key.startswith("kind:"):
            members = {
                "count": self.plan_members_count.value,
                "kinds": [k for k, box in self.plan_member_kinds.items() if box.value],
            }
            field, label, changes = key, "Members", {"members": members}
        elif key == "objectives":
            lines = [line for line in self.plan_objectives.value.splitlines() if line.strip()]
            field, label, changes = key, "Objectives", {"objectives": lines}
        elif key == "review_every_months":
            field, label = key, "Review cadence"
            changes = {key: self.plan_review.value or None}
        else:
            field, label = key, FIELD_LABELS[key]
            changes = {key: self._plan_controls[key].value}
        self._change(f"{label} changed", lambda plan: plan.updated(**changes), merge_key=field,
                     where=self.plan_status)

    # -- activities -------------------------------------------------------------------------

    def _activity_from_form(self, activity_id: str) -> Activity:
        justification = self.activity_justification.value.strip()
        return Activity(
            id=activity_id,
            title=self.activity_title.value,
            phase=self.activity_phase.value,
            start_month=self.activity_start.value,
            duration_months=self.activity_duration.value,
            owner=self.activity_owner.value,
            budget_usd=_parse_budget(self.activity_budget.value),
            indicators=list(self.activity_indicators.value),
            sets_production_rules=self.activity_sets_rules.value,
            justification=justification or None,
        )

    def _activity_selected(self, change) -> None:
        if self._syncing:
            return
        selected = change["new"]
        with self._quiet():
            if selected == NEW:
                self.activity_title.value = ""
                self.activity_owner.value = ""
                self.activity_budget.value = ""
                self.activity_indicators.value = ()
                self.activity_sets_rules.value = False
                self.activity_justification.value = ""
            else:
                self._fill_activity_form(self.plan.activity(selected))
        self.activity_hint.value = ""

    def _fill_activity_form(self, activity: Activity) -> None:
        horizon = self.plan.horizon_months
        self.activity_title.value = activity.title
        _set_options(self.activity_phase, _phase_options(activity.phase), activity.phase)
        _bound(self.activity_start, 0, max(horizon - 1, 0), activity.start_month)
        _bound(self.activity_duration, 1, horizon, activity.duration_months)
        self.activity_owner.value = activity.owner
        self.activity_budget.value = _budget_text(activity.budget_usd)
        known = set(self.activity_indicators.options)
        self.activity_indicators.value = tuple(n for n in activity.indicators if n in known)
        self.activity_sets_rules.value = activity.sets_production_rules
        self.activity_justification.value = activity.justification or ""

    def _activity_form_edited(self, _change) -> None:
        if self._syncing:
            return
        selected = self.activity_selector.value
        if selected == NEW:
            hint = "Not in the plan yet: click <b>Add activity</b> to keep it."
        else:
            hint = (f"Your changes to {html.escape(selected)} are not saved yet: click "
                    "<b>Update selected</b> (or give it a new title and click <b>Add "
                    "activity</b> to add them as a new one).")
        self.activity_hint.value = f'<span style="color:#8a4b00">{hint}</span>'

    def _select(self, selector, value) -> None:
        with self._quiet():
            selector.value = value

    def add_activity(self) -> None:
        """Add the activity in the form as a new one (what the Add button does).

        An activity whose title the plan already has is refused: clicking Add while an
        activity is selected would otherwise copy it silently.
        """
        new_id = self.plan.next_activity_id()
        title = self.activity_title.value.strip()

        def make(plan: ActionPlan) -> ActionPlan:
            same = _same_title(plan, title)
            if same is not None:
                raise ValueError(
                    f"Activity {same.id} is already called “{same.title}”, so it was not "
                    "added again. To change it, choose it in the list and click “Update "
                    "selected”; to add another activity, give it a different title")
            return plan.with_activity(self._activity_from_form(new_id))

        if self._change(f"Added activity {new_id} “{title}”", make, subject="activity",
                        where=self.activity_status) and new_id in {
                            a.id for a in self.plan.activities}:
            self._select(self.activity_selector, new_id)
            self.activity_hint.value = ""

    def update_activity(self) -> None:
        """Replace the selected activity with the form's values (the Update button)."""
        selected = self.activity_selector.value
        if selected == NEW:
            self._say("Choose the activity to change in the list “Activity” first (or click "
                      "“Add activity” to add the form as a new one).", ok=False,
                      where=self.activity_status)
            return

        def make(plan: ActionPlan) -> ActionPlan:
            same = _same_title(plan, self.activity_title.value)
            if same is not None and same.id != selected:
                raise ValueError(f"Activity {same.id} is already called “{same.title}”: give "
                                 f"{selected} a different title")
            return plan.with_activity(self._activity_from_form(selected))

        if self._change(f"Updated activity {selected}", make, subject="activity",
                        where=self.activity_status):
            self.activity_hint.value = ""

    def remove_activity(self) -> None:
        """Remove the selected activity (the Remove button); Undo brings it back."""
        selected = self.activity_selector.value
        if selected == NEW:
            self._say("Choose the activity to remove in the list “Activity” first.", ok=False,
                      where=self.activity_status)
            return
        what = f"Removed activity {selected} “{self.plan.activity(selected).title}”"
        self._change(f"{what} (Undo brings it back)", lambda plan: plan.without_activity(selected),
                     undo_label=what, where=self.activity_status)

    # -- indicators ------------------------------------------------------------------------

    def _indicator_from_form(self) -> Indicator:
        if self.indicator_kind.value is None:
            raise ValueError("Choose the kind of the indicator first: economic (sales, prices, "
                             "income) or non-economic (members, trust, skills)")
        return Indicator(
            name=self.indicator_name.value,
            kind=self.indicator_kind.value,
            unit=self.indicator_unit.value,
            baseline=self.indicator_baseline.value,
            target=self.indicator_target.value,
            phase=self.indicator_phase.value,
        )

    def _indicator_selected(self, change) -> None:
        if self._syncing:
            return
        with self._quiet():
            if change["new"] == NEW:
                self.indicator_name.value = ""
                self.indicator_unit.value = ""
                self.indicator_kind.value = None
                self.indicator_baseline.value = 0
                self.indicator_target.value = 0
                return
            indicator = next(i for i in self.plan.indicators if i.name == change["new"])
            self.indicator_name.value = indicator.name
            self.indicator_kind.value = indicator.kind
            self.indicator_unit.value = indicator.unit
            self.indicator_baseline.value = indicator.baseline
            self.indicator_target.value = indicator.target
            _set_options(self.indicator_phase, _phase_options(indicator.phase), indicator.phase)

    def add_indicator(self) -> None:
        """Add the indicator in the form (the Add button); names must be unique."""

        def make(plan: ActionPlan) -> ActionPlan:
            indicator = self._indicator_from_form()
            if indicator.name in {i.name for i in plan.indicators}:
                raise ValueError(f"An indicator called “{indicator.name}” already exists: "
                                 "choose it in the list and click “Update selected”, or use "
                                 "another name")
            return plan.with_indicator(indicator)

        name = self.indicator_name.value.strip()
        if self._change(f"Added indicator “{name}”", make, subject="indicator",
                        where=self.indicator_status):
            self._select(self.indicator_selector, name)

    def update_indicator(self) -> None:
        """Replace the selected indicator; a new name is carried over to linked activities."""
        old = self.indicator_selector.value
        if old == NEW:
            self._say("Choose the indicator to change in the list “Indicator” first.", ok=False,
                      where=self.indicator_status)
            return

        def make(plan: ActionPlan) -> ActionPlan:
            new = self._indicator_from_form()
            if new.name != old and new.name in {i.name for i in plan.indicators}:
                raise ValueError(f"Another indicator is already called “{new.name}”")
            return plan.with_indicator(new, replacing=old)

        name = self.indicator_name.value.strip()
        if self._change(f"Updated indicator “{name}”", make, subject="indicator",
                        where=self.indicator_status):
            self._select(self.indicator_selector, name)

    def remove_indicator(self) -> None:
        """Remove the selected indicator; activities stop referring to it."""
        name = self.indicator_selector.value
        if name == NEW:
            self._say("Choose the indicator to remove in the list “Indicator” first.", ok=False,
                      where=self.indicator_status)
            return
        self._change(f"Removed indicator “{name}” and its links (Undo brings it back)",
                     lambda plan: plan.without_indicator(name),
                     undo_label=f"Removed indicator “{name}” and its links",
                     where=self.indicator_status)

    # -- milestones ------------------------------------------------------------------------

    def _milestone_selected(self, change) -> None:
        if self._syncing or change["new"] == NEW:
            return
        milestone = self.plan.milestones[change["new"]]
        with self._quiet():
            self.milestone_title.value = milestone.title
            _bound(self.milestone_month, 0, self.plan.horizon_months, milestone.month)
            self.milestone_kind.value = milestone.kind

    def add_milestone(self) -> None:
        """Add the milestone in the form (the Add button)."""
        title = self.milestone_title.value.strip()
        milestone = {"title": self.milestone_title.value, "month": self.milestone_month.value,
                     "kind": self.milestone_kind.value}
        self._change(f"Added milestone “{title}”",
                     lambda plan: plan.with_milestone(Milestone(**milestone)),
                     subject="milestone", where=self.milestone_status)

    def remove_milestone(self) -> None:
        """Remove the selected milestone (only that one, even if another has its title)."""
        index = self.milestone_selector.value
        if index == NEW:
            self._say("Choose the milestone to remove in the list “Milestone” first.", ok=False,
                      where=self.milestone_status)
            return
        title = self.plan.milestones[index].title
        self._change(f"Removed milestone “{title}” (Undo brings it back)",
                     lambda plan: plan.updated(
                         milestones=[m for n, m in enumerate(plan.milestones) if n != index]),
                     undo_label=f"Removed milestone “{title}”", where=self.milestone_status)

    # -- undo --------------------------------------------------------------------------------

    def undo(self) -> None:
        """Go back to the plan as it was before the last change, and save that."""
        result = self.session.undo()
        if not result.changed:
            self._say(result.message, result.ok, where=self.status)
            return
        with self._quiet():
            self._show_plan_fields()
        self._show(result, where=self.status)
        self.progress.fill()
        selected = self.activity_selector.value
        if selected != NEW:
            with self._quiet():
                self._fill_activity_form(self.plan.activity(selected))
            self.activity_hint.value = ""
