"""Tests of consortia.course.outline and .agenda: the syllabus, lesson headers, workshop agendas."""

from __future__ import annotations

from html import escape

import pytest
import yaml

from consortia.course import agenda, outline
from consortia.datafiles import DataFileError


def test_syllabus_lists_lessons_in_order():
    ids = [lesson.id for lesson in outline.lessons()]
    assert ids[0] == "00" and ids == sorted(ids)
    assert len(ids) >= 10


def test_every_lesson_in_the_syllabus_has_its_notebook():
    for item in outline.lessons():
        assert (outline.course_dir() / item.file).is_file(), item.file


def test_every_lesson_notebook_is_in_the_syllabus():
    listed = {item.file for item in outline.lessons()}
    on_disk = {p.name for p in outline.course_dir().glob("[0-9][0-9]_*.ipynb")}
    assert on_disk <= listed, f"notebooks missing from syllabus.yaml: {on_disk - listed}"


def test_header_shows_questions_objectives_and_minutes():
    item = outline.lesson("01")
    html = outline.lesson_header(1)._repr_html_()
    for text in [*item.questions, *item.objectives]:
        assert escape(text) in html
    assert f"{item.teaching_minutes} minutes of teaching" in html


def test_footer_shows_key_points_and_the_next_lesson():
    html = outline.lesson_footer("01")._repr_html_()
    for text in outline.lesson("01").key_points:
        assert escape(text) in html
    assert "Next: lesson 02" in html
    last = outline.lessons()[-1]
    assert "last lesson" in outline.lesson_footer(last.id)._repr_html_()


def test_unknown_lesson():
    with pytest.raises(ValueError, match="Valid lessons: 00, 01"):
        outline.lesson("42")


def test_broken_syllabus_names_the_field(tmp_path):
    data = outline.syllabus().model_dump()
    data["lessons"][1]["teaching_minutes"] = "half an hour"
    path = tmp_path / "syllabus.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"lessons\.1\.teaching_minutes"):
        outline.syllabus(path)


def test_lesson_file_must_match_its_id(tmp_path):
    data = outline.syllabus().model_dump()
    data["lessons"][1]["file"] = "02_wrong.ipynb"
    path = tmp_path / "syllabus.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match="must live in a file named 01_"):
        outline.syllabus(path)


@pytest.mark.parametrize("key", ["three-day", "one-day"])
def test_schedules_place_every_lesson_once_in_order(key):
    frame = agenda.schedule(key)
    fmt = agenda.workshop_formats()[key]
    expected = fmt.lessons or [item.id for item in outline.lessons()]
    placed = [x for x in frame["lesson"] if x]
    assert placed == expected
    # the blocks of each day follow each other without gaps
    for _, day in frame.groupby("day"):
        assert list(day["start"].iloc[1:]) == list(day["end"].iloc[:-1])


def test_three_day_schedule_keeps_the_meetings_shape():
    frame = agenda.schedule("three-day")
    assert frame["day"].max() == 3
    titles = " ".join(frame["title"])
    for part in ["Country presentations", "field visit", "Conclusions and recommendations"]:
        assert part in titles
    lesson_rows = frame[frame["kind"] == "lesson"]
    minutes = {item.id: item.minutes for item in outline.lessons()}
    assert all(lesson_rows["minutes"] == lesson_rows["lesson"].map(minutes))


def test_one_day_uses_teaching_minutes_only():
    frame = agenda.schedule("one-day")
    rows = frame[frame["kind"] == "lesson"]
    minutes = {item.id: item.teaching_minutes for item in outline.lessons()}
    assert all(rows["minutes"] == rows["lesson"].map(minutes))
    assert agenda.schedule_summary("one-day")["lesson"] == sum(rows["minutes"])


def test_lessons_that_do_not_fit_are_reported(tmp_path):
    import yaml as _yaml

    data = {"formats": [{"key": "tiny", "title": "Tiny", "days": [
        {"title": "Day", "start": "09:00",
         "blocks": [{"kind": "lessons", "title": "All", "minutes": 30}]}]}]}
    path = tmp_path / "formats.yaml"
    path.write_text(_yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(agenda.ScheduleError, match="no room left for lesson 01"):
        agenda.schedule("tiny", path)
    with pytest.raises(ValueError, match="Known: tiny"):
        agenda.schedule("three-week", path)
