"""Workshop agendas computed from the syllabus: the three-day and one-day formats.

``course/workshop_formats.yaml`` describes each format's days as blocks (fixed
sessions such as the field visit, breaks, and blocks for lessons);
:func:`schedule` fills the lesson blocks with the lessons of the syllabus, in order,
so the trainer's guide shows a timetable that always matches the lessons' minutes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from consortia._paths import course_dir
from consortia.course.models import Lesson, WorkshopFormats
from consortia.course.outline import lesson, lessons
from consortia.datafiles import load_yaml_model
from consortia.errors import InputError, KitError


@cache
def _formats(path: Path) -> dict:
    return {f.key: f for f in load_yaml_model(path, WorkshopFormats).formats}


def workshop_formats(path: Path | None = None) -> dict:
    """The workshop formats by key (``three-day``, ``one-day``), validated."""
    return _formats(path or course_dir() / "workshop_formats.yaml")


class ScheduleError(KitError, ValueError):
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
        raise InputError(f"Unknown workshop format {format_key!r}. Known: "
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
    from consortia.display import show

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
