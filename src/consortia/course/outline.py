"""The course as data: the syllabus, lesson headers and key points.

``course/syllabus.yaml`` is the one place that lists the lessons. Each lesson
notebook opens with ``lesson_header("NN")`` and closes with ``lesson_footer("NN")``,
so the questions, objectives, minutes and key points a learner reads are exactly
the ones the syllabus (and so the trainer's schedule) declares.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from consortia._paths import COURSE_DIR_ENV, course_dir
from consortia.course.models import Lesson, Syllabus
from consortia.datafiles import load_yaml_model
from consortia.display import HTMLBlock
from consortia.errors import InputError

__all__ = ["COURSE_DIR_ENV", "course_dir", "lesson", "lesson_footer", "lesson_header",
           "lessons", "syllabus"]


@cache
def _syllabus(path: Path) -> Syllabus:
    return load_yaml_model(path, Syllabus)


def syllabus(path: Path | None = None) -> Syllabus:
    """The validated syllabus (a broken file raises DataFileError naming the field)."""
    return _syllabus(path or course_dir() / "syllabus.yaml")


def lessons() -> list[Lesson]:
    """The lessons in order."""
    return list(syllabus().lessons)


def lesson(lesson_id: str | int) -> Lesson:
    """One lesson by id (``"03"`` or ``3``); an unknown id lists the valid ones."""
    wanted = f"{int(lesson_id):02d}" if str(lesson_id).isdigit() else str(lesson_id)
    for item in lessons():
        if item.id == wanted:
            return item
    valid = ", ".join(item.id for item in lessons())
    raise InputError(f"Unknown lesson {lesson_id!r}. Valid lessons: {valid}.")


def _items(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(text)}</li>" for text in items) + "</ul>"


def _link(item: Lesson, text: str) -> str:
    """A link to a lesson's notebook, relative to the lesson beside it.

    In JupyterLab a relative link opens the notebook in the same copy of the course
    (the learner's own); the static site turns it into a link to the lesson's page.
    """
    return f'<a href="{escape(item.file)}">{text}</a>'


def _course_map(current: Lesson, done: set[str]) -> str:
    """One line of the course: every lesson as a link, the current one highlighted,
    and a tick on the lessons whose self-checks are all done."""
    chips = []
    for item in lessons():
        label = escape(item.id) + (" ✔" if item.id in done else "")
        style = ("background:#0072B2;color:#fff;" if item.id == current.id
                 else "background:#fff;color:#0072B2;")
        chips.append(
            f'<a href="{escape(item.file)}" title="{escape(item.title)}" '
            f'style="{style}border:1px solid #0072B2;border-radius:3px;padding:0 0.35em;'
            f'margin-right:0.25em;text-decoration:none">{label}</a>'
        )
    return "".join(chips)


def _where(item: Lesson) -> str:
    """Where the learner is: the lesson's place, and their self-checks when the
    notebook runs in their personal copy of the course."""
    from consortia.course import progress

    number, total = progress.position(item.id)
    text = f"lesson {item.id}, {number} of the {total} lessons of the course"
    done: set[str] = set()
    if progress.in_learner_copy():
        lesson_done = progress.lesson_tally(item.id)
        course_done = progress.course_tally()
        done = {x.id for x in lessons()
                if (t := progress.lesson_tally(x.id)).total and t.done == t.total}
        text += (f" · self-checks done: {lesson_done} in this lesson, {course_done} in "
                 "the course")
    return (f'<p style="margin:0.3em 0"><b>Where you are:</b> {escape(text)}</p>'
            f'<p style="margin:0.3em 0">{_course_map(item, done)}</p>')


def lesson_header(lesson_id: str | int) -> HTMLBlock:
    """The opening box of a lesson: where it sits in the course, its questions,
    objectives and time."""
    item = lesson(lesson_id)
    minutes = (f"{item.teaching_minutes} minutes of teaching"
               + (f" and {item.exercise_minutes} minutes of activities"
                  if item.exercise_minutes else ""))
    html = (
        '<div class="kit-lesson-header" style="border-left: 6px solid #0072B2; '
        'padding: 0.4em 1em; background: #f3f8fc">'
        f"<p><b>Lesson {escape(item.id)}: {escape(item.title)}</b> &middot; about "
        f"{escape(minutes)}</p>"
        f"{_where(item)}"
        f"<p><b>Questions</b></p>{_items(item.questions)}"
        f"<p><b>By the end you will be able to</b></p>{_items(item.objectives)}"
        "</div>"
    )
    return HTMLBlock(html)


def lesson_footer(lesson_id: str | int) -> HTMLBlock:
    """The closing box of a lesson: its key points, where the learner is, and a link
    to the next lesson (and back to the one before)."""
    item = lesson(lesson_id)
    order = [x.id for x in lessons()]
    position = order.index(item.id)
    following = lessons()[position + 1] if position + 1 < len(order) else None
    before = lessons()[position - 1] if position > 0 else None
    after = ("<p><b>Next lesson:</b> "
             + _link(following, f"{escape(following.id)}. {escape(following.title)} →")
             + "</p>" if following else
             "<p>This is the last lesson. Well done!</p>")
    back = ("<p>Back to the lesson before: "
            + _link(before, f"{escape(before.id)}. {escape(before.title)}") + "</p>"
            if before else "")
    html = (
        '<div class="kit-lesson-footer" style="border-left: 6px solid #009E73; '
        'padding: 0.4em 1em; background: #f2faf6">'
        f"<p><b>Key points</b></p>{_items(item.key_points)}{_where(item)}{after}{back}</div>"
    )
    return HTMLBlock(html)
