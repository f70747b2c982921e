"""The course as data: the syllabus, lesson headers and key points.

``course/syllabus.yaml`` is the one place that lists the lessons. Each lesson
notebook opens with ``lesson_header("NN")`` and closes with ``lesson_footer("NN")``,
so the questions, objectives, minutes and key points a learner reads are exactly
the ones the syllabus (and so the trainer's schedule) declares.
"""

from __future__ import annotations

import os
from functools import cache
from html import escape
from pathlib import Path

from consortia.datafiles import load_yaml_model
from consortia.models import Lesson, Syllabus
from consortia.tables import HTMLBlock

#: Set this environment variable to use another course folder.
COURSE_DIR_ENV = "CONSORTIA_COURSE_DIR"


def course_dir() -> Path:
    """The ``course/`` folder of the checkout (or ``CONSORTIA_COURSE_DIR``)."""
    override = os.environ.get(COURSE_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "course"


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
    raise ValueError(f"Unknown lesson {lesson_id!r}. Valid lessons: {valid}.")


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


# --- workshop schedules -------------------------------------------------------------------


@cache
def _formats(path: Path) -> dict:
    from consortia.models import WorkshopFormats

    return {f.key: f for f in load_yaml_model(path, WorkshopFormats).formats}


def workshop_formats(path: Path | None = None) -> dict:
    """The workshop formats by key (``three-day``, ``one-day``), validated."""
    return _formats(path or course_dir() / "workshop_formats.yaml")


class ScheduleError(ValueError):
    """The lessons do not fit the format's lesson blocks; the message says which."""


def _clock(start: str, minutes: int) -> str:
    hours, mins = (int(x) for x in start.split(":"))
    total = hours * 60 + mins + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def schedule(format_key: str = "three-day", path: Path | None = None):
    """A timed schedule for a workshop format, computed from the syllabus.

    Lessons are placed in syllabus order into the format's ``lessons`` blocks; a
    lesson never straddles two blocks. Each lesson takes its teaching minutes, plus
    its exercise minutes when the format uses them. Returns a DataFrame with the
    columns ``day``, ``start``, ``end``, ``minutes``, ``session``, ``lesson`` (id or
    empty), ``title`` and ``kind``. Raises :class:`ScheduleError` when the lessons do
    not fit, naming the first lesson left over.
    """
    import pandas as pd

    formats = workshop_formats(path)
    if format_key not in formats:
        raise ValueError(f"Unknown workshop format {format_key!r}. Known: "
                         f"{', '.join(sorted(formats))}.")
    fmt = formats[format_key]
    wanted = fmt.lessons or [item.id for item in lessons()]
    queue = [lesson(lesson_id) for lesson_id in wanted]

    def length(item: Lesson) -> int:
        return item.minutes if fmt.use_exercise_minutes else item.teaching_minutes

    rows = []
    for day_number, day in enumerate(fmt.days, start=1):
        clock = day.start
        for block in day.blocks:
            if block.kind != "lessons":
                rows.append({"day": day_number, "start": clock,
                             "end": _clock(clock, block.minutes), "minutes": block.minutes,
                             "session": block.title, "lesson": "", "title": block.title,
                             "kind": block.kind})
                clock = _clock(clock, block.minutes)
                continue
            used = 0
            while queue and used + length(queue[0]) <= block.minutes:
                item = queue.pop(0)
                rows.append({"day": day_number, "start": _clock(clock, used),
                             "end": _clock(clock, used + length(item)),
                             "minutes": length(item), "session": block.title,
                             "lesson": item.id, "title": item.title, "kind": "lesson"})
                used += length(item)
            if used < block.minutes:
                rows.append({"day": day_number, "start": _clock(clock, used),
                             "end": _clock(clock, block.minutes),
                             "minutes": block.minutes - used, "session": block.title,
                             "lesson": "", "title": "Questions, catch-up and team work",
                             "kind": "buffer"})
            clock = _clock(clock, block.minutes)
    if queue:
        raise ScheduleError(
            f"The {fmt.title} has no room left for lesson {queue[0].id} "
            f"({length(queue[0])} minutes) or the {len(queue) - 1} after it: lengthen a "
            "lessons block in workshop_formats.yaml or shorten the lessons in syllabus.yaml."
        )
    return pd.DataFrame(rows, columns=["day", "start", "end", "minutes", "session", "lesson",
                                       "title", "kind"])


def schedule_view(format_key: str = "three-day"):
    """A schedule as a table for the trainer's guide: one row per block, day by day."""
    from consortia.tables import show

    frame = schedule(format_key)
    frame = frame.assign(time=frame["start"] + "-" + frame["end"])
    fmt = workshop_formats()[format_key]
    shown = frame[["day", "time", "minutes", "lesson", "title", "session"]]
    return show(shown, caption=f"{fmt.title}: computed from course/syllabus.yaml")


def schedule_summary(format_key: str = "three-day") -> dict[str, int]:
    """Minutes of lessons, fixed sessions, breaks and buffer in a format."""
    frame = schedule(format_key)
    return {kind: int(frame.loc[frame["kind"] == kind, "minutes"].sum())
            for kind in ("lesson", "fixed", "break", "buffer")}
