"""What a submission is scored on, part by part and in words, and its one total.

A *part* is one thing points are given for: an autograded test cell, or a thing a
trainer marks by hand (one part per criterion of the assignment's rubric; a
hand-marked cell that no rubric covers is one part). The feedback, the cohort report
and ``scores.csv`` all list the same parts, with the same labels, read from the data
that defines each part (never a second copy kept here):

- a rubric criterion: its ``title`` in ``data/rubrics/<name>.yaml``;
- a test cell: the comment on its first line (``# Phases III to V are all planned,
  within the first six months (SELA 2014 §8).``), which participants see above it;
- a task cell no rubric covers: its first line (its heading);
- anything else (a written answer no rubric covers, a test without a comment): its
  grade id in words. A written answer's own text is never used: in the instructor's
  copy it holds the model answer.

:class:`Total` is the one way every page says a score (:meth:`Total.text`): "14 of 18
so far; 6 points await the instructor" while hand-marked cells are still to be marked,
"20 of 24" once they are. Its points are the gradebook's own (nbgrader's score is the
sum of the cells' scores), so all of them agree with nbgrader's formgrader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consortia.grading.rubric import Criterion, Level, Rubric

#: A test cell's first line, when it is a comment that says what the test checks.
_COMMENT_LINE = re.compile(r"^#(?!##)\s*(\S.*)$")
#: nbgrader's marks around hidden tests and solutions (it finds them anywhere in a line).
_NBGRADER_MARKS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION")
#: The "(3 points)" a task's heading ends with: the part's points are shown beside it.
_POINTS_SUFFIX = re.compile(r"\s*\(\s*\d+(\.\d+)?\s+points?\s*\)\s*$")


@dataclass(frozen=True)
class Total:
    """The points of a submission (or of one of its notebooks), as the gradebook has them."""

    score: float
    max_score: float
    awaiting: float = 0.0  # the points of the hand-marked cells not marked yet

    @property
    def marked_max(self) -> float:
        """The most points the parts marked so far could give."""
        return self.max_score - self.awaiting

    @property
    def percent(self) -> float:
        """The score in percent of the assignment's maximum."""
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def text(self) -> str:
        """The total in words, the same on every page: ``"14 of 18 so far; 6 points await
        the instructor"``, or ``"20 of 24"`` when nothing is left to mark."""
        if not self.awaiting:
            return f"{self.score:g} of {self.max_score:g}"
        verb = "point awaits" if self.awaiting == 1 else "points await"
        return (f"{self.score:g} of {self.marked_max:g} so far; {self.awaiting:g} {verb} "
                "the instructor")

    @classmethod
    def of_grades(cls, grades, by_hand: set[str]) -> Total:
        """The total of nbgrader ``Grade`` rows; ``by_hand`` names the hand-marked cells."""
        score = sum(float(g.score or 0) for g in grades)
        max_score = sum(float(g.max_score or 0) for g in grades)
        awaiting = sum(float(g.max_score or 0) for g in grades if g.name in by_hand
                       and g.manual_score is None and g.auto_score is None)
        return cls(score, max_score, awaiting)

    def of_status(self, status: str) -> Total:
        """The total as a submission of this grading ``status`` has it: nothing awaits
        the trainer in one that could not be graded (its notebook could not be run, so
        there is no graded copy to mark); its feedback says why instead."""
        return self if status == "graded" else Total(self.score, self.max_score)

    def __add__(self, other: Total) -> Total:
        return Total(self.score + other.score, self.max_score + other.max_score,
                     self.awaiting + other.awaiting)


@dataclass(frozen=True)
class Part:
    """One thing points are given for, with its plain label."""

    key: str  # unique in the assignment: the grade id, or the rubric criterion's id
    label: str
    notebook: str
    cell: str  # the grade id of the cell that holds its points
    by_hand: bool  # marked by the trainer (False: an autograded test)
    max_points: float
    criterion: Criterion | None = None


@dataclass(frozen=True)
class Mark:
    """How one submission did on one part."""

    part: Part
    points: float | None  # None: no points given yet (or a hand-made split not recorded)
    awaiting: bool = False  # still to be marked by the trainer
    level: Level | None = None  # the rubric level chosen
    comment: str = ""  # the trainer's own words on the cell (on the cell's last part)
    auto_comment: str = ""  # what nbgrader noted by itself ("No response.")


def in_words(grade_id: str) -> str:
    """A grade id as words: ``"roles_of_members"`` -> ``"Roles of members"``."""
    text = " ".join(grade_id.replace("_", " ").replace("-", " ").split())
    return text[:1].upper() + text[1:]


def _test_label(source: str | None, grade_id: str) -> str:
    """The comment on a test cell's first line, else its grade id in words.

    Only that line is read: the hidden tests come after it, between nbgrader's marks,
    and a line holding a mark is never used.
    """
    first = (source or "").strip().splitlines()[:1]
    found = _COMMENT_LINE.match(first[0].strip()) if first else None
    if not found or any(mark in first[0] for mark in _NBGRADER_MARKS):
        return in_words(grade_id)
    return found.group(1).strip()


def _task_label(source: str | None, grade_id: str) -> str:
    for line in (source or "").splitlines():
        text = _POINTS_SUFFIX.sub("", line.strip().lstrip("#").strip())
        if text:
            return text
    return in_words(grade_id)


def rubric_of(assignment: str) -> Rubric | None:
    """The kit's rubric of ``assignment``, or ``None`` if it has none."""
    from consortia.errors import InputError
    from consortia.grading.rubric import rubric_for

    try:
        return rubric_for(assignment)
    except InputError:
        return None


def hand_marked(notebook) -> set[str]:
    """The grade ids of an nbgrader ``Notebook``'s cells that a trainer marks by hand:
    its tasks, and the graded cells that are also answers (solution cells)."""
    answers = {c.name for c in notebook.solution_cells}
    return ({c.name for c in notebook.task_cells}
            | {c.name for c in notebook.grade_cells if c.name in answers})


def parts(gb, assignment: str, rubric: Rubric | None = None) -> list[Part]:
    """Every part of ``assignment`` in notebook order, from the gradebook ``gb``.

    ``rubric`` defaults to the kit's rubric of the assignment, if it has one.
    """
    rubric = rubric if rubric is not None else rubric_of(assignment)
    found: list[Part] = []
    keys: set[str] = set()
    for nb in sorted(gb.find_assignment(assignment).notebooks, key=lambda n: n.name):
        sources = {c.name: c for c in nb.source_cells}
        order = {c.name: i for i, c in enumerate(nb.source_cells)}
        by_hand = hand_marked(nb)
        tasks = {c.name for c in nb.task_cells}
        ours = rubric is not None and rubric.notebook == nb.name
        criteria = rubric.grade_ids() if ours else {}
        # the rubric's list of graded checks is the one home of their words, where the
        # assignment has one (the action plan); other tests carry theirs in the cell
        checks = {c.grade_id: c.words for c in rubric.checks} if ours else {}
        cells = [*nb.grade_cells, *nb.task_cells]
        for cell in sorted(cells, key=lambda c: order.get(c.name, 0)):
            source = sources.get(cell.name)
            text = source.source if source is not None else ""
            if cell.name in criteria:
                items = [(c.id, c.title, c.max_points, c) for c in criteria[cell.name]]
            elif cell.name in checks:
                items = [(cell.name, checks[cell.name], cell.max_score, None)]
            elif cell.name not in by_hand:
                items = [(cell.name, _test_label(text, cell.name), cell.max_score, None)]
            elif cell.name in tasks:
                items = [(cell.name, _task_label(text, cell.name), cell.max_score, None)]
            else:
                items = [(cell.name, in_words(cell.name), cell.max_score, None)]
            for key, label, points, criterion in items:
                key = key if key not in keys else f"{nb.name}.{key}"
                keys.add(key)
                found.append(Part(key, label, nb.name, cell.name, cell.name in by_hand,
                                  float(points), criterion))
    return found


def marks(gb, assignment: str, student: str, all_parts: list[Part],
          rubric: Rubric | None = None) -> tuple[list[Mark], dict[str, Total]]:
    """How ``student`` did on each part, and the :class:`Total` of each notebook.

    Empty (and no totals) when the gradebook has no submission of theirs.
    """
    from nbgrader.api import MissingEntry

    from consortia.grading.rubric import chosen_levels, own_words

    try:
        submission = gb.find_submission(assignment, student)
    except MissingEntry:
        return [], {}
    rubric = rubric if rubric is not None else rubric_of(assignment)
    notebooks = {nb.name: nb for nb in gb.find_assignment(assignment).notebooks}
    grades, comments, totals = {}, {}, {}
    for submitted in submission.notebooks:
        name = submitted.notebook.name
        grades.update({(name, g.name): g for g in submitted.grades})
        comments.update({(name, c.name): c for c in submitted.comments})
        totals[name] = Total.of_grades(submitted.grades, hand_marked(notebooks[name]))
    last_of_cell = {(p.notebook, p.cell): p.key for p in all_parts}
    shares = {}
    for p in all_parts:
        shares[(p.notebook, p.cell)] = shares.get((p.notebook, p.cell), 0) + 1
    found = []
    for part in all_parts:
        grade = grades.get((part.notebook, part.cell))
        comment = comments.get((part.notebook, part.cell))
        manual_comment = comment.manual_comment if comment is not None else None
        words = own_words(manual_comment) if part.by_hand else ""
        extra = {
            "comment": words if last_of_cell[(part.notebook, part.cell)] == part.key else "",
            "auto_comment": (comment.auto_comment or "") if comment is not None else "",
        }
        if grade is None:
            found.append(Mark(part, None, **extra))
            continue
        if grade.manual_score is None and grade.auto_score is None:
            found.append(Mark(part, None, awaiting=part.by_hand, **extra))
            continue
        if part.criterion is None:
            found.append(Mark(part, float(grade.score), **extra))
            continue
        level = chosen_levels(rubric, manual_comment).get(part.criterion.id) if (
            grade.manual_score is not None) else None
        if level is not None:
            points = level.points
        elif grade.manual_score is None:  # nbgrader's own zero for an untouched answer
            points = float(grade.auto_score)
        elif shares[(part.notebook, part.cell)] == 1:  # marked by hand, without the rubric
            points = float(grade.score)
        else:  # a score for several criteria, split in no recorded way
            points = None
        found.append(Mark(part, points, level=level, **extra))
    return found, totals


def grand_total(totals: dict[str, Total]) -> Total:
    """The total of a submission: the sum of its notebooks' totals."""
    result = Total(0.0, 0.0)
    for total in totals.values():
        result = result + total
    return result
