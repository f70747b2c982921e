"""What costs points in an assignment, announced to participants before they hand in.

``graded_criteria("04_action_plan")`` shows, in the exercise itself, every check the
computer grades (with the validator's rules it applies and how the planner labels
each rule) and every criterion the trainer marks, each with its points. It is made
from the assignment's rubric (``data/rubrics/<name>.yaml``), the one home of both:
the checks there are the ones the test cells apply
(:func:`consortia.grading.checks.assert_criterion`), and the criteria the ones the
trainer scores (:mod:`consortia.grading.rubric`), so the table cannot announce
anything else than what is graded.
"""

from __future__ import annotations

from dataclasses import dataclass

from consortia import pages
from consortia.grading.rubric import Rubric, rubric_for
from consortia.plans.rulebook import SEVERITY_LABELS, rulebook

#: The Jinja2 template of the table (in ``src/consortia/templates/``).
TEMPLATE = "graded_criteria.html.j2"


@dataclass(frozen=True)
class RuleRow:
    """One rule a check applies: its code, its title and the planner's label for it."""

    code: str
    title: str
    label: str


@dataclass(frozen=True)
class CheckRow:
    """One autograded check: its test cell's name, what it asks, its points and rules."""

    grade_id: str
    words: str
    points: float
    rules: tuple[RuleRow, ...]

    @property
    def single(self) -> RuleRow | None:
        """The check's one rule, when the check is named by that rule's title."""
        return self.rules[0] if len(self.rules) == 1 and self.rules[0].title == self.words \
            else None


@dataclass(frozen=True)
class CriterionRow:
    """One criterion the trainer marks, and the most points it gives."""

    title: str
    points: float


@dataclass(frozen=True)
class GradedCriteria:
    """The table of what costs points in one assignment (shows itself in a notebook)."""

    assignment: str
    checks: tuple[CheckRow, ...]
    criteria: tuple[CriterionRow, ...]

    @property
    def check_points(self) -> float:
        return sum(row.points for row in self.checks)

    @property
    def criterion_points(self) -> float:
        return sum(row.points for row in self.criteria)

    @property
    def total(self) -> float:
        return self.check_points + self.criterion_points

    def _repr_html_(self) -> str:
        return pages.render(TEMPLATE, table=self, ungraded=SEVERITY_LABELS["advice"])

    def __str__(self) -> str:
        lines = [f"What costs points in {self.assignment} ({self.total:g} points in all)", "",
                 f"Checked by the computer ({self.check_points:g} points):"]
        for row in self.checks:
            line = f"  {row.points:g}  {row.grade_id}: {row.words}"
            if row.single:
                lines.append(f"{line} ({row.single.code}, {row.single.label})")
                continue
            lines.append(line)
            lines += [f"       - {rule.title} ({rule.code}, {rule.label})" for rule in row.rules]
        if self.criteria:
            lines += ["", f"Marked by your trainer ({self.criterion_points:g} points):"]
            lines += [f"  {row.points:g}  {row.title}" for row in self.criteria]
        lines += ["", f'Rules the planner marks "{SEVERITY_LABELS["advice"]}" cost no points.']
        return "\n".join(lines)

    __repr__ = __str__


def criteria_of(rubric: Rubric) -> GradedCriteria:
    """The table of one rubric's checks and criteria."""
    book = rulebook()
    checks = tuple(
        CheckRow(item.grade_id, item.words, item.points, tuple(
            RuleRow(code, book[code].title, SEVERITY_LABELS[book[code].severity])
            for code in rubric.check_rules(item.grade_id)))
        for item in rubric.checks)
    criteria = tuple(CriterionRow(item.title, item.max_points) for item in rubric.criteria)
    return GradedCriteria(rubric.assignment, checks, criteria)


def graded_criteria(assignment: str) -> GradedCriteria:
    """What costs points in ``assignment`` (``"04_action_plan"``), as a table.

    Raises :class:`~consortia.errors.InputError` if the assignment has no rubric.
    """
    return criteria_of(rubric_for(assignment))
