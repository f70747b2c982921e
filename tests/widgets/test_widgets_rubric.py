"""Tests of consortia.widgets.rubric: a trainer marks an autograded action plan with the rubric.

The gradebook is a real one: nbgrader generates assignment 04 from ``solutions/`` in a
temporary course folder and autogrades one submission (the solution notebook with a
good plan.json), as a trainer's course folder would hold it.
"""

from __future__ import annotations

import shutil

import pytest

from consortia.grading import release
from consortia.grading import rubric as rb
from consortia.plans.files import save_plan
from consortia.widgets.rubric import RubricGrader, apply_choices
from gradebooks import gradebook_url
from plan_fixtures import good_plan

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

ASSIGNMENT, NOTEBOOK, STUDENT = "04_action_plan", "action_plan", "team-belize"
CHOICES = {"timeline_realism": "strong", "indicators_quality": "sound", "roles": "sound",
           "evidence": "weak"}


@pytest.fixture(scope="module")
def autograded(tmp_path_factory):
    """A course folder where one submission of assignment 04 has been autograded."""
    course = tmp_path_factory.mktemp("course")
    release.prepare_course(course, names=[ASSIGNMENT])
    release.run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    submitted = course / "submitted" / STUDENT / ASSIGNMENT
    submitted.mkdir(parents=True)
    shutil.copy(release.SOLUTIONS_DIR / ASSIGNMENT / f"{NOTEBOOK}.ipynb", submitted)
    save_plan(good_plan(), submitted / "plan.json")
    release.run_nbgrader(course, "autograde", ASSIGNMENT, "--ExecutePreprocessor.timeout=120")
    return course


@pytest.fixture
def course(autograded, tmp_path):
    """A fresh copy of the autograded gradebook for one test."""
    shutil.copy(autograded / "gradebook.db", tmp_path / "gradebook.db")
    return tmp_path


def gradebook_state(course):
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(course)) as gb:
        submission = gb.find_submission(ASSIGNMENT, STUDENT)
        manual = {}
        for name in rb.manual_cells(release.SOLUTIONS_DIR / ASSIGNMENT / f"{NOTEBOOK}.ipynb"):
            grade = gb.find_grade(name, NOTEBOOK, ASSIGNMENT, STUDENT)
            comment = gb.find_comment(name, NOTEBOOK, ASSIGNMENT, STUDENT)
            manual[name] = (grade.manual_score, grade.needs_manual_grade, comment.manual_comment)
        return submission.score, submission.needs_manual_grade, manual


def test_the_autograded_submission_waits_for_the_trainer(course):
    score, needs_manual, manual = gradebook_state(course)
    assert score == 12  # every autograded check passed; nothing marked by hand yet
    assert needs_manual
    assert all(points is None for points, _, _ in manual.values())


def test_the_form_shows_one_choice_per_criterion_with_its_descriptors(course):
    grader = RubricGrader(course, ASSIGNMENT, STUDENT)
    rubric = rb.load_rubric("action_plan")
    assert list(grader.selectors) == [c.id for c in rubric.criteria]
    for criterion in rubric.criteria:
        selector = grader.selectors[criterion.id]
        assert selector.value is None
        assert [value for _, value in selector.options] == [lv.id for lv in criterion.levels]
        assert selector.tooltips[0] == " ".join(criterion.levels[0].descriptor.split())
        shown = grader.descriptors[criterion.id].value
        assert all(level.title in shown for level in criterion.levels)
    assert "not complete" in grader.total_html.value
    assert grader.save_button.disabled
    assert "team-belize" in grader.widget.children[0].value


def test_choosing_levels_updates_the_total_and_highlights_the_choice(course):
    grader = RubricGrader(course, ASSIGNMENT, STUDENT)
    grader.selectors["timeline_realism"].value = "strong"
    assert "#e6f4ea" in grader.descriptors["timeline_realism"].value
    assert "#e6f4ea" not in grader.descriptors["roles"].value
    assert "3 more criteria" in grader.total_html.value
    for key, level in CHOICES.items():
        grader.selectors[key].value = level
    assert "Total: 8 of 12 points" in grader.total_html.value
    assert not grader.save_button.disabled
    assert grader.choices == CHOICES


def test_save_writes_the_manual_scores_and_comments_into_the_gradebook(course):
    grader = RubricGrader(course, ASSIGNMENT, STUDENT)
    for key, level in CHOICES.items():
        grader.selectors[key].value = level
    grader.save_button.click()
    assert grader.status_ok, grader.status_text
    assert "Saved for team-belize" in grader.status_text
    assert "total 8 of 12 points" in grader.status_text
    score, needs_manual, manual = gradebook_state(course)
    assert score == 12 + 8
    assert not needs_manual
    assert manual["timeline_realism"][:2] == (3, False)
    assert manual["evidence_from_the_case"][:2] == (1, False)
    assert manual["indicators_quality"][2].startswith(
        "Rubric - Indicators, economic and non-economic: Sound (2 of 3 points).")


def test_a_saved_mark_opens_with_its_levels_chosen(course):
    apply_choices(course, ASSIGNMENT, STUDENT, CHOICES)
    grader = RubricGrader(course, ASSIGNMENT, STUDENT)
    assert grader.choices == CHOICES
    assert "Loaded the levels saved earlier for 4 criteria" in grader.status_text
    grader.selectors["evidence"].value = "strong"
    assert grader.save() is not None
    assert gradebook_state(course)[0] == 12 + 10


def test_a_submission_that_was_not_autograded_is_not_saved(course):
    grader = RubricGrader(course, ASSIGNMENT, "team-nobody")
    for key, level in CHOICES.items():
        grader.selectors[key].value = level
    assert grader.save() is None
    assert not grader.status_ok
    assert "has this submission been autograded" in grader.status_text


def test_a_missing_gradebook_is_reported_in_the_form(tmp_path):
    grader = RubricGrader(tmp_path, ASSIGNMENT, STUDENT)
    assert not grader.status_ok and "No gradebook" in grader.status_text
    for key, level in CHOICES.items():
        grader.selectors[key].value = level
    grader.save_button.click()
    assert not grader.status_ok and "Not saved" in grader.status_text


def test_the_form_displays_as_a_widget(course):
    grader = RubricGrader(course, ASSIGNMENT, STUDENT)
    bundle = grader._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "0 of 4 chosen" in repr(grader)


def test_the_comment_is_saved_and_shown_again_when_the_form_reopens(course):
    grader = RubricGrader(course, ASSIGNMENT, STUDENT)
    for key, level in CHOICES.items():
        grader.selectors[key].value = level
    grader.comment_box.value = "Name who pays for the fair stand."
    saved = []
    grader.on_saved(saved.append)
    grader.save_button.click()
    assert "Saved for team-belize with your comment" in grader.status_text
    assert saved and saved[0]["comment"] == "Name who pays for the fair stand."
    _, _, manual = gradebook_state(course)
    assert manual["timeline_realism"][2].startswith("Name who pays for the fair stand.\nRubric - ")
    again = RubricGrader(course, ASSIGNMENT, STUDENT)
    assert again.comment_box.value == "Name who pays for the fair stand."


def test_a_failed_save_calls_no_one(tmp_path):
    grader = RubricGrader(tmp_path, ASSIGNMENT, STUDENT)
    for key, level in CHOICES.items():
        grader.selectors[key].value = level
    saved = []
    grader.on_saved(saved.append)
    assert grader.save() is None and saved == []
