"""Tests of the self-check widget: answer first, then feedback, then the answer."""

from __future__ import annotations

from consortia.widgets.quiz import self_check


def test_the_answer_is_hidden_until_the_learner_tries():
    quiz = self_check("start-six-month-phases")
    assert quiz.reveal_button.disabled
    assert quiz.reveal() == ""
    assert "Phases III, IV and V" not in quiz.feedback.value


def test_wrong_then_right_answer_with_feedback():
    quiz = self_check("start-six-month-phases")
    quiz.choice.value = 0
    quiz.check_button.click()
    assert "✘" in quiz.feedback.value and not quiz.solved
    assert not quiz.reveal_button.disabled
    quiz.choice.value = 1
    quiz.check_button.click()
    assert "✔" in quiz.feedback.value and quiz.solved
    assert quiz.attempts == 2


def test_reveal_after_a_try_shows_answer_and_source():
    quiz = self_check("start-six-month-phases")
    quiz.check_button.click()  # no answer chosen: asked to choose first
    assert "Choose one answer" in quiz.feedback.value
    quiz.reveal_button.click()
    assert "Phases III, IV and V" in quiz.feedback.value
    assert "SELA 2014 §8" in quiz.feedback.value


def test_buttons_are_named_under_the_question_as_the_start_page_says():
    quiz = self_check("start-six-month-phases")
    assert "press <b>Check my answer</b>" in quiz.how.value
    assert "<b>Show the answer</b> opens the answer to compare" in quiz.how.value
    assert quiz.check_button.description == "Check my answer"
    assert quiz.reveal_button.description == "Show the answer"


def test_in_the_learners_copy_answers_are_recorded_and_counted(tmp_path, monkeypatch):
    from consortia.course import progress, self_checks

    monkeypatch.setenv("CONSORTIA_LEARNER_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    quiz = self_check("start-six-month-phases")
    quiz.check_button.click()  # a blank press is not an answer
    assert progress.answers() == {}
    quiz.choice.value = 1
    quiz.check_button.click()
    assert progress.answers()["start-six-month-phases"]["right"] is True
    total = len(self_checks.checks_by_lesson()["00"])
    assert f"Self-checks done in lesson 00: 1 of {total}." in quiz.progress.value


def test_outside_the_learners_copy_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSORTIA_LEARNER_DIR", str(tmp_path / "my_course"))
    monkeypatch.chdir(tmp_path)
    quiz = self_check("start-six-month-phases")
    quiz.choice.value = 1
    quiz.check_button.click()
    assert not (tmp_path / "my_course").exists() and quiz.progress.value == ""
