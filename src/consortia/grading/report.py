"""The cohort report of one assignment (a self-contained HTML page) and a CSV of scores.

Written by ``consortia grade`` and, without grading again, by ``consortia report`` to
``reports/<assignment>/report.html`` and ``reports/<assignment>/scores.csv``. Both
read the gradebook as it is now, so marks a trainer gave since the grading run are
in. They list every part of the assignment (:mod:`~consortia.grading.marks`): each
autograded test and each criterion marked by hand, by its plain label, and each
participant's total in the same words as their feedback ("14 of 18 so far; 6 points
await the instructor"). The page holds, as embedded PNG charts:

- the distribution of scores (percent of the maximum);
- the pass rate of each autograded test (which tests the cohort struggles with);
- the mean mark of each criterion marked by hand, in percent of its points, and how
  many submissions are marked (every criterion, marked yet or not);
- the phases of the methodology the participants' plans cover, when submissions
  hold a ``plan.json`` (the action-plan assignment); unreadable plans are listed.

and, as tables, every part with its label and points, the submissions that were
flagged (with the reason) and every participant's total. The CSV has one row per
participant: id, status, the total (points, maximum, points still to be marked by
hand, and in words), the points of every part (its label as the column's name), and
the reason or notes; participants' names are not repeated there.
"""

from __future__ import annotations

import csv
import io
import statistics
import textwrap
from dataclasses import dataclass, field, replace
from pathlib import Path

from consortia.errors import KitError
from consortia.grading.marks import Mark, Part, Total, grand_total, marks, parts
from consortia.grading.nbgrader_course import course_directory, load_config, open_gradebook
from consortia.grading.outcomes import Outcome, load_outcomes
from consortia.storage import write_text_atomic

#: Cell values a spreadsheet would run as a formula are prefixed with a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Characters of a label per line in the charts.
_LABEL_WIDTH = 38


@dataclass
class Cohort:
    """Everything the report shows, gathered once from the outcomes and the gradebook."""

    assignment: str
    outcomes: list[Outcome]
    parts: list[Part] = field(default_factory=list)  # every test and hand-marked criterion
    marks: dict[str, dict[str, Mark]] = field(default_factory=dict)  # student -> part key
    totals: dict[str, Total] = field(default_factory=dict)  # student -> their total
    plan_phases: dict[str, set[int]] = field(default_factory=dict)  # student -> phases
    plan_problems: dict[str, str] = field(default_factory=dict)  # student -> why unreadable
    course: Path | None = None  # the course folder, for the advice the page gives

    @property
    def submitted(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "absent"]

    @property
    def flagged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("failed", "missing")]

    @property
    def tests(self) -> list[Part]:
        """The autograded parts."""
        return [p for p in self.parts if not p.by_hand]

    @property
    def by_hand(self) -> list[Part]:
        """The parts a trainer marks."""
        return [p for p in self.parts if p.by_hand]

    def points(self, student: str, key: str) -> float | None:
        """The points ``student`` got on the part ``key`` (``None``: none given yet)."""
        mark = self.marks.get(student, {}).get(key)
        return mark.points if mark else None

    def awaiting(self) -> list[Outcome]:
        """The submissions with points still to be marked by hand."""
        return [o for o in self.submitted
                if o.student in self.totals and self.totals[o.student].awaiting]


def gather(course: Path | str, assignment: str, outcomes: list[Outcome] | None = None) -> Cohort:
    """Collect the report's data for ``assignment`` (outcomes default to the last run's).

    Scores come from the gradebook as it is now: a trainer may have marked answers
    since the run.
    """
    course = Path(course).resolve()
    outcomes = load_outcomes(course, assignment) if outcomes is None else outcomes
    cohort = Cohort(assignment, sorted(outcomes, key=lambda o: o.student), course=course)
    config = load_config(course)
    coursedir = course_directory(config)
    with open_gradebook(course, config) as gb:
        cohort.parts = parts(gb, assignment)
        for i, outcome in enumerate(cohort.outcomes):
            if outcome.status == "absent":
                continue
            found, totals = marks(gb, assignment, outcome.student, cohort.parts)
            if not totals:
                continue
            total = grand_total(totals).of_status(outcome.status)
            cohort.totals[outcome.student] = total
            submission = gb.find_submission(assignment, outcome.student)
            cohort.outcomes[i] = replace(
                outcome, score=total.score, max_score=total.max_score,
                late_penalty=float(submission.late_submission_penalty or 0),
                needs_manual_grade=bool(total.awaiting))
            if outcome.status != "graded":  # nothing to mark there (Total.of_status)
                found = [replace(m, awaiting=False) for m in found]
            cohort.marks[outcome.student] = {m.part.key: m for m in found}
    _gather_plans(cohort, coursedir)
    return cohort


def _gather_plans(cohort: Cohort, coursedir) -> None:
    from consortia.content import methodology
    from consortia.plans.files import PlanFileError, load_plan

    for outcome in cohort.submitted:
        folder = Path(coursedir.format_path(coursedir.submitted_directory, outcome.student,
                                            cohort.assignment))
        path = folder / "plan.json"
        if path.is_symlink():
            cohort.plan_problems[outcome.student] = "plan.json is a link, not a file"
            continue
        if not path.exists():
            continue
        try:
            plan = load_plan(path)
        except PlanFileError as exc:
            cohort.plan_problems[outcome.student] = exc.reason
            continue
        cohort.plan_phases[outcome.student] = {a.phase for a in plan.activities
                                               if methodology.is_phase(a.phase)}


# --- charts ----------------------------------------------------------------------------


def _png(fig) -> str:
    """The figure as a ``data:`` address for the page."""
    from consortia.figures import to_png
    from consortia.pages import png_data_uri

    return png_data_uri(to_png(fig, dpi=90))


def score_distribution(cohort: Cohort):
    """Histogram of the submissions' scores in percent of the maximum."""
    from consortia.figures import FONT_SIZE, new_figure

    percents = [o.percent for o in cohort.submitted]
    fig = new_figure(figsize=(8, 4))
    ax = fig.subplots()
    ax.hist(percents, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.0001],
            color="#0072B2", edgecolor="black")
    ax.set_xlabel("Score (% of the maximum)", fontsize=FONT_SIZE)
    ax.set_ylabel("Submissions", fontsize=FONT_SIZE)
    ax.set_xlim(0, 100)
    ax.set_title(f"Scores of {len(percents)} submissions", fontsize=FONT_SIZE + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def pass_rates(cohort: Cohort) -> dict[str, float]:
    """Share of submissions (flagged ones included) that earned all points of each test,
    by the test's part key."""
    total = len(cohort.submitted)
    rates = {}
    for part in cohort.tests:
        passed = sum(1 for o in cohort.submitted
                     if (cohort.points(o.student, part.key) or 0) >= part.max_points)
        rates[part.key] = passed / total if total else 0.0
    return rates


def hand_marked_means(cohort: Cohort) -> dict[str, tuple[float | None, int]]:
    """For each part marked by hand: the mean mark in percent of its points (``None``
    when no submission is marked yet) and how many submissions are marked."""
    found = {}
    for part in cohort.by_hand:
        given = [cohort.points(o.student, part.key) for o in cohort.submitted]
        given = [p for p in given if p is not None]
        mean = 100 * statistics.mean(given) / part.max_points if given and part.max_points else None
        found[part.key] = (mean, len(given))
    return found


def _wrapped(label: str) -> str:
    # break at spaces only: "non-\neconomic" would read as two words
    return "\n".join(textwrap.wrap(label, _LABEL_WIDTH, break_on_hyphens=False)) or label


def _bar_chart(labels: list[str], values: list[float], notes: list[str], colour: str,
               xlabel: str, title: str):
    """Horizontal bars on an axis from 0 to 100 %, each with its note at its end."""
    from consortia.figures import FONT_SIZE, new_figure

    lines = sum(label.count("\n") + 1 for label in labels)
    fig = new_figure(figsize=(10, 0.28 * lines + 0.2 * len(labels) + 1.4))
    ax = fig.subplots()
    ax.barh(range(len(labels)), values, color=colour, edgecolor="black")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=FONT_SIZE - 3)
    for i, (value, note) in enumerate(zip(values, notes, strict=True)):
        inside = value > 70  # a note past 70 % is written inside its bar, to stay on the axis
        ax.text(value - 1 if inside else value + 1, i, note, va="center",
                ha="right" if inside else "left", fontsize=FONT_SIZE - 3)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel, fontsize=FONT_SIZE)
    ax.set_title(title, fontsize=FONT_SIZE + 1)
    return fig


def pass_rate_chart(cohort: Cohort):
    """The pass rate of every autograded test, labelled in words."""
    rates = pass_rates(cohort)
    tests = cohort.tests
    values = [100 * rates[p.key] for p in tests]
    return _bar_chart([_wrapped(p.label) for p in tests], values,
                      [f"{v:.0f}%" for v in values], "#009E73",
                      f"Submissions passing the test (% of {len(cohort.submitted)})",
                      "Pass rate per test")


def rubric_chart(cohort: Cohort):
    """The mean mark of every criterion marked by hand, in percent of its points."""
    means = hand_marked_means(cohort)
    hand = cohort.by_hand
    values = [means[p.key][0] or 0.0 for p in hand]
    notes = [f"{means[p.key][0]:.0f}% (marked: {means[p.key][1]})" if means[p.key][1]
             else "not marked yet" for p in hand]
    return _bar_chart([_wrapped(p.label) for p in hand], values, notes, "#E69F00",
                      "Mean mark (% of the criterion's points)",
                      "Criteria marked by the instructor")


def phase_counts(cohort: Cohort) -> dict[int, int]:
    """How many readable plans have at least one activity in each of the ten phases."""
    return {n: sum(1 for phases in cohort.plan_phases.values() if n in phases)
            for n in range(1, 11)}


def phases_chart(cohort: Cohort):
    from consortia.content import methodology
    from consortia.figures import FONT_SIZE, PHASE_COLOURS, new_figure

    counts = phase_counts(cohort)
    numbers = list(range(1, 11))
    fig = new_figure(figsize=(9, 5))
    ax = fig.subplots()
    ax.barh(numbers, [counts[n] for n in numbers], color=[PHASE_COLOURS[n] for n in numbers],
            edgecolor="black")
    ax.set_yticks(numbers)
    labels = [f"{p.numeral} {p.short_title}" for p in map(methodology.phase, numbers)]
    ax.set_yticklabels(labels, fontsize=FONT_SIZE - 2)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, len(cohort.plan_phases)))
    ax.set_xlabel(f"Plans with an activity in the phase (of {len(cohort.plan_phases)})",
                  fontsize=FONT_SIZE)
    ax.set_title("Phases covered by the participants' plans", fontsize=FONT_SIZE + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


# --- the page and the CSV ----------------------------------------------------------------


def _part_rows(cohort: Cohort) -> list[dict]:
    """One row per part for the page: label, how it is marked, points, how the cohort did."""
    rates = pass_rates(cohort)
    means = hand_marked_means(cohort)
    rows = []
    for part in cohort.parts:
        if part.by_hand:
            mean, marked = means[part.key]
            left = sum(1 for o in cohort.submitted
                       if (m := cohort.marks.get(o.student, {}).get(part.key)) and m.awaiting)
            result = (f"mean {mean:.0f}%, {marked} marked" if marked else "none marked yet")
            result += f"; {left} to mark" if left else ""
        else:
            result = f"{100 * rates[part.key]:.0f}% passed"
        rows.append({"label": part.label, "how": "by the instructor" if part.by_hand
                     else "automatic test", "points": part.max_points, "result": result})
    return rows


def render(cohort: Cohort) -> str:
    """The report page (self-contained: charts are embedded PNG images)."""
    from consortia import pages
    from consortia._paths import kit_command

    submitted = cohort.submitted
    percents = [o.percent for o in submitted]
    graded = [o for o in submitted if o.status == "graded"]
    awaiting = cohort.awaiting()
    summary = [("Participants", len(cohort.outcomes)), ("Submissions", len(submitted)),
               ("Graded", len(graded)), ("Flagged (could not be graded normally)",
                                         len(cohort.flagged)),
               ("Awaiting marks from the instructor", len(awaiting))]
    if percents:
        summary += [("Mean score", f"{statistics.mean(percents):.0f}%"),
                    ("Median score", f"{statistics.median(percents):.0f}%")]
    participants = []
    for o in cohort.outcomes:
        notes = "; ".join([o.reason] * bool(o.reason and o.status != "graded") + o.notes)
        total = cohort.totals.get(o.student)
        participants.append({"student": o.student, "status": o.status, "notes": notes,
                             "score": total.text() if total else ""})
    has_hand = bool(cohort.by_hand) and bool(submitted)
    return pages.render(
        "cohort_report.html.j2",
        assignment=cohort.assignment,
        summary=summary,
        parts=_part_rows(cohort),
        distribution=_png(score_distribution(cohort)) if submitted else None,
        pass_rates=_png(pass_rate_chart(cohort)) if cohort.tests and submitted else None,
        rubric=_png(rubric_chart(cohort)) if has_hand else None,
        hand_marked=[p.label for p in cohort.by_hand],
        awaiting=len(awaiting),
        rebuild=kit_command("report", cohort.course or "DIR", cohort.assignment),
        phases=_png(phases_chart(cohort)) if cohort.plan_phases else None,
        plan_problems=sorted(cohort.plan_problems.items()),
        flagged=cohort.flagged,
        participants=participants,
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def column_names(cohort: Cohort) -> list[str]:
    """The CSV's column of each part: its label (with its id if two labels are the same)."""
    labels = [p.label for p in cohort.parts]
    return [p.label if labels.count(p.label) == 1 else f"{p.label} ({p.key})"
            for p in cohort.parts]


def to_csv(cohort: Cohort) -> str:
    """One row per participant: id, status, total, points of every part, reason, notes.

    ``score``, ``max_score`` and ``total`` are the gradebook's (the same as on the
    feedback page); ``awaiting_points`` are the points of the hand-marked cells not
    marked yet, and ``needs_manual_grade`` says whether there are any.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student_id", "status", "score", "max_score", "percent", "late_penalty",
                     "needs_manual_grade", "awaiting_points", "total",
                     *map(_cell, column_names(cohort)), "reason", "notes"])
    for o in cohort.outcomes:
        total = cohort.totals.get(o.student)
        absent = o.status == "absent"
        values = [cohort.points(o.student, p.key) for p in cohort.parts]
        writer.writerow([_cell(o.student), o.status, "" if absent else f"{o.score:g}",
                         f"{o.max_score:g}" if o.max_score else "",
                         "" if absent else f"{o.percent:.1f}", f"{o.late_penalty:g}",
                         "yes" if o.needs_manual_grade else "no",
                         f"{total.awaiting:g}" if total else "",
                         total.text() if total else "",
                         *["" if v is None else f"{v:g}" for v in values],
                         _cell(o.reason), _cell("; ".join(o.notes))])
    return buffer.getvalue()


class ReportError(KitError, ValueError):
    """The report cannot be rebuilt (not a course, not graded yet); the message says why."""


def graded_assignments(course: Path | str, assignment: str | None = None) -> list[str]:
    """The assignments of ``course`` graded at least once (those with a ``grading.json``).

    With ``assignment``, that one only; :class:`ReportError` saying what to run when
    the folder is not a course or the assignment has not been graded yet.
    """
    from consortia._paths import kit_command

    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise ReportError(f"{course} is not a course folder (no nbgrader_config.py); create "
                          f"one with {kit_command('workshop', 'new', 'DIR', '--students', 'CSV')}")
    found = sorted(p.parent.name for p in (course / "reports").glob("*/grading.json"))
    if assignment is None:
        if not found:
            raise ReportError(f"Nothing has been graded in {course} yet; grade first with "
                              f"{kit_command('grade', course)}")
        return found
    if assignment not in found:
        raise ReportError(f"{assignment} has not been graded in {course} yet (graded: "
                          f"{', '.join(found) or 'none'}); grade it first with "
                          f"{kit_command('grade', course, assignment)}")
    return [assignment]


def write_report(course: Path | str, assignment: str, outcomes: list[Outcome] | None = None
                 ) -> tuple[Path, Path]:
    """Write ``report.html`` and ``scores.csv`` into ``reports/<assignment>/`` (atomically)."""
    cohort = gather(course, assignment, outcomes)
    folder = Path(course).resolve() / "reports" / assignment
    html_path, csv_path = folder / "report.html", folder / "scores.csv"
    write_text_atomic(html_path, render(cohort))
    write_text_atomic(csv_path, to_csv(cohort))
    return html_path, csv_path
