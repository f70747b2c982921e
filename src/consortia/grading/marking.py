"""What the marking page needs from a course folder: who handed in, their plan and answers.

The marking page (``consortia workshop open DIR`` prints its address; the page is
:class:`consortia.widgets.marking.MarkingDesk` in ``apps/marking.ipynb``) lets a
trainer mark the parts of an assignment that its rubric covers, one submission at a
time. This module reads, without changing anything:

* the assignments of the course that have a rubric (:func:`markable_assignments`);
* the submissions of an assignment in the gradebook, each with the participant's id
  and name and whether every cell the rubric scores has a manual score yet
  (:func:`submissions`: "to mark" or "marked");
* the participant's plan as handed in (``submitted/<id>/<assignment>/plan.json``), so
  the page can draw it (:func:`handed_in_plan`), and the written answers of the cells
  the rubric scores, from the graded notebook (:func:`written_answers`).

Saving is :func:`consortia.grading.rubric.apply_choices`: the one way points and
comments reach nbgrader's gradebook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from consortia.errors import InputError
from consortia.grading.checks import PLAN_FILE
from consortia.grading.nbgrader_course import course_directory, load_config, open_gradebook
from consortia.grading.rubric import Rubric, rubric_for
from consortia.plans.model import ActionPlan

TO_MARK = "to mark"
MARKED = "marked"

#: Largest notebook the page reads answers from (a graded notebook is a few hundred KB).
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Submission:
    """One participant's graded hand-in of an assignment, as the picker lists it."""

    student: str
    first_name: str
    last_name: str
    status: str  # TO_MARK or MARKED
    score: float
    max_score: float

    @property
    def name(self) -> str:
        """First and last name, or the id when the class list gave none."""
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.student

    @property
    def label(self) -> str:
        """``ana - Ana Lopez (to mark)``: how the picker shows it."""
        return f"{self.student} - {self.name} ({self.status})"


def has_rubric(assignment: str) -> bool:
    """True when the kit has a rubric for ``assignment``: it has parts to mark by hand."""
    try:
        rubric_for(assignment)
    except InputError:
        return False
    return True


def markable_assignments(course: Path | str) -> list[str]:
    """The assignments of the course's gradebook that have a rubric, in order."""
    with open_gradebook(course) as gb:
        names = sorted(a.name for a in gb.assignments)
    return [name for name in names if has_rubric(name)]


def first_to_mark(course: Path | str, assignments: list[str]) -> str:
    """The assignment to show first: the first with a submission still to mark, else the
    first with any submission, else the first of ``assignments``."""
    listed = {name: submissions(course, name) for name in assignments}
    for wanted in (lambda subs: any(s.status == TO_MARK for s in subs), bool):
        for name, subs in listed.items():
            if wanted(subs):
                return name
    return assignments[0]


def submissions(course: Path | str, assignment: str,
                rubric: Rubric | None = None) -> list[Submission]:
    """The graded submissions of ``assignment``, by participant id, with their status.

    A submission is *marked* when every cell the rubric scores has a manual score
    (saved from the marking page or typed in nbgrader's formgrader); a participant
    who handed nothing in is not listed.
    """
    from nbgrader.api import MissingEntry

    rubric = rubric or rubric_for(assignment)
    found: list[Submission] = []
    with open_gradebook(course) as gb:
        try:
            entry = gb.find_assignment(assignment)
        except MissingEntry:
            raise InputError(f"The gradebook of {course} has no assignment {assignment!r}: "
                             "is it an assignment of this course?") from None
        for submitted in entry.submissions:
            student = submitted.student
            marked = True
            for grade_id in rubric.grade_ids():
                try:
                    grade = gb.find_grade(grade_id, rubric.notebook, assignment, student.id)
                except MissingEntry:
                    marked = False
                    break
                marked = marked and grade.manual_score is not None
            found.append(Submission(student.id, student.first_name or "",
                                    student.last_name or "", MARKED if marked else TO_MARK,
                                    float(submitted.score or 0), float(submitted.max_score or 0)))
    return sorted(found, key=lambda s: s.student.lower())


def _folder(course: Path | str, kind: str, student: str, assignment: str) -> Path:
    coursedir = course_directory(load_config(course))
    folder = getattr(coursedir, f"{kind}_directory")
    return Path(coursedir.format_path(folder, student, assignment))


def handed_in_plan(course: Path | str, assignment: str, student: str) -> ActionPlan | None:
    """The plan the participant handed in with ``assignment``; ``None`` if there is none.

    It is read from ``submitted/`` (what the participant gave), not from the graded
    copy, which running the notebook may have rewritten. A plan that cannot be read
    raises :class:`~consortia.plans.files.PlanFileError` saying why.
    """
    from consortia.plans.files import PlanFileError, load_plan

    path = _folder(course, "submitted", student, assignment) / PLAN_FILE
    if path.is_symlink():
        raise PlanFileError(path, "is a link, not a file; the hand-in holds no plan of its own")
    if not path.is_file():
        return None
    return load_plan(path)


def written_answers(course: Path | str, assignment: str, student: str,
                    rubric: Rubric | None = None) -> dict[str, str]:
    """What the participant wrote in the answer cells the rubric scores: grade id -> text.

    Read from the graded notebook (``autograded/``), where nbgrader has put back any
    cell that was deleted; cells with nothing to write (nbgrader's task cells) are
    left out. Empty if the notebook is missing or unreadable.
    """
    rubric = rubric or rubric_for(assignment)
    path = _folder(course, "autograded", student, assignment) / f"{rubric.notebook}.ipynb"
    try:
        if path.is_symlink() or path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return {}
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    wanted = set(rubric.grade_ids())
    answers: dict[str, str] = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {} if isinstance(cell, dict) else {}
        grade_id = meta.get("grade_id")
        if grade_id in wanted and meta.get("solution"):
            source = cell.get("source", "")
            answers[grade_id] = "".join(source) if isinstance(source, list) else str(source)
    return answers
