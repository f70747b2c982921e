"""Tests of consortia.widgets.marking: the marking page as a trainer uses it (widgets driven
directly; tests/browser/test_marking.py clicks the same page in Chromium)."""

from __future__ import annotations

import pytest

from consortia.grading import marking
from consortia.grading import rubric as rb
from consortia.widgets.marking import MarkingDesk
from marking_fixtures import ASSIGNMENT, ROLES_ANSWER, build_marking_course, copy_course

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

CHOICES = {"timeline_realism": "strong", "indicators_quality": "sound", "roles": "sound",
           "evidence": "weak"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_marking_course(tmp_path_factory.mktemp("desk-template"))


@pytest.fixture
def course(template, tmp_path):
    return copy_course(template, tmp_path / "course")


def labels(desk: MarkingDesk) -> list[str]:
    return [label for label, _ in desk.submission_picker.options]


def test_the_page_opens_on_the_first_submission_with_its_plan_and_answers(course):
    desk = MarkingDesk(course)
    assert desk.assignment == ASSIGNMENT
    assert labels(desk) == ["ana - Ana Lopez (to mark)", "ben - Ben Smith (to mark)"]
    assert "2 submissions: 0 marked, 2 to mark" in desk.count_html.value
    assert desk.student == "ana" and desk.grader.student == "ana"
    assert "<iframe" in desk.plan_html.value and "Activities and timeline" in desk.plan_html.value
    assert "Agree who may join" in desk.plan_html.value  # an activity of the plan
    assert f"{ROLES_ANSWER} (ana)" in desk.answers_html.value
    assert desk.message_html.value == ""


def test_choosing_another_submission_shows_its_work(course):
    desk = MarkingDesk(course)
    desk.submission_picker.value = "ben"
    assert desk.grader.student == "ben"
    assert f"{ROLES_ANSWER} (ben)" in desk.answers_html.value


def test_saving_marks_the_submission_in_the_list_and_keeps_it_shown(course):
    desk = MarkingDesk(course)
    desk.submission_picker.value = "ben"
    grader = desk.grader
    for key, level in CHOICES.items():
        grader.selectors[key].value = level
    grader.comment_box.value = "Good start."
    grader.save_button.click()
    assert grader.status_ok, grader.status_text
    assert labels(desk) == ["ana - Ana Lopez (to mark)", "ben - Ben Smith (marked)"]
    assert desk.student == "ben" and desk.grader is grader  # the form stays, with its status
    assert "Saved for ben with your comment" in grader.status_text
    assert "1 marked, 1 to mark" in desk.count_html.value
    assert rb.read_comment(course, ASSIGNMENT, "ben") == "Good start."


def test_a_page_opened_later_shows_the_marked_status(course):
    rb.apply_choices(course, ASSIGNMENT, "ana", CHOICES)
    desk = MarkingDesk(course)
    assert desk.student == "ben"  # the page opens on the first submission still to mark
    assert labels(desk)[0] == "ana - Ana Lopez (marked)"


def test_a_missing_plan_or_a_broken_one_is_said_in_the_page(course):
    (course / "submitted" / "ana" / ASSIGNMENT / "plan.json").write_text("{", encoding="utf-8")
    (course / "submitted" / "ben" / ASSIGNMENT / "plan.json").unlink()
    desk = MarkingDesk(course)
    assert "cannot be shown" in desk.plan_html.value and "<iframe" not in desk.plan_html.value
    desk.submission_picker.value = "ben"
    assert "handed in no plan.json" in desk.plan_html.value
    assert desk.grader.student == "ben"  # the rubric can still be used


def test_a_folder_without_a_gradebook_says_what_it_expected(tmp_path):
    desk = MarkingDesk(tmp_path)
    assert "No gradebook" in desk.message_html.value
    assert desk.submission_picker.disabled and desk.grader is None


def test_an_assignment_nobody_handed_in_says_how_to_grade(course):
    from nbgrader.api import Gradebook

    from gradebooks import gradebook_url

    with Gradebook(gradebook_url(course)) as gb:
        gb.remove_submission(ASSIGNMENT, "ana")
        gb.remove_submission(ASSIGNMENT, "ben")
    desk = MarkingDesk(course)
    assert desk.submissions == [] and desk.grader is None
    assert "No graded submission of 04_action_plan yet" in desk.message_html.value
    assert "grade" in desk.message_html.value


def test_the_page_displays_as_a_widget(course):
    desk = MarkingDesk(course)
    assert "application/vnd.jupyter.widget-view+json" in desk._repr_mimebundle_()
    assert "2 submissions" in repr(desk)
    assert marking.TO_MARK in labels(desk)[0]


def test_a_save_that_fails_says_why_beside_the_button_and_the_list_stays(course):
    desk = MarkingDesk(course)
    for key, level in CHOICES.items():
        desk.grader.selectors[key].value = level
    (course / "gradebook.db").unlink()  # e.g. the course folder was moved meanwhile
    desk.grader.save_button.click()
    assert not desk.grader.status_ok
    assert "Not saved" in desk.grader.status_html.value and "No gradebook" in \
        desk.grader.status_text
    assert labels(desk)[0] == "ana - Ana Lopez (to mark)"
