"""Tests of consortia.course.self_checks: self-check questions and how answers are judged."""

from __future__ import annotations

import pytest
import yaml

from consortia.course import self_checks
from consortia.course.models import SelfCheck
from consortia.datafiles import DataFileError


def _check(**fields) -> SelfCheck:
    base = {"id": "t", "kind": "choice", "prompt": "?", "explanation": "Because.",
            "source": "SELA 2014 §8"}
    return SelfCheck.model_validate({**base, **fields})


CHOICE = _check(options=[{"text": "I-II", "feedback": "Too early."},
                         {"text": "III-V", "correct": True, "feedback": "Yes."}])


def test_shipped_checks_validate_and_have_sources():
    checks = self_checks.all_checks()
    assert "start-six-month-phases" in checks
    assert all(c.source for c in checks.values())


def test_choice_feedback_depends_on_the_answer():
    assert self_checks.judge(CHOICE, 1).correct
    wrong = self_checks.judge(CHOICE, 0)
    assert not wrong.correct and wrong.message == "Too early."
    assert "Choose one answer" in self_checks.judge(CHOICE, None).message


def test_multiple_needs_every_right_option():
    check = _check(kind="multiple", options=[
        {"text": "a", "correct": True, "feedback": "-"},
        {"text": "b", "correct": True, "feedback": "-"},
        {"text": "c", "feedback": "c is a trap."}])
    assert self_checks.judge(check, {0, 1}).correct
    partial = self_checks.judge(check, {0})
    assert not partial.correct and "1 correct answer is still unticked" in partial.message
    wrong = self_checks.judge(check, {0, 1, 2})
    assert not wrong.correct and "c is a trap." in wrong.message


def test_number_accepts_thousands_separators_and_tolerance():
    check = _check(kind="number", answer=9000, tolerance=0, unit="breads")
    assert self_checks.judge(check, "9,000").correct
    assert not self_checks.judge(check, "8000").correct
    assert "Type a number" in self_checks.judge(check, "nine thousand").message
    assert self_checks.answer_text(check).startswith("9000 breads")


@pytest.mark.parametrize("options", [[], [{"text": "a", "feedback": "x"},
                                          {"text": "b", "feedback": "y"}]])
def test_a_choice_needs_exactly_one_right_option(options):
    with pytest.raises(ValueError, match="exactly one correct"):
        _check(options=options)


def test_broken_file_and_duplicate_ids(tmp_path):
    item = {"id": "same", "kind": "number", "prompt": "?", "answer": 1,
            "explanation": "x", "source": "SELA 2014 §8"}
    (tmp_path / "01.yaml").write_text(yaml.safe_dump({"lesson": "01", "checks": [item]}))
    (tmp_path / "02.yaml").write_text(yaml.safe_dump({"lesson": "02", "checks": [item]}))
    with pytest.raises(DataFileError, match="'same' is used twice"):
        self_checks.all_checks(tmp_path)


def test_unknown_id_lists_known_ones():
    with pytest.raises(ValueError, match="start-six-month-phases"):
        self_checks.get("nope")
