"""Feedback for a participant: each test's name, points and message; never code.

nbgrader's own ``generate_feedback`` renders the whole graded notebook, hidden tests
and all (nbgrader issues #917 and #1363). This page shows, per notebook:

- every autograded test by its name, with points earned and possible, and, when it
  did not pass, the message of its error (``AssertionError: the plan starts in
  phase III``), its time-out, or that it wrote to stderr;
- every manually graded answer with its score and the grader's comment, or that it
  awaits grading;
- what the grader noticed (restored test cells, cut output, late hand-in) and, for a
  submission that could not be graded, why.

It never shows a cell's source, so neither hidden tests nor solutions nor the
participant's code appear, and every piece of text is HTML-escaped. Error messages
come from a run the participant's code may have reached (the grader's own run of the
tests, or the participant's kernel for a test of their function): any code of the
assignment they quote is taken out (:func:`redact`), and they are shortened to
:data:`MAX_MESSAGE` characters.

Files: ``feedback/<participant>/<assignment>/<notebook>.html``, where nbgrader's
``release_feedback`` looks for them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from consortia.grading.nbgrader_course import course_directory, load_config, open_gradebook
from consortia.grading.outcomes import Outcome, load_outcomes

MAX_MESSAGE = 300

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

#: Errors whose nbgrader name means little to a participant.
FRIENDLY = {
    "CellTimeoutError": "the cell ran longer than the time limit and was stopped",
    "NotebookTimeout": "not run: the notebook used up its time",
    "KeyboardInterrupt": "the cell ran longer than the time limit and was stopped",
}


@dataclass
class Item:
    """One graded cell as the participant sees it."""

    name: str
    kind: str  # "test" or "answer"
    points: float | None
    max_points: float
    message: str = ""
    awaiting: bool = False  # a manual grade is still to come

    @property
    def passed(self) -> bool:
        return self.points is not None and self.points >= self.max_points


@dataclass
class NotebookFeedback:
    name: str
    items: list[Item] = field(default_factory=list)
    graded: bool = True  # False when the notebook could not be run


#: What a message says instead of code it quoted.
HIDDEN_CODE = "[code of the assignment, not shown]"

#: Marks of nbgrader's source notebooks: a message holding one quotes a solution or tests.
_SOURCE_MARKS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION")


def redact(message: str, code: list[str]) -> str:
    """``message`` without any line of the assignment's ``code`` it quotes.

    An error's text comes from the participant's run, so it can hold anything, the
    source of the cell being run included (hidden tests, solutions). Any line of the
    source notebook's code cells found in the message is replaced by
    :data:`HIDDEN_CODE`; a message showing nbgrader's solution or hidden-test marks
    is replaced whole. The messages test cells give on purpose are plain sentences,
    never whole code lines, and stay.
    """
    if any(mark in message for mark in _SOURCE_MARKS):
        return "the error quoted code of the assignment, which is not shown"
    lines = sorted({" ".join(line.split()) for source in code for line in source.splitlines()
                    if len(line.strip()) >= 8}, key=len, reverse=True)
    flat = " ".join(message.split())
    for line in lines:
        if line in flat:
            flat = flat.replace(line, HIDDEN_CODE)
    return flat


def error_message(outputs: list[dict], code: list[str] | None = None) -> str:
    """The message of a cell's outputs that explains a lost point ('' if none).

    The last error wins (a timed-out cell has an interrupt, then the time-out), then
    stderr, which nbgrader counts as a failure. Never a traceback: it quotes code; and
    never a line of the assignment's ``code`` (:func:`redact`).
    """
    code = code or []
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if errors:
        last = errors[-1]
        name = str(last.get("ename", "Error"))
        if name in FRIENDLY:
            return FRIENDLY[name]
        value = redact(_ANSI.sub("", str(last.get("evalue", ""))).strip(), code)
        return _shorten(f"{name}: {value}" if value else name)
    for o in outputs:
        if o.get("output_type") == "stream" and o.get("name") == "stderr":
            text = _ANSI.sub("", "".join(o.get("text", ""))).strip().splitlines()
            first = redact(text[0], code) if text else ""
            return _shorten("wrote to stderr, which counts as a failure"
                            + (f": {first}" if first else ""))
    return ""


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _graded_outputs(path: Path) -> dict[str, list[dict]]:
    """Outputs of each graded cell of an autograded notebook, by grade id."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[str, list[dict]] = {}
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if meta.get("grade_id"):
            found[meta["grade_id"]] = cell.get("outputs", [])
    return found


def collect(course: Path | str, student: str, assignment: str) -> list[NotebookFeedback]:
    """The feedback items of one submission, from the gradebook and the graded notebooks."""
    with _Course(Path(course).resolve()) as opened:
        return opened.collect(student, assignment)


class _Course:
    """The gradebook and the folders of a course, opened once for many submissions."""

    def __init__(self, course: Path):
        self.course = course
        self.config = load_config(course)
        self.coursedir = course_directory(self.config)

    def __enter__(self) -> _Course:
        self.gb = open_gradebook(self.course, self.config)
        return self

    def __exit__(self, *exc) -> None:
        self.gb.close()

    def collect(self, student: str, assignment: str) -> list[NotebookFeedback]:
        from nbgrader.api import MissingEntry

        gb, coursedir = self.gb, self.coursedir
        autograded = Path(coursedir.format_path(coursedir.autograded_directory, student,
                                                assignment))
        notebooks: list[NotebookFeedback] = []
        for nb in sorted(gb.find_assignment(assignment).notebooks, key=lambda n: n.name):
            answers = {c.name for c in nb.solution_cells}
            order = {c.name: i for i, c in enumerate(nb.source_cells)}
            code = [c.source or "" for c in nb.source_cells if c.cell_type == "code"]
            path = autograded / f"{nb.name}.ipynb"
            feedback = NotebookFeedback(nb.name, graded=path.is_file())
            outputs = _graded_outputs(path) if feedback.graded else {}
            try:
                submitted = gb.find_submission_notebook(nb.name, assignment, student)
            except MissingEntry:
                submitted = None
            grades = {g.name: g for g in submitted.grades} if submitted else {}
            comments = {c.name: c for c in submitted.comments} if submitted else {}
            for cell in sorted(nb.grade_cells, key=lambda c: order.get(c.name, 0)):
                grade = grades.get(cell.name)
                points = None
                if grade is not None and (grade.manual_score is not None
                                          or grade.auto_score is not None):
                    points = float(grade.score)
                item = Item(cell.name, "answer" if cell.name in answers else "test", points,
                            float(cell.max_score))
                if item.kind == "answer":
                    item.awaiting = grade is not None and grade.manual_score is None and (
                        grade.auto_score is None or bool(grade.needs_manual_grade))
                    comment = comments.get(cell.name)
                    item.message = _shorten(
                        (comment.manual_comment or comment.auto_comment or "") if comment else "")
                elif not feedback.graded:
                    item.message = "not run"
                elif not item.passed:
                    item.message = error_message(outputs.get(cell.name, []), code) or (
                        "partial credit" if item.points else "no points")
                feedback.items.append(item)
            notebooks.append(feedback)
        return notebooks


def render(student: str, assignment: str, notebook: NotebookFeedback,
           outcome: Outcome | None) -> str:
    """The HTML page of one notebook of one submission (self-contained, all text escaped)."""
    from consortia import pages

    failed = outcome is not None and outcome.status in ("failed", "missing")
    return pages.render(
        "feedback.html.j2",
        student=student,
        assignment=assignment,
        notebook=notebook,
        got=sum(i.points or 0 for i in notebook.items),
        possible=sum(i.max_points for i in notebook.items),
        late_penalty=outcome.late_penalty if outcome else 0,
        failure=outcome.reason if failed else "",
        notes=outcome.notes if outcome else [],
    )


def write_feedback(course: Path | str, outcomes: list[Outcome] | None = None,
                   assignment: str | None = None) -> list[Path]:
    """Write the feedback pages of every submission in ``outcomes`` (absent ones skipped).

    Without ``outcomes``, those of the last ``grade`` run of ``assignment`` are used.
    """
    course = Path(course).resolve()
    if outcomes is None:
        if assignment is None:
            raise ValueError("give the outcomes or the assignment")
        outcomes = load_outcomes(course, assignment)
    written = []
    with _Course(course) as opened:
        for outcome in outcomes:
            if outcome.status == "absent":
                continue
            folder = Path(opened.coursedir.format_path(opened.coursedir.feedback_directory,
                                                       outcome.student, outcome.assignment))
            folder.mkdir(parents=True, exist_ok=True)
            for nb in opened.collect(outcome.student, outcome.assignment):
                path = folder / f"{nb.name}.html"
                path.write_text(render(outcome.student, outcome.assignment, nb, outcome),
                                encoding="utf-8")
                written.append(path)
    return written
