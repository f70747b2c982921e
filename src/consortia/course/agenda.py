"""Workshop agendas computed from the syllabus: the three-day and one-day formats.

``course/workshop_formats.yaml`` describes each format's days as blocks (fixed
sessions, country presentations, breaks, the field visit, and blocks for lessons)
that fill each day's hours exactly, with a break at least every two hours (checked
when the file is loaded). :func:`schedule` fills the lesson blocks with the lessons
of the syllabus, in order, so the trainer's guide shows a timetable that always
matches the lessons' minutes. :func:`self_paced` lists the notebooks outside the
timetable (the case studies, and the lessons a short format leaves out) with their
minutes. :func:`dated_schedule` puts the timetable on the calendar from a start
date, and :func:`export_agenda` writes it as a CSV file and a printable page for the
invitation letter.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from consortia._paths import case_studies_dir, course_dir
from consortia.course.models import Lesson, WorkshopFormat, WorkshopFormats
from consortia.course.outline import lesson, lessons
from consortia.datafiles import load_yaml_model
from consortia.errors import InputError, KitError

#: The columns of a schedule, in order.
COLUMNS = ["day", "start", "end", "minutes", "kind", "title", "lesson", "session"]
#: How the kinds of rows are named in the summary and on the printed page.
KIND_NAMES = {"lesson": "lessons", "presentations": "country presentations",
              "fixed": "other sessions", "visit": "field visit", "break": "breaks",
              "buffer": "spare time in lesson blocks"}


@cache
def _formats(path: Path) -> WorkshopFormats:
    return load_yaml_model(path, WorkshopFormats)


def _data(path: Path | None = None) -> WorkshopFormats:
    return _formats(path or course_dir() / "workshop_formats.yaml")


def workshop_formats(path: Path | None = None) -> dict[str, WorkshopFormat]:
    """The workshop formats by key (``three-day``, ``one-day``), validated."""
    return {f.key: f for f in _data(path).formats}


def workshop_format(format_key: str, path: Path | None = None) -> WorkshopFormat:
    """One format by key; an unknown key lists the known ones."""
    formats = workshop_formats(path)
    if format_key not in formats:
        raise InputError(f"Unknown workshop format {format_key!r}. Known: "
                         f"{', '.join(sorted(formats))}.")
    return formats[format_key]


class ScheduleError(KitError, ValueError):
    """The lessons do not fit the format's lesson blocks; the message says which."""


def _clock(start: str, minutes: int) -> str:
    hours, mins = (int(x) for x in start.split(":"))
    total = hours * 60 + mins + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def _block_title(block) -> str:
    if block.kind == "presentations":
        return (f"{block.title} ({block.talks} talks of about {block.talk_minutes} minutes, "
                f"then {block.debate_minutes} minutes of debate)")
    return block.title


def scheduled_lessons(format_key: str = "three-day", path: Path | None = None) -> list[str]:
    """The ids of the lessons a format's timetable holds, in order."""
    fmt = workshop_format(format_key, path)
    return list(fmt.lessons or [item.id for item in lessons()])


def schedule(format_key: str = "three-day", path: Path | None = None):
    """A timed schedule for a workshop format, computed from the syllabus.

    Lessons are placed in syllabus order into the format's ``lessons`` blocks; a
    lesson never straddles two blocks. Each lesson takes its teaching minutes, plus
    its exercise minutes when the format uses them; the rest of a block is spare
    time (kind ``buffer``). Returns a DataFrame with the columns of :data:`COLUMNS`:
    ``session`` names the lessons block a lesson row belongs to (empty for the other
    rows). Raises :class:`ScheduleError` when the lessons do not fit, naming the
    first lesson left over.
    """
    import pandas as pd

    fmt = workshop_format(format_key, path)
    queue = [lesson(lesson_id) for lesson_id in scheduled_lessons(format_key, path)]

    def length(item: Lesson) -> int:
        return item.minutes if fmt.use_exercise_minutes else item.teaching_minutes

    rows = []
    for day_number, day in enumerate(fmt.days, start=1):
        clock = day.start
        for block in day.blocks:
            if block.kind != "lessons":
                rows.append({"day": day_number, "start": clock,
                             "end": _clock(clock, block.minutes), "minutes": block.minutes,
                             "kind": block.kind, "title": _block_title(block), "lesson": "",
                             "session": ""})
                clock = _clock(clock, block.minutes)
                continue
            used = 0
            while queue and used + length(queue[0]) <= block.minutes:
                item = queue.pop(0)
                rows.append({"day": day_number, "start": _clock(clock, used),
                             "end": _clock(clock, used + length(item)),
                             "minutes": length(item), "kind": "lesson",
                             "title": f"Lesson {item.id}: {item.title}", "lesson": item.id,
                             "session": block.title})
                used += length(item)
            if used < block.minutes:
                rows.append({"day": day_number, "start": _clock(clock, used),
                             "end": _clock(clock, block.minutes),
                             "minutes": block.minutes - used, "kind": "buffer",
                             "title": "Questions, catch-up and team work", "lesson": "",
                             "session": block.title})
            clock = _clock(clock, block.minutes)
    if queue:
        raise ScheduleError(
            f"The {fmt.title} has no room left for lesson {queue[0].id} "
            f"({length(queue[0])} minutes) or the {len(queue) - 1} after it: lengthen a "
            "lessons block in workshop_formats.yaml or shorten the lessons in syllabus.yaml."
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def schedule_view(format_key: str = "three-day"):
    """A schedule as a table for the trainer's guide: one row per block, day by day."""
    from consortia.display import show

    frame = schedule(format_key)
    frame = frame.assign(time=frame["start"] + "-" + frame["end"],
                         kind=frame["kind"].map(KIND_NAMES))
    fmt = workshop_format(format_key)
    shown = frame[["day", "time", "minutes", "title", "kind"]]
    return show(shown, caption=f"{fmt.title}: computed from course/syllabus.yaml")


def schedule_summary(format_key: str = "three-day"):
    """Minutes per day and per kind of row, as a table (one row per day, and a total).

    Columns: ``day``, ``hours`` (start-end), the minutes of each kind (lessons,
    country presentations, other sessions, field visit, breaks, spare time) and
    ``total``, which always equals the day's hours.
    """
    import pandas as pd

    frame = schedule(format_key)
    fmt = workshop_format(format_key)
    rows = []
    for number, day in enumerate(fmt.days, start=1):
        of_day = frame[frame["day"] == number]
        row = {"day": f"Day {number}", "hours": f"{day.start}-{day.end}"}
        for kind, name in KIND_NAMES.items():
            row[name] = int(of_day.loc[of_day["kind"] == kind, "minutes"].sum())
        row["total"] = int(of_day["minutes"].sum())
        rows.append(row)
    summary = pd.DataFrame(rows)
    total = {"day": "All days", "hours": ""}
    total.update({column: int(summary[column].sum()) for column in summary.columns[2:]})
    return pd.concat([summary, pd.DataFrame([total])], ignore_index=True)


def summary_view(format_key: str = "three-day"):
    """The summary as a table for the trainer's guide (minutes; empty kinds left out)."""
    from consortia.display import show

    summary = schedule_summary(format_key)
    used = [c for c in summary.columns[2:] if summary[c].sum() or c == "total"]
    return show(summary[["day", "hours", *used]],
                caption=f"{workshop_format(format_key).title}: minutes of each kind")


# --- outside the timetable ------------------------------------------------------------------


def notebook_minutes(path: Path | None = None) -> dict[str, int]:
    """The minutes of each case-study notebook (``workshop_formats.yaml``)."""
    return dict(_data(path).notebook_minutes)


def self_paced(format_key: str = "three-day", path: Path | None = None):
    """The notebooks a format leaves to each participant's own time, with minutes.

    One row per notebook: ``when``, ``what``, ``pick`` (``one``: each person or team
    takes one of the step's notebooks; ``all``: every one), ``notebook`` (its path in
    the kit), ``title`` and ``minutes``. Raises :class:`InputError` for a notebook
    that is not in the kit.
    """
    import pandas as pd

    from consortia.course.site import first_heading

    fmt = workshop_format(format_key, path)
    minutes = notebook_minutes(path)
    rows = []
    for step in fmt.self_paced:
        for lesson_id in step.lessons:
            item = lesson(lesson_id)
            rows.append({"when": step.when, "what": step.what, "pick": step.pick,
                         "notebook": f"course/{item.file}",
                         "title": f"Lesson {item.id}: {item.title}",
                         "minutes": item.minutes})
        for stem in step.case_studies:
            notebook = case_studies_dir() / f"{stem}.ipynb"
            if not notebook.is_file():
                raise InputError(f"workshop_formats.yaml ({format_key}) names the case "
                                 f"study {stem!r}, but there is no {notebook}; use the "
                                 "name of a notebook in case_studies/ without .ipynb")
            rows.append({"when": step.when, "what": step.what, "pick": step.pick,
                         "notebook": f"case_studies/{stem}.ipynb",
                         "title": first_heading(notebook), "minutes": minutes[stem]})
    return pd.DataFrame(rows, columns=["when", "what", "pick", "notebook", "title",
                                       "minutes"])


def self_paced_view(format_key: str = "three-day"):
    """The self-paced path as a table for the trainer's guide, one row per step."""
    from consortia.display import show

    frame = self_paced(format_key)
    rows = []
    for (when, what, pick), group in frame.groupby(["when", "what", "pick"], sort=False):
        lo, hi = int(group["minutes"].min()), int(group["minutes"].max())
        if pick == "one":
            minutes, which = (f"{lo}-{hi}" if lo != hi else str(lo)), "one of: "
        else:
            minutes, which = str(int(group["minutes"].sum())), ""
        rows.append({"when": when, "what": what, "minutes": minutes,
                     "notebooks": which + ", ".join(group["title"])})
    import pandas as pd

    return show(pd.DataFrame(rows), caption="Outside the timetable, at each participant's "
                "own pace (minutes: the kit's own estimates)")


# --- on the calendar ------------------------------------------------------------------------


def parse_date(text: str | dt.date) -> dt.date:
    """A date written ``YYYY-MM-DD``; anything else gets a message saying so."""
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"{text!r} is not a date: write the first day of the workshop as "
                         "YYYY-MM-DD, for example 2027-03-08") from None


def workshop_dates(start: str | dt.date, days: int, weekends: bool = False) -> list[dt.date]:
    """The dates of a workshop's days from its first day.

    Days follow each other, skipping Saturdays and Sundays unless ``weekends``; a
    start on a weekend day is refused (unless ``weekends``) rather than moved.
    """
    first = parse_date(start)
    if not weekends and first.weekday() >= 5:
        raise InputError(f"{first:%A %d %B %Y} is a weekend day: choose a weekday to "
                         "start, or allow weekends (--weekends)")
    found, day = [], first
    while len(found) < days:
        if weekends or day.weekday() < 5:
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def dated_schedule(format_key: str, start: str | dt.date, weekends: bool = False):
    """The schedule on the calendar: each row with its ``date`` and ``weekday``."""
    frame = schedule(format_key)
    dates = workshop_dates(start, int(frame["day"].max()), weekends)
    frame.insert(1, "date", frame["day"].map(lambda n: dates[n - 1].isoformat()))
    frame.insert(2, "weekday", frame["day"].map(lambda n: f"{dates[n - 1]:%A}"))
    return frame


def agenda_page(format_key: str, start: str | dt.date, weekends: bool = False) -> str:
    """The agenda as a printable HTML page: one table per day, then the self-paced path."""
    from consortia import pages

    frame = dated_schedule(format_key, start, weekends)
    fmt = workshop_format(format_key)
    days = []
    for number, day in enumerate(fmt.days, start=1):
        rows = frame[frame["day"] == number]
        date = dt.date.fromisoformat(rows["date"].iloc[0])
        days.append({"number": number, "title": day.title, "date": date,
                     "hours": f"{day.start}-{day.end}", "rows": rows.to_dict("records")})
    paced: list[dict] = []
    for row in self_paced(format_key).to_dict("records"):
        if not paced or (paced[-1]["when"], paced[-1]["what"]) != (row["when"], row["what"]):
            paced.append({"when": row["when"], "what": row["what"], "pick": row["pick"],
                          "notebooks": []})
        paced[-1]["notebooks"].append(row)
    first, last = days[0]["date"], days[-1]["date"]
    return pages.render("agenda.html.j2", title=fmt.title, days=days, self_paced=paced,
                        first=first, last=last)


def export_agenda(format_key: str, start: str | dt.date, out: Path | str,
                  weekends: bool = False) -> list[Path]:
    """Write ``agenda-<format>-<date>.csv`` and ``.html`` into ``out``; return both paths.

    The CSV has one row per block with its date, weekday, times and minutes (for a
    spreadsheet or a mail merge); the page prints on A4 for the invitation letter.
    Each file is written whole or not at all.
    """
    from consortia.storage import write_text_atomic

    first = workshop_dates(start, 1, weekends)[0]
    frame = dated_schedule(format_key, first, weekends)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; give a folder for the agenda")
    base = out / f"agenda-{format_key}-{first.isoformat()}"
    csv_path = write_text_atomic(base.with_suffix(".csv"), frame.to_csv(index=False))
    html_path = write_text_atomic(base.with_suffix(".html"),
                                  agenda_page(format_key, first, weekends))
    return [csv_path, html_path]
