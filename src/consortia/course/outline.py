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


def lesson_header(lesson_id: str | int) -> HTMLBlock:
    """The opening box of a lesson: its questions, objectives and time."""
    item = lesson(lesson_id)
    minutes = (f"{item.teaching_minutes} minutes of teaching"
               + (f" and {item.exercise_minutes} minutes of activities"
                  if item.exercise_minutes else ""))
    html = (
        '<div style="border-left: 6px solid #0072B2; padding: 0.4em 1em; '
        'background: #f3f8fc">'
        f"<p><b>Lesson {escape(item.id)}: {escape(item.title)}</b> &middot; about "
        f"{escape(minutes)}</p>"
        f"<p><b>Questions</b></p>{_items(item.questions)}"
        f"<p><b>By the end you will be able to</b></p>{_items(item.objectives)}"
        "</div>"
    )
    return HTMLBlock(html)


def lesson_footer(lesson_id: str | int) -> HTMLBlock:
    """The closing box of a lesson: its key points, and what comes next."""
    item = lesson(lesson_id)
    order = [x.id for x in lessons()]
    position = order.index(item.id)
    following = lessons()[position + 1] if position + 1 < len(order) else None
    after = (f"<p>Next: lesson {escape(following.id)}, <i>{escape(following.title)}</i> "
             f"(<code>{escape(following.file)}</code>).</p>" if following else
             "<p>This is the last lesson. Well done!</p>")
    html = (
        '<div style="border-left: 6px solid #009E73; padding: 0.4em 1em; '
        'background: #f2faf6">'
        f"<p><b>Key points</b></p>{_items(item.key_points)}{after}</div>"
    )
    return HTMLBlock(html)
