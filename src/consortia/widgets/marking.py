"""``MarkingDesk``: the marking page, where a trainer marks a cohort's hand-ins with a rubric.

nbgrader's formgrader shows a number box per manually graded cell: it cannot show a
rubric's levels and their descriptors, nor draw a participant's plan. This page of
the kit's own does both, with no code: ``consortia workshop open DIR`` prints its
address (Voilà shows ``apps/marking.ipynb``, which shows this widget).

At the top the trainer picks the assignment (those with a rubric) and a submission,
listed by participant id and name with its status, "to mark" or "marked"; the page
opens on the first assignment and submission still to mark. Below, on
the left, the participant's plan as the kit's plan page draws it (timeline,
activities, indicators, what the checks say) and what they wrote in the answer
cells the rubric scores; on the right the rubric form
(:class:`~consortia.widgets.rubric.RubricGrader`): one click per criterion on a
level, a comment, *Save to gradebook*, and what happened beside the button. The
list of submissions updates its status after each save.

Everything it reads comes from :mod:`consortia.grading.marking`; everything it
writes goes through :func:`consortia.grading.rubric.apply_choices`.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from consortia._paths import kit_command
from consortia.errors import KitError
from consortia.grading import marking
from consortia.grading.rubric import rubric_for
from consortia.plans.page import plan_preview
from consortia.widgets._view import WidgetView
from consortia.widgets.rubric import RubricGrader

#: Height of the plan page's frame, in pixels: the summary, timeline and activities.
PLAN_HEIGHT = 900


def _note(text: str, colour: str = "#444") -> str:
    return f"<div style='color:{colour};max-width:800px;margin:6px 0'>{html.escape(text)}</div>"


class MarkingDesk(WidgetView):
    """The marking page for one course folder: pick a submission, read its plan, mark it.

    Attributes worth knowing: ``assignment_picker`` and ``submission_picker``
    (dropdowns), ``submissions`` (the listed :class:`~consortia.grading.marking.Submission`
    objects), ``grader`` (the rubric form of the chosen submission, or ``None``),
    ``plan_html`` (the plan page), ``answers_html`` (the written answers),
    ``message_html`` (why nothing can be shown, when that happens), ``widget``.
    """

    def __init__(self, course_dir: str | Path, assignment: str | None = None):
        self.course_dir = Path(course_dir)
        self.submissions: list[marking.Submission] = []
        self._quiet = False
        self.grader: RubricGrader | None = None
        self.assignment_picker = w.Dropdown(description="Assignment",
                                            layout=w.Layout(width="420px"))
        self.submission_picker = w.Dropdown(description="Submission",
                                            layout=w.Layout(width="520px"))
        self.assignment_picker.add_class("kit-assignment-picker")
        self.submission_picker.add_class("kit-submission-picker")
        self.count_html = w.HTML()
        self.message_html = w.HTML()
        self.plan_html = w.HTML()
        self.answers_html = w.HTML()
        self.grader_box = w.VBox()
        left = w.VBox([self.plan_html, self.answers_html],
                      layout=w.Layout(width="56%", padding="0 12px 0 0"))
        right = w.VBox([self.grader_box], layout=w.Layout(width="44%"))
        self.widget = w.VBox([
            w.HBox([self.assignment_picker, self.submission_picker]),
            self.count_html, self.message_html, w.HBox([left, right]),
        ])
        try:
            names = marking.markable_assignments(self.course_dir)
        except KitError as exc:
            self._stop(str(exc))
            return
        if not names:
            self._stop(f"No assignment of the course in {self.course_dir} has a rubric, so "
                       "there is nothing to mark here.")
            return
        self.assignment_picker.options = names
        self.assignment_picker.value = assignment if assignment in names else \
            marking.first_to_mark(self.course_dir, names)
        self.assignment_picker.observe(lambda _change: self._list(), names="value")
        self.submission_picker.observe(self._picked, names="value")
        self._list()

    def __repr__(self) -> str:
        return (f"MarkingDesk({str(self.course_dir)!r}, {self.assignment!r}: "
                f"{len(self.submissions)} submissions)")

    @property
    def assignment(self) -> str | None:
        """The assignment being marked."""
        return self.assignment_picker.value

    @property
    def student(self) -> str | None:
        """The participant whose submission is shown."""
        return self.submission_picker.value

    # -- what is shown ---------------------------------------------------------------------

    def _stop(self, message: str) -> None:
        self.message_html.value = _note(message, "#a50e0e")
        self.assignment_picker.disabled = self.submission_picker.disabled = True

    def _list(self, keep: str | None = None) -> None:
        """Fill the submission picker for the chosen assignment (keeping ``keep`` chosen)."""
        try:
            self.submissions = marking.submissions(self.course_dir, self.assignment)
        except KitError as exc:  # e.g. a gradebook that went missing since the page opened
            self.submissions = []
            self._clear()
            self.message_html.value = _note(str(exc), "#a50e0e")
            return
        to_mark = sum(s.status == marking.TO_MARK for s in self.submissions)
        self.count_html.value = _note(
            f"{len(self.submissions)} submissions: {len(self.submissions) - to_mark} marked, "
            f"{to_mark} to mark.")
        options = [(s.label, s.student) for s in self.submissions]
        ids = [s.student for s in self.submissions]
        self._quiet = True  # new options pick a value on their own: show the one wanted, once
        try:
            if tuple(self.submission_picker.options) != tuple(options):
                self.submission_picker.options = options
            waiting = [s.student for s in self.submissions if s.status == marking.TO_MARK]
            self.submission_picker.value = keep if keep in ids else next(iter(waiting + ids),
                                                                         None)
        finally:
            self._quiet = False
        if keep is None:
            self._show()
        if not self.submissions:
            self.message_html.value = _note(
                f"No graded submission of {self.assignment} yet. Put the hand-ins into "
                f"submitted/ and run {kit_command('grade', self.course_dir, self.assignment)}, "
                "then reload this page.")

    def _picked(self, _change=None) -> None:
        if not self._quiet:
            self._show()

    def _show(self) -> None:
        """Show the chosen submission: its plan, its answers and the rubric form."""
        self.message_html.value = ""
        student = self.student
        if student is None:
            self._clear()
            return
        self.plan_html.value = self._plan_page(student)
        self.answers_html.value = self._answers(student)
        self.grader = RubricGrader(self.course_dir, self.assignment, student)
        self.grader.on_saved(lambda _saved: self._list(keep=student))
        self.grader_box.children = [self.grader.widget]

    def _clear(self) -> None:
        self.plan_html.value = self.answers_html.value = ""
        self.grader_box.children = []
        self.grader = None

    def _plan_page(self, student: str) -> str:
        try:
            plan = marking.handed_in_plan(self.course_dir, self.assignment, student)
        except KitError as exc:
            return _note(f"The plan handed in cannot be shown: {exc}", "#a50e0e")
        if plan is None:
            return _note(f"{student} handed in no plan.json with this assignment.")
        return ("<h3>The plan handed in</h3>"
                + plan_preview(plan, height=PLAN_HEIGHT)._repr_html_())

    def _answers(self, student: str) -> str:
        rubric = rubric_for(self.assignment)
        answers = marking.written_answers(self.course_dir, self.assignment, student, rubric)
        if not answers:
            return ""
        titles = {}
        for item in rubric.criteria:
            titles.setdefault(item.grade_id, item.title)
        parts = ["<h3>What they wrote</h3>"]
        for grade_id, text in answers.items():
            parts.append(
                f"<h4 style='margin:10px 0 2px 0'>{html.escape(titles[grade_id])}</h4>"
                f"<div class='kit-answer' style='white-space:pre-wrap;max-width:800px;"
                f"border-left:4px solid #bbb;padding:4px 8px;background:#fafafa'>"
                f"{html.escape(text.strip()) or '<i>(left empty)</i>'}</div>")
        return "".join(parts)
