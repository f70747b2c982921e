"""Tests of consortia.course.agenda: the workshop schedules, the self-paced path, the dates."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from html.parser import HTMLParser

import pytest
import yaml

from consortia.course import agenda, outline
from consortia.datafiles import DataFileError

FORMATS = ["three-day", "one-day"]


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize("key", FORMATS)
def test_schedules_place_every_lesson_once_in_order(key):
    frame = agenda.schedule(key)
    fmt = agenda.workshop_formats()[key]
    expected = fmt.lessons or [item.id for item in outline.lessons()]
    placed = [x for x in frame["lesson"] if x]
    assert placed == expected
    # the blocks of each day follow each other without gaps
    for _, day in frame.groupby("day"):
        assert list(day["start"].iloc[1:]) == list(day["end"].iloc[:-1])


@pytest.mark.parametrize("key", FORMATS)
def test_each_day_fills_its_hours_exactly(key):
    frame = agenda.schedule(key)
    for number, day in enumerate(agenda.workshop_format(key).days, start=1):
        rows = frame[frame["day"] == number]
        assert rows["start"].iloc[0] == day.start
        assert rows["end"].iloc[-1] == day.end
        assert rows["minutes"].sum() == _minutes(day.end) - _minutes(day.start)
    summary = agenda.schedule_summary(key).set_index("day")
    for number, day in enumerate(agenda.workshop_format(key).days, start=1):
        assert summary.loc[f"Day {number}", "total"] == _minutes(day.end) - _minutes(day.start)


@pytest.mark.parametrize("key", FORMATS)
def test_no_one_sits_more_than_two_hours_without_a_break(key):
    frame = agenda.schedule(key)
    for _, day in frame.groupby("day"):
        stretch = 0
        for kind, minutes in zip(day["kind"], day["minutes"], strict=True):
            stretch = 0 if kind in ("break", "visit") else stretch + minutes
            assert stretch <= 120, f"day {day['day'].iloc[0]}: {stretch} minutes"
        assert (day["kind"] == "break").any()


def test_three_day_schedule_keeps_the_meetings_shape():
    frame = agenda.schedule("three-day")
    assert frame["day"].max() == 3
    titles = " ".join(frame["title"])
    for part in ["Country presentations", "field visit", "Conclusions and recommendations"]:
        assert part in titles
    lesson_rows = frame[frame["kind"] == "lesson"]
    minutes = {item.id: item.minutes for item in outline.lessons()}
    assert all(lesson_rows["minutes"] == lesson_rows["lesson"].map(minutes))
    # only lesson rows name the session they belong to
    assert (frame.loc[frame["kind"].isin(["fixed", "break", "visit"]), "session"] == "").all()


def test_day_three_gives_the_remaining_presentations_their_time():
    fmt = agenda.workshop_format("three-day")
    talks = [block for block in fmt.days[2].blocks if block.kind == "presentations"]
    assert talks, "day 3 has no country presentations"
    block = talks[0]
    assert block.talks * block.talk_minutes >= 80 and block.debate_minutes >= 15
    assert block.minutes == block.talks * block.talk_minutes + block.debate_minutes
    # every team of the 2014 meeting presents once: nine proposals (SELA 2014 §11-§19)
    everyone = sum(b.talks for day in fmt.days for b in day.blocks
                   if b.kind == "presentations")
    assert everyone == 9


def test_one_day_uses_teaching_minutes_only():
    frame = agenda.schedule("one-day")
    rows = frame[frame["kind"] == "lesson"]
    minutes = {item.id: item.teaching_minutes for item in outline.lessons()}
    assert all(rows["minutes"] == rows["lesson"].map(minutes))
    summary = agenda.schedule_summary("one-day").set_index("day")
    assert summary.loc["All days", "lessons"] == sum(rows["minutes"])


def test_summary_is_a_table_of_minutes_per_day():
    summary = agenda.schedule_summary("three-day")
    assert list(summary["day"]) == ["Day 1", "Day 2", "Day 3", "All days"]
    kinds = [name for name in agenda.KIND_NAMES.values()]
    assert list(summary.columns) == ["day", "hours", *kinds, "total"]
    assert summary[kinds].sum(axis=1).tolist() == summary["total"].tolist()
    html = agenda.summary_view("three-day").to_html()
    assert "<table" in html and "{" not in html.split("<table", 1)[1].split("</style>")[-1]


# --- outside the timetable --------------------------------------------------------------------


@pytest.mark.parametrize("key", FORMATS)
def test_every_notebook_has_a_place_in_the_timetable_or_the_self_paced_path(key):
    paced = agenda.self_paced(key)
    studies = sorted(p.name for p in outline.course_dir().parent.joinpath(
        "case_studies").glob("*.ipynb"))
    listed = sorted(n.split("/", 1)[1] for n in paced["notebook"]
                    if n.startswith("case_studies/"))
    assert listed == studies  # the twelve cases and the comparison, each once
    scheduled = set(agenda.scheduled_lessons(key))
    paced_lessons = {n.split("/", 1)[1][:2] for n in paced["notebook"]
                     if n.startswith("course/")}
    homeless = sorted({item.id for item in outline.lessons()} - scheduled - paced_lessons)
    assert not homeless, (f"lessons {homeless} have no place in the {key} format: add them "
                          "to its lessons or to a self_paced step in workshop_formats.yaml")
    assert not scheduled & paced_lessons


def _learner_words_and_activity_minutes(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
            and "trainer" not in c["metadata"].get("tags", [])]
    words = sum(len(t.split()) for t in text)
    stated = sum(int(m) for t in text
                 for m in re.findall(r"^#+ .*?\((\d+) minutes\)", t, re.M))
    return words, stated


def test_case_notebook_minutes_cover_their_reading_and_activities():
    """The kit's estimate: the text at 150 words a minute plus the activities' own minutes."""
    for stem, minutes in agenda.notebook_minutes().items():
        path = outline.course_dir().parent / "case_studies" / f"{stem}.ipynb"
        words, stated = _learner_words_and_activity_minutes(path)
        assert minutes >= math.ceil(words / 150) + stated, stem


def test_a_self_paced_notebook_that_does_not_exist_is_named(tmp_path):
    data = yaml.safe_load((outline.course_dir() / "workshop_formats.yaml").read_text())
    data["formats"][0]["self_paced"][0]["case_studies"].append("atlantis")
    data["notebook_minutes"]["atlantis"] = 30
    path = tmp_path / "formats.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"'atlantis'.*case_studies/"):
        agenda.self_paced("three-day", path)


# --- broken formats are reported with what to fix -------------------------------------------


def _write(tmp_path, days, **extra):
    path = tmp_path / "formats.yaml"
    data = {"formats": [{"key": "tiny", "title": "Tiny", "days": days, **extra}]}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_lessons_that_do_not_fit_are_reported(tmp_path):
    path = _write(tmp_path, [{"title": "Day", "start": "09:00", "end": "09:30",
                              "blocks": [{"kind": "lessons", "title": "All", "minutes": 30}]}])
    with pytest.raises(agenda.ScheduleError, match="no room left for lesson 01"):
        agenda.schedule("tiny", path)
    with pytest.raises(ValueError, match="Known: tiny"):
        agenda.schedule("three-week", path)


def test_a_day_whose_blocks_do_not_add_up_to_its_hours_is_refused(tmp_path):
    path = _write(tmp_path, [{"title": "Day one", "start": "09:00", "end": "12:00",
                              "blocks": [{"kind": "fixed", "title": "Talk", "minutes": 60},
                                         {"kind": "break", "title": "Tea", "minutes": 15}]}])
    with pytest.raises(DataFileError, match=r"'Day one' runs 09:00-12:00 \(3 h 00 min\) but "
                                            r"its blocks add up to 1 h 15 min"):
        agenda.workshop_formats(path)


def test_a_day_without_breaks_is_refused(tmp_path):
    path = _write(tmp_path, [{"title": "Marathon", "start": "09:00", "end": "12:00",
                              "blocks": [{"kind": "fixed", "title": "Talk", "minutes": 180}]}])
    with pytest.raises(DataFileError, match="'Marathon' runs 180 minutes without a break"):
        agenda.workshop_formats(path)


def test_presentations_take_the_time_of_their_talks(tmp_path):
    block = {"kind": "presentations", "title": "Teams", "talks": 4, "talk_minutes": 20,
             "debate_minutes": 20, "minutes": 60}
    path = _write(tmp_path, [{"title": "Day", "start": "09:00", "end": "10:40",
                              "blocks": [block]}])
    with pytest.raises(DataFileError, match="minutes is 60 but 4 talks of 20 minutes"):
        agenda.workshop_formats(path)
    del block["minutes"]
    path = _write(tmp_path, [{"title": "Day", "start": "09:00", "end": "10:40",
                              "blocks": [block]}])
    assert agenda.workshop_formats(path)["tiny"].days[0].blocks[0].minutes == 100


# --- on the calendar -----------------------------------------------------------------------


def test_dates_skip_weekends_unless_asked():
    monday = dt.date(2027, 3, 8)
    assert agenda.workshop_dates("2027-03-11", 3) == [dt.date(2027, 3, 11),
                                                     dt.date(2027, 3, 12),
                                                     dt.date(2027, 3, 15)]
    assert agenda.workshop_dates(monday, 3)[-1] == dt.date(2027, 3, 10)
    assert agenda.workshop_dates("2027-03-13", 2, weekends=True)[0] == dt.date(2027, 3, 13)
    with pytest.raises(ValueError, match="Saturday 13 March 2027 is a weekend day"):
        agenda.workshop_dates("2027-03-13", 2)
    with pytest.raises(ValueError, match="write the first day of the workshop as YYYY-MM-DD"):
        agenda.workshop_dates("8 March", 3)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def test_export_writes_the_agenda_with_real_dates_as_csv_and_a_page(tmp_path):
    written = agenda.export_agenda("three-day", "2027-03-08", tmp_path / "agenda")
    assert [p.name for p in written] == ["agenda-three-day-2027-03-08.csv",
                                        "agenda-three-day-2027-03-08.html"]
    with written[0].open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert {r["date"] for r in rows} == {"2027-03-08", "2027-03-09", "2027-03-10"}
    first = rows[0]
    assert (first["weekday"], first["start"], first["end"]) == ("Monday", "08:30", "09:00")
    assert len(rows) == len(agenda.schedule("three-day"))
    page = _Text()
    page.feed(written[1].read_text(encoding="utf-8"))
    text = " ".join(" ".join(page.parts).split())
    assert "Day 1: Monday 08 March 2027, 08:30-17:15" in text
    assert "Day 3: Wednesday 10 March 2027" in text
    assert "Comparing the nine Caribbean proposals" in text  # the self-paced path too
