"""Feedback for a participant: each part's label, points and message; never code.

nbgrader's own ``generate_feedback`` renders the whole graded notebook, hidden tests
and all (nbgrader issues #917 and #1363). This page shows, per notebook:

- the participant's total in the same words as the cohort report and ``scores.csv``
  (:meth:`~consortia.grading.marks.Total.text`: "14 of 18 so far; 6 points await the
  instructor");
- every autograded test by its plain label (:mod:`~consortia.grading.marks`), with
  points earned and possible, and, when it did not pass, the message of its error
  (``AssertionError: the plan starts in phase III``), its time-out, or that it wrote
  to stderr;
- every criterion the trainer marks by hand, with its points, the rubric level chosen
  and its descriptor, and the trainer's own comment; or that it awaits marking;
- what the grader noticed (restored test cells, cut output, late hand-in) and, for a
  submission that could not be graded, why.

It never shows a cell's source, so neither hidden tests nor solutions nor the
participant's code appear, and every piece of text is HTML-escaped. Error messages
come from a run the participant's code may have reached (the grader's own run of the
tests, or the participant's kernel for a test of their function): any code of the
assignment they quote is taken out (:func:`redact`), and they are shortened to
:data:`MAX_MESSAGE` characters.

Files: ``feedback/<participant>/<assignment>/<notebook>.html``, where nbgrader's
``release_feedback`` looks for them, with the ``timestamp.txt`` and
``submission_secret.txt`` that nbgrader's ``collect`` put beside the submission
(release needs them to hand the page to the participant who submitted).
:func:`release_feedback` hands the pages out through the course's exchange.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from consortia.grading.marks import Total, grand_total, marks, parts, rubric_of
from consortia.grading.nbgrader_course import course_directory, load_config, open_gradebook
from consortia.grading.outcomes import Outcome, load_outcomes
from consortia.storage import write_text_atomic

MAX_MESSAGE = 300
#: The most characters of a trainer's comment shown (a comment is written for the page).
MAX_COMMENT = 3000

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

#: Errors whose nbgrader name means little to a participant.
FRIENDLY = {
    "CellTimeoutError": "the cell ran longer than the time limit and was stopped",
    "NotebookTimeout": "not run: the notebook used up its time",
    "KeyboardInterrupt": "the cell ran longer than the time limit and was stopped",
}


@dataclass
class Item:
    """One part (a test, or a criterion marked by hand) as the participant sees it."""

    name: str  # the part's plain label
    kind: str  # "test" or "answer" (marked by hand)
    points: float | None
    max_points: float
    message: str = ""
    awaiting: bool = False  # a manual grade is still to come
    level: str = ""  # the rubric level chosen ("Sound")
    descriptor: str = ""  # what that level means
    comment: str = ""  # the trainer's own words

    @property
    def passed(self) -> bool:
        return self.points is not None and self.points >= self.max_points


@dataclass
class NotebookFeedback:
    name: str
    items: list[Item] = field(default_factory=list)
    graded: bool = True  # False when the notebook could not be run
    total: Total | None = None  # the points of this notebook, as the gradebook has them


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


def _shorten_long(text: str) -> str:
    """A trainer's comment as written (line breaks kept), cut at :data:`MAX_COMMENT`."""
    text = text.strip()
    return text if len(text) <= MAX_COMMENT else text[: MAX_COMMENT - 1] + "…"


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
        gb, coursedir = self.gb, self.coursedir
        autograded = Path(coursedir.format_path(coursedir.autograded_directory, student,
                                                assignment))
        rubric = rubric_of(assignment)
        all_parts = parts(gb, assignment, rubric)
        found, totals = marks(gb, assignment, student, all_parts, rubric)
        notebooks: list[NotebookFeedback] = []
        for nb in sorted(gb.find_assignment(assignment).notebooks, key=lambda n: n.name):
            code = [c.source or "" for c in nb.source_cells if c.cell_type == "code"]
            path = autograded / f"{nb.name}.ipynb"
            feedback = NotebookFeedback(nb.name, graded=path.is_file(), total=totals.get(nb.name))
            outputs = _graded_outputs(path) if feedback.graded else {}
            for mark in (m for m in found if m.part.notebook == nb.name):
                part = mark.part
                item = Item(part.label, "answer" if part.by_hand else "test", mark.points,
                            part.max_points, awaiting=mark.awaiting)
                if part.by_hand and not feedback.graded and mark.awaiting:
                    item.awaiting = False  # no graded copy: nothing for the trainer to mark
                    item.message = "not marked: this notebook could not be graded"
                elif part.by_hand:
                    if mark.level is not None:
                        item.level = mark.level.title
                        item.descriptor = " ".join(mark.level.descriptor.split())
                    item.comment = _shorten_long(mark.comment)
                    if mark.level is None:  # nbgrader's own note, e.g. "No response."
                        item.message = _shorten(mark.auto_comment)
                elif not feedback.graded:
                    item.message = "not run"
                elif not item.passed:
                    item.message = error_message(outputs.get(part.cell, []), code) or (
                        "partial credit" if item.points else "no points")
                feedback.items.append(item)
            notebooks.append(feedback)
        return notebooks


def render(student: str, assignment: str, notebook: NotebookFeedback,
           outcome: Outcome | None, total: Total | None = None) -> str:
    """The HTML page of one notebook of one submission (self-contained, all text escaped).

    ``total`` is the submission's total (default: the notebook's); the notebook's own is
    shown beside it when they differ (an assignment of several notebooks).
    """
    from consortia import pages

    failed = outcome is not None and outcome.status in ("failed", "missing")
    total = total or notebook.total
    return pages.render(
        "feedback.html.j2",
        student=student,
        assignment=assignment,
        notebook=notebook,
        total=total.text() if total else "",
        notebook_total=notebook.total.text() if notebook.total and notebook.total != total
        else "",
        late_penalty=outcome.late_penalty if outcome else 0,
        failure=outcome.reason if failed else "",
        notes=outcome.notes if outcome else [],
    )


#: The files nbgrader's collect puts beside a submission that release_feedback needs.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def _copy_exchange_files(source: Path, target: Path) -> None:
    """Copy :data:`EXCHANGE_FILES` from the submission, as nbgrader's generate_feedback
    does; small regular files only (never a link a participant might have made)."""
    for name in EXCHANGE_FILES:
        path = source / name
        destination = target / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= 4096:
            write_text_atomic(destination, path.read_text(encoding="utf-8", errors="replace"))
        elif destination.exists():
            destination.unlink()


def write_feedback(course: Path | str, outcomes: list[Outcome] | None = None,
                   assignment: str | None = None) -> list[Path]:
    """Write the feedback pages of every submission in ``outcomes`` (absent ones skipped).

    Without ``outcomes``, those of the last ``grade`` run of ``assignment`` are used.
    The pages read the gradebook as it is now, so marks given since grading are in.
    """
    course = Path(course).resolve()
    if outcomes is None:
        if assignment is None:
            raise ValueError("give the outcomes or the assignment")
        outcomes = load_outcomes(course, assignment)
    written = []
    with _Course(course) as opened:
        coursedir = opened.coursedir
        for outcome in outcomes:
            if outcome.status == "absent":
                continue
            folder = Path(coursedir.format_path(coursedir.feedback_directory,
                                                outcome.student, outcome.assignment))
            notebooks = opened.collect(outcome.student, outcome.assignment)
            for nb in notebooks:
                nb.total = nb.total.of_status(outcome.status) if nb.total else None
            totals = [nb.total for nb in notebooks if nb.total is not None]
            total = grand_total(dict(enumerate(totals))) if totals else None
            for nb in notebooks:
                path = folder / f"{nb.name}.html"
                write_text_atomic(path, render(outcome.student, outcome.assignment, nb,
                                               outcome, total))
                written.append(path)
            submitted = Path(coursedir.format_path(coursedir.submitted_directory,
                                                   outcome.student, outcome.assignment))
            if notebooks and submitted.is_dir() and not submitted.is_symlink():
                _copy_exchange_files(submitted, folder)
    return written


@dataclass
class Release:
    """What :func:`release_feedback` did: who got their feedback, and who could not."""

    released: list[str] = field(default_factory=list)
    not_released: dict[str, str] = field(default_factory=dict)  # participant -> why


def release_feedback(course: Path | str, assignment: str) -> Release:
    """Hand the feedback pages of ``assignment`` out through the course's exchange.

    Runs nbgrader's own release (``ExchangeReleaseFeedback``, with the course's
    configuration, so ``Exchange.root`` is the course's ``exchange/``) for each
    participant with a feedback page; each then gets it with nbgrader's
    ``fetch_feedback`` (the Assignments tab of Jupyter). A submission that was not
    handed in through the exchange has no ``submission_secret.txt``: nbgrader cannot
    tell whose it is, so it is listed with the reason and the page to give by hand.
    """
    from nbgrader.auth import Authenticator
    from nbgrader.exchange.abc import ExchangeError
    from nbgrader.exchange.default import ExchangeReleaseFeedback

    from consortia.grading.nbgrader_course import quiet

    course = Path(course).resolve()
    config = load_config(course)
    result = Release()
    coursedir = course_directory(config)
    root = Path(coursedir.root) / coursedir.feedback_directory
    if not root.is_dir():
        return result
    for folder in sorted(root.glob(f"*/{assignment}")):
        student = folder.parent.name
        if not any(folder.glob("*.html")):
            continue
        missing = [name for name in EXCHANGE_FILES if not (folder / name).is_file()]
        if missing:
            pages = ", ".join(str(p.relative_to(course)) for p in sorted(folder.glob("*.html")))
            result.not_released[student] = (
                f"handed in without nbgrader's exchange (no {' or '.join(missing)} from "
                f"nbgrader's collect), so "
                f"the exchange cannot deliver it; give them {pages} yourself")
            continue
        coursedir = course_directory(config)
        coursedir.assignment_id = assignment
        coursedir.student_id = student
        try:
            with quiet():
                ExchangeReleaseFeedback(coursedir=coursedir, config=config,
                                        authenticator=Authenticator(config=config)).start()
        except ExchangeError as exc:
            result.not_released[student] = f"nbgrader's exchange refused it: {exc}"
            continue
        result.released.append(student)
    return result
