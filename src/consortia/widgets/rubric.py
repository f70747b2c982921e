"""``RubricGrader``: mark one submission with a rubric and save the points to nbgrader.

For each criterion of the assignment's rubric the trainer sees the criterion, what
to look at, and one button per level; the descriptors of all levels are listed
below the buttons, the chosen one highlighted. The total updates as levels are
chosen, and a box takes the trainer's own comment for the participant. *Save to
gradebook* writes, for every manually graded cell the rubric scores, the points as
nbgrader's manual score and a comment naming the chosen levels, with the trainer's
comment on the first of them (:func:`consortia.grading.rubric.apply_choices`), so
the formgrader, the kit's reports and the participant's feedback all show them;
what happened is said beside the button.

Trainers do not need to type this: the marking page that ``consortia workshop open
DIR`` prints the address of (:class:`consortia.widgets.marking.MarkingDesk`) shows
this form beside the participant's plan, one submission after another. In a
notebook of the trainer (in the course folder where submissions were autograded)::

    from consortia.widgets.rubric import RubricGrader
    RubricGrader(".", "04_action_plan", "team-belize")

Levels and the comment already saved for that submission are shown when it opens.
Everything is an ordinary widget attribute, so tests drive it directly: set
``grader.selectors["roles"].value = "sound"`` and ``grader.comment_box.value``, then
call ``grader.save_button.click()``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from consortia.grading.rubric import (
    Rubric,
    apply_choices,
    read_choices,
    read_comment,
    rubric_for,
    score,
)
from consortia.widgets._view import WidgetView

__all__ = ["RubricGrader", "apply_choices"]

_CHOSEN = "background:#e6f4ea;border-left:4px solid #137333;padding:2px 6px"
_OTHER = "padding:2px 6px;border-left:4px solid transparent"


class RubricGrader(WidgetView):
    """A rubric form for one submission: a level per criterion, a total, a comment and a
    Save button.

    Attributes worth knowing: ``rubric``, ``selectors`` (criterion id -> toggle
    buttons), ``descriptors`` (criterion id -> HTML list of levels), ``total_html``,
    ``comment_box`` (the trainer's comment), ``save_button``, ``status_html`` (beside
    the button), ``choices`` (criterion id -> level id, for the criteria chosen so
    far), ``saved`` (what the last save wrote), ``widget``. :meth:`on_saved` registers
    a function to call after each save that worked.
    """

    def __init__(self, course_dir: str | Path, assignment: str, student: str,
                 rubric: Rubric | None = None):
        self.course_dir = Path(course_dir)
        self.assignment = assignment
        self.student = student
        self.rubric = rubric or rubric_for(assignment)
        self.saved: dict | None = None
        self.status_text = ""
        self.status_ok = True
        self._saved_callbacks: list[Callable[[dict], None]] = []
        self.selectors: dict[str, w.ToggleButtons] = {}
        self.descriptors: dict[str, w.HTML] = {}
        blocks = []
        for item in self.rubric.criteria:
            selector = w.ToggleButtons(
                options=[(f"{level.title} ({level.points:g})", level.id) for level in item.levels],
                value=None,
                tooltips=[" ".join(level.descriptor.split()) for level in item.levels],
                style={"button_width": "auto"},
            )
            selector.observe(self._changed, names="value")
            self.selectors[item.id] = selector
            self.descriptors[item.id] = w.HTML()
            heading = (
                f"<h4 style='margin:12px 0 2px 0'>{html.escape(item.title)} "
                f"<span style='font-weight:normal'>(up to {item.max_points:g} points; "
                f"{html.escape('; '.join(item.sources))})</span></h4>"
            )
            if item.guidance:
                heading += f"<div style='max-width:800px'>{html.escape(item.guidance)}</div>"
            block = w.VBox([w.HTML(heading), selector, self.descriptors[item.id]])
            block.add_class(f"kit-criterion-{item.id}")  # so a page (and a test) can find it
            blocks.append(block)
        self.total_html = w.HTML()
        self.comment_box = w.Textarea(
            placeholder="Optional. The participant reads it in their feedback, above the "
                        "levels you chose.",
            layout=w.Layout(width="95%", max_width="800px", height="90px"))
        self.comment_box.observe(self._changed, names="value")
        self.comment_box.add_class("kit-rubric-comment")
        self.status_html = w.HTML()
        self.save_button = w.Button(description="Save to gradebook", icon="save",
                                    button_style="primary", disabled=True,
                                    layout=w.Layout(width="auto", flex="0 0 auto"))
        self.save_button.on_click(lambda _button: self.save())
        title = w.HTML(
            f"<h3>{html.escape(self.rubric.title)}</h3><div>Submission of "
            f"<b>{html.escape(student)}</b>, {html.escape(assignment)} "
            f"({html.escape(self.rubric.notebook)}.ipynb)</div>"
        )
        comment_title = w.HTML("<h4 style='margin:12px 0 2px 0'>Your comment for the "
                               "participant</h4>")
        self.widget = w.VBox([title, *blocks, self.total_html, comment_title, self.comment_box,
                              w.HBox([self.save_button, self.status_html],
                                     layout=w.Layout(align_items="center"))])
        self._load_saved()
        self._refresh()

    def __repr__(self) -> str:
        return (f"RubricGrader({str(self.course_dir)!r}, {self.assignment!r}, "
                f"{self.student!r}: {len(self.choices)} of {len(self.selectors)} chosen)")

    # -- state -----------------------------------------------------------------------------

    @property
    def choices(self) -> dict[str, str]:
        """The level chosen for each criterion so far (criterion id -> level id)."""
        return {key: box.value for key, box in self.selectors.items() if box.value is not None}

    def _load_saved(self) -> None:
        try:
            earlier = read_choices(self.course_dir, self.assignment, self.student, self.rubric)
            comment = read_comment(self.course_dir, self.assignment, self.student, self.rubric)
        except (OSError, ValueError) as exc:
            self._say(f"Could not read earlier marks: {exc}", ok=False)
            return
        for key, level in earlier.items():
            if key in self.selectors:
                self.selectors[key].value = level
        self.comment_box.value = comment
        if earlier:
            self._say(f"Loaded the levels saved earlier for {len(earlier)} criteria.")

    def _changed(self, _change=None) -> None:
        self._refresh()
        self._say("")

    def _refresh(self) -> None:
        for item in self.rubric.criteria:
            chosen = self.selectors[item.id].value
            lines = "".join(
                f"<div style='{_CHOSEN if level.id == chosen else _OTHER}'>"
                f"<b>{html.escape(level.title)}</b> ({level.points:g}): "
                f"{html.escape(' '.join(level.descriptor.split()))}</div>"
                for level in item.levels
            )
            self.descriptors[item.id].value = f"<div style='max-width:800px'>{lines}</div>"
        chosen = self.choices
        missing = [c.title for c in self.rubric.criteria if c.id not in chosen]
        if missing:
            self.total_html.value = (
                f"<b>Total: not complete</b> - choose a level for {len(missing)} more "
                f"criteria: {html.escape(', '.join(missing))}."
            )
            self.save_button.disabled = True
        else:
            result = score(self.rubric, chosen)
            self.total_html.value = (
                f"<b>Total: {result['total']:g} of {result['max_total']:g} points</b>"
            )
            self.save_button.disabled = False

    def _say(self, message: str, ok: bool = True) -> None:
        self.status_text = message
        self.status_ok = ok
        colour = "#137333" if ok else "#a50e0e"
        self.status_html.value = (f"<span class='kit-save-status' style='color:{colour};"
                                  f"margin-left:10px'>{html.escape(message)}</span>"
                                  if message else "")

    # -- saving ----------------------------------------------------------------------------

    def on_saved(self, callback: Callable[[dict], None]) -> None:
        """Call ``callback`` with what was written, after each save that worked."""
        self._saved_callbacks.append(callback)

    def save(self) -> dict | None:
        """Write the chosen levels and the comment to the gradebook; return what was
        written, or ``None`` (the reason is then shown beside the button)."""
        try:
            self.saved = apply_choices(self.course_dir, self.assignment, self.student,
                                       self.choices, rubric=self.rubric,
                                       comment=self.comment_box.value)
        except Exception as exc:  # the form must survive a locked or broken gradebook
            self._say(f"Not saved: {exc}", ok=False)
            return None
        with_comment = " with your comment" if self.saved["comment"] else ""
        self._say(f"Saved for {self.student}{with_comment} at {dt.datetime.now():%H:%M:%S}: "
                  f"total {self.saved['total']:g} of {self.saved['max_total']:g} points.")
        for callback in self._saved_callbacks:
            callback(self.saved)
        return self.saved
