"""Tests of consortia.course.progress: where a learner is, and the self-checks done."""

from __future__ import annotations

import json

import pytest

from consortia.course import outline, progress, self_checks


@pytest.fixture
def learner_copy(tmp_path, monkeypatch):
    """A learner's copy in a temporary folder, with the current folder inside it."""
    folder = tmp_path / "my_course"
    (folder / "course").mkdir(parents=True)
    monkeypatch.setenv("CONSORTIA_LEARNER_DIR", str(folder))
    monkeypatch.chdir(folder / "course")
    return folder


def test_only_a_notebook_inside_the_learners_copy_counts_as_theirs(learner_copy, tmp_path):
    assert progress.in_learner_copy()
    assert progress.in_learner_copy(learner_copy / "case_studies")
    assert not progress.in_learner_copy(tmp_path)
    assert not progress.in_learner_copy(outline.course_dir())


def test_answers_are_recorded_in_the_copy_and_a_right_answer_stays_done(learner_copy):
    first = self_checks.checks_by_lesson()["03"][0].id
    assert progress.lesson_tally("03").done == 0
    progress.record_answer(first, right=False)
    assert progress.lesson_tally("03").done == 0
    progress.record_answer(first, right=True)
    progress.record_answer(first, right=False)  # a later slip does not undo it
    tally = progress.lesson_tally("03")
    assert (tally.done, tally.total) == (1, len(self_checks.checks_by_lesson()["03"]))
    stored = json.loads((learner_copy / ".self_checks.json").read_text(encoding="utf-8"))
    assert stored["checks"][first]["right"] is True
    assert stored["checks"][first]["tries"] == 3
    assert str(progress.course_tally()) == f"1 of {len(self_checks.all_checks())}"
    assert not list(learner_copy.glob(".*.tmp"))  # written whole, no temporary left


def test_a_damaged_progress_file_reads_as_empty_and_is_rewritten(learner_copy):
    (learner_copy / ".self_checks.json").write_text("{ not json", encoding="utf-8")
    assert progress.answers() == {}
    first = self_checks.checks_by_lesson()["00"][0].id
    progress.record_answer(first, right=True)
    assert progress.lesson_tally("00").done == 1


def test_header_shows_the_learners_progress_in_their_copy(learner_copy):
    checks = self_checks.checks_by_lesson()["01"]
    for check in checks:
        progress.record_answer(check.id, right=True)
    html = outline.lesson_header("01")._repr_html_()
    assert f"self-checks done: {len(checks)} of {len(checks)} in this lesson" in html
    assert '01 ✔</a>' in html  # the course map ticks the lesson
    assert progress.lesson_of(checks[0].id) == "01"
    assert progress.position("01") == (2, len(outline.lessons()))
