"""Tests of consortia.course.workspace: the learner's own copy of the course."""

from __future__ import annotations

import json

import pytest

from consortia.course import notes, workspace


@pytest.fixture
def kit(tmp_path, monkeypatch):
    """A small kit of its own: two lessons, one case study, one exercise."""
    root = tmp_path / "kit"
    course, studies, exercises = root / "course", root / "case_studies", root / "exercises"
    for folder in (course, studies, exercises / "01_check"):
        folder.mkdir(parents=True)
    for name in ("00_start_here.ipynb", "01_why.ipynb"):
        _notebook(course / name, f"# {name}", "Trainer note: say hello.")
    (course / "setup.md").write_text("How to set up.\n", encoding="utf-8")
    (course / "syllabus.yaml").write_text("title: data, never copied\n", encoding="utf-8")
    _notebook(studies / "belize.ipynb", "# Belize")
    _notebook(exercises / "01_check" / "check.ipynb", "# Check")
    monkeypatch.setenv("CONSORTIA_COURSE_DIR", str(course))
    monkeypatch.setattr(workspace, "SOURCES", (
        ("course", lambda: course, ("*.ipynb", "setup.md")),
        ("case_studies", lambda: studies, ("*.ipynb",)),
        ("exercises", lambda: exercises, ("*/*.ipynb",)),
    ))
    return root


def _notebook(path, text, trainer=None):
    cells = [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": text}]
    if trainer:
        cells.append({"cell_type": "markdown", "id": "b", "metadata": {"tags": ["trainer"]},
                      "source": trainer})
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")


def test_first_time_everything_is_copied_and_data_stays_in_the_kit(kit, tmp_path):
    mine = tmp_path / "my_course"
    report = workspace.prepare(mine)
    assert report.created
    assert sorted(report.copied) == ["case_studies/belize.ipynb", "course/00_start_here.ipynb",
                                     "course/01_why.ipynb", "course/setup.md",
                                     "exercises/01_check/check.ipynb"]
    assert not (mine / "course" / "syllabus.yaml").exists()
    assert (mine / "README.md").is_file()
    assert "Made your own copy of the course" in report.lines()[0]


def test_trainer_notes_are_set_apart_and_folded_in_the_copy(kit, tmp_path):
    mine = tmp_path / "my_course"
    workspace.prepare(mine)
    cells = json.loads((mine / "course" / "01_why.ipynb").read_text(encoding="utf-8"))["cells"]
    note = cells[1]["source"]
    assert note.startswith(f'<details class="{notes.NOTE_CLASS}"') and " open" not in \
        note.split(">", 1)[0]
    assert "Trainer note: say hello." in note and notes.SUMMARY in note
    assert cells[0]["source"] == "# 01_why.ipynb"  # the learner's text is untouched


def test_a_learners_work_is_never_overwritten(kit, tmp_path):
    mine = tmp_path / "my_course"
    workspace.prepare(mine)
    lesson = mine / "course" / "01_why.ipynb"
    lesson.write_text("my own work", encoding="utf-8")
    # the kit changes the lesson and adds a new one
    _notebook(kit / "course" / "01_why.ipynb", "# a better lesson 01")
    _notebook(kit / "course" / "02_new.ipynb", "# lesson 02")
    report = workspace.prepare(mine)
    assert lesson.read_text(encoding="utf-8") == "my own work"
    assert report.copied == ["course/02_new.ipynb"] and not report.created
    assert report.kept == 5
    assert report.changed_in_kit == ["course/01_why.ipynb"]
    text = "\n".join(report.lines())
    assert "New in the kit, copied in: course/02_new.ipynb" in text
    assert f"rename or delete {lesson}" in text
    # the learner takes the new version by deleting their copy
    lesson.unlink()
    report = workspace.prepare(mine)
    assert report.restored == ["course/01_why.ipynb"] and not report.changed_in_kit
    assert "a better lesson 01" in lesson.read_text(encoding="utf-8")


def test_the_copy_cannot_go_inside_the_kits_own_folders(kit):
    with pytest.raises(ValueError, match="inside the kit's own course/ folder"):
        workspace.prepare(kit / "course" / "mine")


def test_a_file_where_the_copy_should_be_is_refused(kit, tmp_path):
    (tmp_path / "my_course").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="is a file"):
        workspace.prepare(tmp_path / "my_course")


def test_the_real_kit_copies_lessons_cases_and_exercises_but_no_solutions():
    names = list(workspace.kit_files())
    assert workspace.START_PAGE in names
    assert any(n.startswith("case_studies/") for n in names)
    assert any(n.startswith("exercises/") for n in names)
    assert not any(n.startswith("solutions/") or n.endswith(".yaml") for n in names)


def test_notes_are_set_apart_once():
    once = notes.set_apart("**Trainer note.** Do this.")
    assert notes.set_apart(once) == once
    assert notes.set_apart("x", folded=False).startswith(f'<details class="{notes.NOTE_CLASS}" '
                                                         "open")
