"""Tests of consortia.course.outline: the syllabus, lesson headers and footers."""

from __future__ import annotations

import re
from html import escape

import pytest
import yaml

from consortia.course import outline
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


def test_footer_shows_key_points_and_links_to_the_next_lesson():
    html = outline.lesson_footer("01")._repr_html_()
    for text in outline.lesson("01").key_points:
        assert escape(text) in html
    following = outline.lesson("02")
    # a link a learner clicks, relative, so it opens the lesson of the same copy
    assert re.search(rf'<b>Next lesson:</b> <a href="{following.file}">02\. ', html)
    assert f'<a href="{outline.lesson("00").file}">00. Start here</a>' in html
    last = outline.lessons()[-1]
    html = outline.lesson_footer(last.id)._repr_html_()
    assert "last lesson" in html and "Next lesson" not in html


def test_header_and_footer_say_where_the_lesson_is_in_the_course():
    total = len(outline.lessons())
    for lesson_id, place in (("00", 1), ("03", 4)):
        for box in (outline.lesson_header, outline.lesson_footer):
            html = box(lesson_id)._repr_html_()
            assert f"lesson {lesson_id}, {place} of the {total} lessons" in html
    # the course map links every lesson and marks the current one
    html = outline.lesson_header("03")._repr_html_()
    assert [m for m in re.findall(r'<a href="(\d\d)_', html)] == [
        item.id for item in outline.lessons()]
    current = re.search(r'<a href="03_[^>]*>', html).group(0)
    assert 'style="background:#0072B2;color:#fff;' in current


def test_outside_the_learners_copy_no_personal_progress_is_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSORTIA_LEARNER_DIR", str(tmp_path / "my_course"))
    monkeypatch.chdir(tmp_path)  # not inside the learner's copy
    assert "self-checks done" not in outline.lesson_header("03")._repr_html_()


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
