"""The self-check widget: answer first, get feedback, and only then see the answer.

``SelfCheckWidget("start-six-month-phases")`` shows the question from
``course/self_checks``; "Check my answer" gives feedback on the learner's own
choice, and "Show the answer" stays disabled until the learner has tried once, so
the answer is never in view before the learner has thought about it. The two
buttons are named in a line under the question, in the words the start page uses.

In the learner's personal copy of the course every answer is recorded
(:mod:`consortia.course.progress`), and the widget says how many self-checks of the
lesson are done; elsewhere (the kit's own notebooks, the tests) nothing is written.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from consortia.course import progress, self_checks
from consortia.widgets._view import WidgetView


class SelfCheckWidget(WidgetView):
    """One self-check question as a small form with feedback."""

    def __init__(self, check_id: str):
        self.check = self_checks.get(check_id)
        self.attempts = 0
        self.solved = False
        self.prompt = w.HTML(f"<b>Check yourself.</b> {escape(self.check.prompt)}")
        if self.check.kind == "choice":
            self.choice = w.RadioButtons(
                options=[(o.text, i) for i, o in enumerate(self.check.options)],
                value=None, layout=w.Layout(width="auto"))
            inputs: list[w.Widget] = [self.choice]
        elif self.check.kind == "multiple":
            self.boxes = [w.Checkbox(value=False, description=o.text, indent=False,
                                     layout=w.Layout(width="auto"))
                          for o in self.check.options]
            inputs = [w.HTML("<i>Tick every answer that is right.</i>"), *self.boxes]
        else:
            unit = f" in {self.check.unit}" if self.check.unit else ""
            self.number = w.Text(placeholder=f"a number{unit}")
            inputs = [self.number]
        self.check_button = w.Button(description="Check my answer", button_style="primary")
        self.reveal_button = w.Button(description="Show the answer", disabled=True,
                                      tooltip="Try once first")
        self.how = w.HTML("<i>Answer first, then press <b>Check my answer</b>. After a "
                          "first try, <b>Show the answer</b> opens the answer to compare."
                          "</i>")
        self.feedback = w.HTML()
        self.progress = w.HTML()
        self.check_button.on_click(lambda _: self.submit())
        self.reveal_button.on_click(lambda _: self.reveal())
        self.widget = w.VBox([self.prompt, *inputs, self.how,
                              w.HBox([self.check_button, self.reveal_button]), self.feedback,
                              self.progress],
                             layout=w.Layout(border="1px solid #ccc", padding="8px"))

    def current_answer(self) -> object:
        """What the learner has chosen or typed so far."""
        if self.check.kind == "choice":
            return self.choice.value
        if self.check.kind == "multiple":
            return {i for i, box in enumerate(self.boxes) if box.value}
        return self.number.value

    def submit(self) -> self_checks.Verdict:
        """Judge the current answer and show the feedback."""
        verdict = self_checks.judge(self.check, self.current_answer())
        self.attempts += 1
        self.solved = self.solved or verdict.correct
        self.reveal_button.disabled = False
        colour = "#1a7f37" if verdict.correct else "#9a6700"
        mark = "✔" if verdict.correct else "✘"
        self.feedback.value = (f'<p style="color:{colour}"><b>{mark}</b> '
                               f"{escape(verdict.message)}</p>")
        answer = self.current_answer()
        if answer not in (None, "") and answer != set():  # a blank press is not an answer
            self._record(verdict.correct)
        return verdict

    def _record(self, right: bool) -> None:
        """In the learner's own copy: store the answer and show the lesson's tally."""
        if not progress.in_learner_copy():
            return
        try:
            progress.record_answer(self.check.id, right)
        except OSError as exc:  # a read-only folder must not break the self-check
            self.progress.value = (f"<small>Your answer could not be recorded "
                                   f"({escape(exc.strerror or str(exc))}).</small>")
            return
        lesson_id = progress.lesson_of(self.check.id)
        if lesson_id is None:
            return
        tally = progress.lesson_tally(lesson_id)
        self.progress.value = (f"<small>Self-checks done in lesson {escape(lesson_id)}: "
                               f"{tally}.</small>")

    def reveal(self) -> str:
        """Show the answer, with its source (only possible after a first try)."""
        if not self.attempts:
            return ""
        text = self_checks.answer_text(self.check)
        self.feedback.value += (f"<p><b>Answer:</b> {escape(text)} "
                                f"<i>({escape(self.check.source)})</i></p>")
        return text

    def static_html(self) -> str:
        """The question for a printed page: options listed, the answer folded away."""
        items = "".join(f"<li>{escape(o.text)}</li>" for o in self.check.options)
        options = f"<ul>{items}</ul>" if items else ""
        answer = escape(self_checks.answer_text(self.check))
        return (f'<div style="border:1px solid #ccc;padding:8px">{self.prompt.value}'
                f"{options}<details><summary>Show the answer</summary><p>{answer} "
                f"<i>({escape(self.check.source)})</i></p></details></div>")

    def _repr_mimebundle_(self, **kwargs):
        # JupyterLab shows the live widget; a static page (the course site) the HTML
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html()
        return bundle


def self_check(check_id: str) -> SelfCheckWidget:
    """The self-check ``check_id`` as a widget (the usual call in a lesson)."""
    return SelfCheckWidget(check_id)
