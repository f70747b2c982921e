"""The cohort report of one assignment (a self-contained HTML page) and a CSV of scores.

Written by ``consortia grade`` to ``reports/<assignment>/report.html`` and
``reports/<assignment>/scores.csv``. The page holds, as embedded PNG charts:

- the distribution of scores (percent of the maximum);
- the pass rate of each autograded test (which tests the cohort struggles with);
- the mean score of each manually graded answer (rubric criterion), once a trainer
  has entered manual scores;
- the phases of the methodology the participants' plans cover, when submissions
  hold a ``plan.json`` (the action-plan assignment); unreadable plans are listed.

and, as tables, the submissions that were flagged (with the reason) and every
participant's score. The CSV has one row per participant: id, status, score,
points per test, and the reason or notes; participants' names are not repeated there.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field, replace
from pathlib import Path

from consortia.grading.nbgrader_course import course_directory, load_config, open_gradebook
from consortia.grading.outcomes import Outcome, load_outcomes

#: Cell values a spreadsheet would run as a formula are prefixed with a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Cohort:
    """Everything the report shows, gathered once from the outcomes and the gradebook."""

    assignment: str
    outcomes: list[Outcome]
    tests: list[tuple[str, float]] = field(default_factory=list)  # (name, max points)
    answers: list[tuple[str, float]] = field(default_factory=list)  # manually graded cells
    points: dict[str, dict[str, float | None]] = field(default_factory=dict)  # student -> cell
    manual: dict[str, dict[str, float]] = field(default_factory=dict)  # cell -> student -> score
    plan_phases: dict[str, set[int]] = field(default_factory=dict)  # student -> phases
    plan_problems: dict[str, str] = field(default_factory=dict)  # student -> why unreadable

    @property
    def submitted(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "absent"]

    @property
    def flagged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("failed", "missing")]


def gather(course: Path | str, assignment: str, outcomes: list[Outcome] | None = None) -> Cohort:
    """Collect the report's data for ``assignment`` (outcomes default to the last run's)."""
    from nbgrader.api import MissingEntry

    course = Path(course).resolve()
    outcomes = load_outcomes(course, assignment) if outcomes is None else outcomes
    cohort = Cohort(assignment, sorted(outcomes, key=lambda o: o.student))
    config = load_config(course)
    coursedir = course_directory(config)
    with open_gradebook(course, config) as gb:
        for nb in sorted(gb.find_assignment(assignment).notebooks, key=lambda n: n.name):
            answers = {c.name for c in nb.solution_cells}
            order = {c.name: i for i, c in enumerate(nb.source_cells)}
            for cell in sorted(nb.grade_cells, key=lambda c: order.get(c.name, 0)):
                target = cohort.answers if cell.name in answers else cohort.tests
                target.append((cell.name, float(cell.max_score)))
        for i, outcome in enumerate(cohort.outcomes):
            if outcome.status == "absent":
                continue
            try:
                submission = gb.find_submission(assignment, outcome.student)
            except MissingEntry:
                continue
            # scores as they are now: a trainer may have graded answers since the run
            outcome = cohort.outcomes[i] = replace(
                outcome, score=float(submission.score), max_score=float(submission.max_score),
                needs_manual_grade=bool(submission.needs_manual_grade))
            row: dict[str, float | None] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    ungraded = grade.auto_score is None and grade.manual_score is None
                    row[grade.name] = None if ungraded else float(grade.score)
                    if grade.manual_score is not None:
                        cohort.manual.setdefault(grade.name, {})[outcome.student] = float(
                            grade.score)
            cohort.points[outcome.student] = row
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
    """Share of submissions (flagged ones included) that earned all points of each test."""
    total = len(cohort.submitted)
    rates = {}
    for name, max_points in cohort.tests:
        passed = sum(1 for o in cohort.submitted
                     if (cohort.points.get(o.student, {}).get(name) or 0) >= max_points)
        rates[name] = passed / total if total else 0.0
    return rates


def pass_rate_chart(cohort: Cohort):
    from consortia.figures import FONT_SIZE, new_figure

    rates = pass_rates(cohort)
    names = list(rates)
    fig = new_figure(figsize=(8, 0.6 * len(names) + 1.6))
    ax = fig.subplots()
    ax.barh(names, [100 * rates[n] for n in names], color="#009E73", edgecolor="black")
    for i, n in enumerate(names):
        ax.text(100 * rates[n] + 1, i, f"{100 * rates[n]:.0f}%", va="center",
                fontsize=FONT_SIZE - 2)
    ax.set_xlim(0, 110)
    ax.invert_yaxis()
    ax.set_xlabel(f"Submissions passing the test (% of {len(cohort.submitted)})",
                  fontsize=FONT_SIZE)
    ax.set_title("Pass rate per test", fontsize=FONT_SIZE + 1)
    return fig


def rubric_chart(cohort: Cohort):
    """Mean manual score of each manually graded answer, in percent of its points."""
    from consortia.figures import FONT_SIZE, new_figure

    names = [n for n, _ in cohort.answers if cohort.manual.get(n)]
    maxima = dict(cohort.answers)
    means = [100 * statistics.mean(cohort.manual[n].values()) / (maxima[n] or 1) for n in names]
    fig = new_figure(figsize=(8, 0.6 * len(names) + 1.6))
    ax = fig.subplots()
    ax.barh(names, means, color="#E69F00", edgecolor="black")
    for i, n in enumerate(names):
        ax.text(means[i] + 1, i, f"{means[i]:.0f}% (n={len(cohort.manual[n])})", va="center",
                fontsize=FONT_SIZE - 2)
    ax.set_xlim(0, 120)
    ax.invert_yaxis()
    ax.set_xlabel("Mean manual score (% of the criterion's points)", fontsize=FONT_SIZE)
    ax.set_title("Rubric criteria (manually graded answers)", fontsize=FONT_SIZE + 1)
    return fig


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


def render(cohort: Cohort) -> str:
    """The report page (self-contained: charts are embedded PNG images)."""
    from consortia import pages

    submitted = cohort.submitted
    percents = [o.percent for o in submitted]
    graded = [o for o in submitted if o.status == "graded"]
    manual_left = sum(1 for o in submitted if o.needs_manual_grade)
    summary = [("Participants", len(cohort.outcomes)), ("Submissions", len(submitted)),
               ("Graded", len(graded)), ("Flagged (could not be graded normally)",
                                         len(cohort.flagged)),
               ("Awaiting manual grading", manual_left)]
    if percents:
        summary += [("Mean score", f"{statistics.mean(percents):.0f}%"),
                    ("Median score", f"{statistics.median(percents):.0f}%")]
    participants = []
    for o in cohort.outcomes:
        notes = "; ".join([o.reason] * bool(o.reason and o.status != "graded") + o.notes)
        participants.append({"student": o.student, "status": o.status, "notes": notes,
                             "score": "" if o.status == "absent"
                             else f"{o.score:g} / {o.max_score:g}"})
    has_manual = any(cohort.manual.get(n) for n, _ in cohort.answers)
    return pages.render(
        "cohort_report.html.j2",
        assignment=cohort.assignment,
        summary=summary,
        distribution=_png(score_distribution(cohort)) if submitted else None,
        pass_rates=_png(pass_rate_chart(cohort)) if cohort.tests and submitted else None,
        rubric=_png(rubric_chart(cohort)) if has_manual else None,
        answers=[n for n, _ in cohort.answers],
        phases=_png(phases_chart(cohort)) if cohort.plan_phases else None,
        plan_problems=sorted(cohort.plan_problems.items()),
        flagged=cohort.flagged,
        participants=participants,
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(cohort: Cohort) -> str:
    """One row per participant: id, status, scores, points per test and answer, notes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    cells = [n for n, _ in cohort.tests] + [n for n, _ in cohort.answers]
    writer.writerow(["student_id", "status", "score", "max_score", "percent", "late_penalty",
                     "needs_manual_grade", *cells, "reason", "notes"])
    for o in cohort.outcomes:
        points = cohort.points.get(o.student, {})
        absent = o.status == "absent"
        writer.writerow([_cell(o.student), o.status, "" if absent else f"{o.score:g}",
                         f"{o.max_score:g}" if o.max_score else "",
                         "" if absent else f"{o.percent:.1f}", f"{o.late_penalty:g}",
                         "yes" if o.needs_manual_grade else "no",
                         *["" if points.get(c) is None else f"{points[c]:g}" for c in cells],
                         _cell(o.reason), _cell("; ".join(o.notes))])
    return buffer.getvalue()


def write_report(course: Path | str, assignment: str, outcomes: list[Outcome] | None = None
                 ) -> tuple[Path, Path]:
    """Write ``report.html`` and ``scores.csv`` into ``reports/<assignment>/``."""
    cohort = gather(course, assignment, outcomes)
    folder = Path(course).resolve() / "reports" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    html_path, csv_path = folder / "report.html", folder / "scores.csv"
    html_path.write_text(render(cohort), encoding="utf-8")
    csv_path.write_text(to_csv(cohort), encoding="utf-8", newline="")
    return html_path, csv_path
