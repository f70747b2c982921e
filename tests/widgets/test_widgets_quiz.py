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
