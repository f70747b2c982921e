"""Tests of participants' feedback: names, points and messages; never code; all escaped."""

from __future__ import annotations

import re

import pytest

from consortia.grading import feedback
from consortia.grading.autograde import Outcome
from consortia.grading.feedback import Item, NotebookFeedback
from grading_fixtures import ASSIGNMENT, NOTEBOOK, kind_of

#: Text that appears only in code: the hidden tests, the solutions, participants' code.
NEVER_SHOWN = [
    "for p in (1, 2, 3, 3)",  # hidden test code
    "count_phases([])",  # hidden test code
    "SOLUTION-ONLY-LINE", "load_plan(path).activities",  # solution code
    "MODEL-ANSWER-TEXT",  # the model answer
    "BEGIN HIDDEN TESTS", "BEGIN SOLUTION",
    "while True", "raise ValueError",  # participants' own code
    "json.load(f)",  # visible test code is not shown either
]


@pytest.fixture(scope="module")
def pages(graded_cohort):
    paths = feedback.write_feedback(graded_cohort.course, graded_cohort.run.outcomes)
    return {p.parent.parent.name: p.read_text(encoding="utf-8") for p in paths}


def page_of(pages, kind: str) -> str:
    return next(text for student, text in pages.items() if kind_of(student) == kind)


def test_one_page_per_submission_where_nbgrader_expects_it(graded_cohort, pages):
    assert len(pages) == 30
    for student in pages:
        assert (graded_cohort.course / "feedback" / student / ASSIGNMENT /
                f"{NOTEBOOK}.html").exists()


def test_no_code_ever_appears(pages):
    for student, text in pages.items():
        for secret in NEVER_SHOWN:
            assert secret not in text, f"{student}: {secret!r} leaked"


def test_names_points_and_messages(pages):
    solved = page_of(pages, "solved")
    assert "Test count" in solved and "2 / 2" in solved and "1 / 1" in solved
    assert "awaits your instructor" in solved  # the written answer
    assert "Your points: <b>3 of 3 so far; 1 point awaits the instructor</b>" in solved
    assert "ValueError: no phases here" in page_of(pages, "raise-func")
    assert "AssertionError: one phase, two activities: 1 phase" in page_of(pages, "partial")
    assert "longer than the time limit" in page_of(pages, "loop-func")
    assert "is not valid JSON" in page_of(pages, "malformed-plan")
    assert "No response." in page_of(pages, "blank")


def test_flagged_submissions_say_why(pages):
    assert "could not be graded normally" in page_of(pages, "not-json")
    assert "not valid JSON" in page_of(pages, "not-json")
    assert "not run" in page_of(pages, "not-json")
    # nothing to mark in a notebook that could not be opened: nothing "awaits" there
    assert "not marked: this notebook could not be graded" in page_of(pages, "not-json")
    assert "Your points: <b>0 of 4</b>" in page_of(pages, "not-json")
    assert "awaits" not in page_of(pages, "not-json")
    assert "expected plan_check.ipynb" in page_of(pages, "missing-notebook")
    assert "had been deleted; it was restored" in page_of(pages, "deleted-test")


def test_error_message_is_the_last_error_without_traceback():
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "hello"},
        {"output_type": "error", "ename": "KeyboardInterrupt", "evalue": "",
         "traceback": ["secret code line"]},
        {"output_type": "error", "ename": "AssertionError",
         "evalue": "\x1b[31mthe plan\nstarts late\x1b[0m", "traceback": ["assert secret"]},
    ]
    assert feedback.error_message(outputs) == "AssertionError: the plan starts late"
    assert feedback.error_message(outputs[:2]) == ("the cell ran longer than the time limit "
                                                   "and was stopped")
    stderr = [{"output_type": "stream", "name": "stderr", "text": "DeprecationWarning: x\nmore"}]
    assert feedback.error_message(stderr) == ("wrote to stderr, which counts as a failure: "
                                              "DeprecationWarning: x")
    assert feedback.error_message([]) == ""
    long = [{"output_type": "error", "ename": "E", "evalue": "x" * 1000}]
    assert len(feedback.error_message(long)) == feedback.MAX_MESSAGE


def test_everything_is_escaped():
    evil = "<script>alert(1)</script>"
    nb = NotebookFeedback("nb", [Item(evil, "test", 0, 1, message=evil),
                                 Item(evil, "answer", 1, 1, level=evil, descriptor=evil,
                                      comment=evil)])
    outcome = Outcome("p1", "a1", "failed", reason=evil, notes=[evil])
    html = feedback.render(evil, evil, nb, outcome)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") >= 9
    assert not re.search(r"<(img|iframe|object)", html)


def test_a_message_never_quotes_the_assignment_s_code():
    code = ['x = answer()\n### BEGIN HIDDEN TESTS\nassert x == SECRET_VALUE_991, "look again"\n'
            "### END HIDDEN TESTS"]
    quoting = [{"output_type": "error", "ename": "AssertionError",
                "evalue": 'it ran: assert x == SECRET_VALUE_991, "look again" then'}]
    message = feedback.error_message(quoting, code)
    assert "SECRET_VALUE_991" not in message and feedback.HIDDEN_CODE in message
    marked = [{"output_type": "error", "ename": "ValueError",
               "evalue": "### BEGIN HIDDEN TESTS assert ..."}]
    assert "BEGIN HIDDEN" not in feedback.error_message(marked, code)
    plain = [{"output_type": "error", "ename": "AssertionError", "evalue": "look again"}]
    assert feedback.error_message(plain, code) == "AssertionError: look again"
