"""Tests of consortia.grading.marking: who is to mark, their plan and their written answers."""

from __future__ import annotations

import json

import pytest

from consortia.errors import InputError
from consortia.grading import marking
from consortia.grading import rubric as rb
from consortia.plans.files import PlanFileError
from marking_fixtures import (
    ASSIGNMENT,
    NOTEBOOK,
    ROLES_ANSWER,
    build_marking_course,
    copy_course,
)
from plan_fixtures import good_plan

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

CHOICES = {"timeline_realism": "strong", "indicators_quality": "sound", "roles": "weak",
           "evidence": "missing"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_marking_course(tmp_path_factory.mktemp("marking-template"))


@pytest.fixture
def course(template, tmp_path):
    return copy_course(template, tmp_path / "course")


def test_handed_in_submissions_are_listed_with_names_and_to_mark(course):
    listed = marking.submissions(course, ASSIGNMENT)
    assert [s.student for s in listed] == ["ana", "ben"]  # zoe handed nothing in
    assert listed[0].label == "ana - Ana Lopez (to mark)"
    assert {s.status for s in listed} == {marking.TO_MARK}
    assert listed[0].score == 2


def test_a_submission_is_marked_once_every_rubric_cell_has_a_manual_score(course):
    rb.apply_choices(course, ASSIGNMENT, "ben", CHOICES)
    assert {s.student: s.status for s in marking.submissions(course, ASSIGNMENT)} == {
        "ana": marking.TO_MARK, "ben": marking.MARKED}


def test_a_cell_scored_in_the_formgrader_alone_does_not_make_it_marked(course):
    from nbgrader.api import Gradebook

    from gradebooks import gradebook_url

    with Gradebook(gradebook_url(course)) as gb:
        gb.find_grade("timeline_realism", NOTEBOOK, ASSIGNMENT, "ana").manual_score = 2
        gb.db.commit()
    assert marking.submissions(course, ASSIGNMENT)[0].status == marking.TO_MARK


def test_a_participant_without_a_name_is_shown_by_id():
    bare = marking.Submission("zoe", "", "", marking.TO_MARK, 0, 24)
    assert bare.label == "zoe - zoe (to mark)"


def test_an_unknown_assignment_says_so(course):
    with pytest.raises(InputError, match="No rubric is written for the assignment 'nope'"):
        marking.submissions(course, "nope")
    with pytest.raises(InputError, match="has no assignment '05_other'"):
        marking.submissions(course, "05_other", rubric=rb.load_rubric("action_plan"))


def test_only_assignments_with_a_rubric_can_be_marked(course):
    from nbgrader.api import Gradebook

    from gradebooks import gradebook_url

    with Gradebook(gradebook_url(course)) as gb:
        gb.add_assignment("01_methodology_check")  # autograded only: no rubric
        gb.db.commit()
    assert marking.markable_assignments(course) == [ASSIGNMENT]
    assert marking.first_to_mark(course, [ASSIGNMENT]) == ASSIGNMENT


def test_the_plan_is_read_as_handed_in(course):
    assert marking.handed_in_plan(course, ASSIGNMENT, "ana") == good_plan()
    assert marking.handed_in_plan(course, ASSIGNMENT, "zoe") is None


def test_a_broken_plan_says_why(course):
    (course / "submitted" / "ana" / ASSIGNMENT / "plan.json").write_text("{ oops",
                                                                         encoding="utf-8")
    with pytest.raises(PlanFileError, match=r"plan\.json"):
        marking.handed_in_plan(course, ASSIGNMENT, "ana")


def test_a_plan_that_is_a_link_is_not_followed(course, tmp_path):
    plan = course / "submitted" / "ana" / ASSIGNMENT / "plan.json"
    plan.unlink()
    plan.symlink_to(course / "submitted" / "ben" / ASSIGNMENT / "plan.json")
    with pytest.raises(PlanFileError, match="is a link"):
        marking.handed_in_plan(course, ASSIGNMENT, "ana")


def test_written_answers_come_from_the_graded_notebook(course):
    answers = marking.written_answers(course, ASSIGNMENT, "ana")
    assert answers["roles_of_members_and_partners"] == f"{ROLES_ANSWER} (ana)"
    assert "evidence_from_the_case" in answers
    assert "timeline_realism" not in answers  # a task cell: nothing to write there


def test_a_missing_or_broken_notebook_gives_no_answers(course):
    assert marking.written_answers(course, ASSIGNMENT, "zoe") == {}
    notebook = course / "autograded" / "ana" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    notebook.write_text("not a notebook", encoding="utf-8")
    assert marking.written_answers(course, ASSIGNMENT, "ana") == {}
    notebook.write_text(json.dumps({"cells": "not a list"}), encoding="utf-8")
    assert marking.written_answers(course, ASSIGNMENT, "ana") == {}
