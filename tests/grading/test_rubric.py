"""Tests of consortia.grading.rubric: rubric files, scoring, and writing to nbgrader's gradebook."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
import yaml

from consortia.datafiles import DataFileError
from consortia.grading import rubric as rb
from consortia.grading.nbgrader_course import GradebookError
from consortia.grading.release import SOLUTIONS_DIR, nbgrader_env
from gradebooks import gradebook_url

ACTION_PLAN = rb.RUBRICS_DIR / "action_plan.yaml"
NOTEBOOK_04 = SOLUTIONS_DIR / "04_action_plan" / "action_plan.ipynb"
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

GOOD = {"timeline_realism": "strong", "indicators_quality": "sound", "roles": "weak",
        "evidence": "missing"}


@pytest.fixture
def document() -> dict:
    return copy.deepcopy(yaml.safe_load(ACTION_PLAN.read_text(encoding="utf-8")))


def write(tmp_path, document: dict, name: str = "action_plan"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def fields(exc: DataFileError) -> str:
    return "\n".join(str(p) for p in exc.problems)


# --- the kit's rubrics -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["action_plan", "product_readiness"])
def test_the_kits_rubrics_load_and_match_their_notebooks(name):
    rubric = rb.load_rubric(name)
    notebook = rb.find_notebook(rubric)
    assert notebook is not None and notebook.parent.parent == SOLUTIONS_DIR
    assert rb.manual_cells(notebook) == rubric.cell_points()
    assert rb.rubric_for(rubric.assignment) == rubric
    for criterion in rubric.criteria:
        assert 3 <= len(criterion.levels) <= 4
        assert criterion.levels[0].points == 0
        assert all(level.descriptor.strip() for level in criterion.levels)


def test_the_action_plan_rubric_covers_what_the_issue_asks_for():
    rubric = rb.load_rubric("action_plan")
    by_id = {c.id: c for c in rubric.criteria}
    assert {"timeline_realism", "indicators_quality", "roles", "evidence"} <= set(by_id)
    assert "SELA 2014 §8" in by_id["timeline_realism"].sources
    assert "SELA 2014 §41" in by_id["indicators_quality"].sources
    assert "SELA 2014 §39" in by_id["roles"].sources
    assert "SELA 2014 §11-§19" in by_id["evidence"].sources
    assert "non-economic" in by_id["indicators_quality"].title
    assert set(rubric.grade_ids()) == set(rb.manual_cells(NOTEBOOK_04))


def test_the_rubrics_are_listed():
    assert rb.rubric_names() == ["action_plan", "product_readiness"]
    with pytest.raises(ValueError, match="No rubric 'essay'; the rubrics are: action_plan"):
        rb.load_rubric("essay")
    with pytest.raises(ValueError, match="No rubric is written for the assignment"):
        rb.rubric_for("01_methodology_check")


def test_a_rubric_shows_itself_as_a_table():
    shown = rb.load_rubric("action_plan")._repr_html_()
    assert "Realism of the timeline" in shown and "SELA 2014 §8" in shown
    assert "<table>" in shown and shown.count("<li>") == 16


# --- what loading refuses ----------------------------------------------------------------------


def test_a_copy_of_the_kits_rubric_loads(tmp_path, document):
    assert rb.load_rubric("action_plan", path=write(tmp_path, document), notebook=NOTEBOOK_04)


def test_duplicate_criterion_ids_are_refused(tmp_path, document):
    document["criteria"][1]["id"] = "timeline_realism"
    with pytest.raises(DataFileError, match="criterion ids must be unique"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_levels_must_run_from_fewest_to_most_points(tmp_path, document):
    levels = document["criteria"][0]["levels"]
    levels[1]["points"], levels[2]["points"] = 2, 1
    with pytest.raises(DataFileError) as caught:
        rb.load_rubric("action_plan", path=write(tmp_path, document))
    assert "criteria.0" in fields(caught.value) and "fewest to most" in fields(caught.value)


def test_no_level_is_worth_more_than_the_criterion(tmp_path, document):
    document["criteria"][0]["levels"][3]["points"] = 4
    with pytest.raises(DataFileError, match=r"more than the criterion's max_points \(3\)"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_the_best_level_gives_full_marks(tmp_path, document):
    document["criteria"][0]["max_points"] = 4
    with pytest.raises(DataFileError, match="best level is worth 3 points but max_points is 4"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_three_or_four_levels(tmp_path, document):
    document["criteria"][0]["levels"] = document["criteria"][0]["levels"][2:]
    with pytest.raises(DataFileError, match=r"criteria\.0\.levels"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_duplicate_level_ids_are_refused(tmp_path, document):
    document["criteria"][0]["levels"][1]["id"] = "missing"
    with pytest.raises(DataFileError, match="level ids must be unique"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_sources_are_checked_like_everywhere_in_the_kit(tmp_path, document):
    document["criteria"][0]["sources"] = ["SELA 2014 §99"]
    with pytest.raises(DataFileError, match=r"criteria\.0\.sources\.0"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_the_name_matches_the_file(tmp_path, document):
    with pytest.raises(DataFileError, match="make them match"):
        rb.load_rubric("other", path=write(tmp_path, document, name="other"))


def test_every_criterion_scores_a_manual_cell_of_the_notebook(tmp_path, document):
    document["criteria"][0]["grade_id"] = "no_errors"  # an autograded test, not manual
    with pytest.raises(DataFileError) as caught:
        rb.load_rubric("action_plan", path=write(tmp_path, document), notebook=NOTEBOOK_04)
    found = fields(caught.value)
    assert "criteria.0.grade_id" in found and "'no_errors' is not a manually graded cell" in found
    assert "'timeline_realism' of action_plan.ipynb is scored by no criterion" in found


def test_every_manual_cell_is_scored_with_its_points(tmp_path, document):
    for level in document["criteria"][3]["levels"]:
        level["points"] *= 2
    document["criteria"][3]["max_points"] = 6
    with pytest.raises(DataFileError, match="add up to 6 points, but the cell is worth 3"):
        rb.load_rubric("action_plan", path=write(tmp_path, document), notebook=NOTEBOOK_04)


def test_several_criteria_may_share_one_cell(tmp_path):
    notebook = {"cells": [{"cell_type": "markdown", "source": "", "metadata": {"nbgrader": {
        "grade": True, "solution": True, "grade_id": "essay", "points": 6}}}]}
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    document = yaml.safe_load((rb.RUBRICS_DIR / "product_readiness.yaml").read_text("utf-8"))
    for criterion in document["criteria"]:
        criterion["grade_id"] = "essay"
    document["criteria"] = document["criteria"][:2]
    path = write(tmp_path, document, name="product_readiness")
    rubric = rb.load_rubric("product_readiness", path=path, notebook=tmp_path / "nb.ipynb")
    assert rubric.cell_points() == {"essay": 6}


# --- scoring -----------------------------------------------------------------------------------


def test_score_adds_up_per_criterion_and_per_cell():
    rubric = rb.load_rubric("action_plan")
    result = rb.score(rubric, GOOD)
    assert result["total"] == 3 + 2 + 1 + 0 and result["max_total"] == 12
    assert result["criteria"]["indicators_quality"] == {
        "level": "sound", "title": "Sound", "points": 2, "max_points": 3,
        "grade_id": "indicators_quality"}
    cell = result["grades"]["roles_of_members_and_partners"]
    assert cell["points"] == 1 and cell["max_points"] == 3
    assert cell["comment"].startswith(
        "Rubric - Roles of members and partners: Weak (1 of 3 points)."
    )
    json.dumps(result)  # plain data


def test_levels_can_be_chosen_by_their_points():
    rubric = rb.load_rubric("action_plan")
    by_points = {"timeline_realism": 3, "indicators_quality": 2, "roles": 1.0, "evidence": 0}
    assert rb.score(rubric, by_points)["criteria"] == rb.score(rubric, GOOD)["criteria"]


def test_criteria_sharing_a_cell_add_up_in_one_comment():
    rubric = rb.load_rubric("product_readiness")
    result = rb.score(rubric, {"evidence": "strong", "consistency": "sound", "next_steps": 1})
    cell = result["grades"]["justification"]
    assert cell["points"] == 6 and cell["max_points"] == 9
    assert cell["comment"].count(rb.COMMENT_PREFIX) == 3


def test_score_refuses_incomplete_or_unknown_choices():
    rubric = rb.load_rubric("action_plan")
    with pytest.raises(ValueError, match="still missing: evidence"):
        rb.score(rubric, {k: v for k, v in GOOD.items() if k != "evidence"})
    with pytest.raises(ValueError, match=r"\['clarity'\] are not criteria"):
        rb.score(rubric, {**GOOD, "clarity": "good"})
    with pytest.raises(ValueError, match="'excellent' is not a level of the criterion 'roles'"):
        rb.score(rubric, {**GOOD, "roles": "excellent"})
    with pytest.raises(ValueError, match="not a level"):
        rb.score(rubric, {**GOOD, "roles": 2.5})


def test_a_comment_can_be_read_back():
    rubric = rb.load_rubric("action_plan")
    comments = "\n".join(c["comment"] for c in rb.score(rubric, GOOD)["grades"].values())
    assert rb.parse_comment(rubric, "Well done.\n" + comments) == GOOD
    assert rb.parse_comment(rubric, None) == {}


def test_the_chosen_levels_and_the_trainer_s_words_are_read_back():
    rubric = rb.load_rubric("action_plan")
    lines = rb.score(rubric, {c.id: c.levels[1].id for c in rubric.criteria})["grades"]
    cell = rubric.criteria[0].grade_id
    comment = "Well argued.\n" + lines[cell]["comment"] + "\nSee me about the fair."
    levels = rb.chosen_levels(rubric, comment)
    assert levels == {rubric.criteria[0].id: rubric.criteria[0].levels[1]}
    assert rb.own_words(comment) == "Well argued.\nSee me about the fair."
    assert rb.chosen_levels(rubric, None) == {} and rb.own_words(None) == ""


def test_a_trainers_own_comment_is_kept():
    assert rb._merge_comment(None, "Rubric - x") == "Rubric - x"
    merged = rb._merge_comment("Good work.\nRubric - old", "Rubric - new")
    assert merged == "Good work.\nRubric - new"


# --- the gradebook -----------------------------------------------------------------------------


def _build_gradebook(folder, course_id: str = "default_course"):
    """A gradebook made with nbgrader's API, shaped like assignment 04 after autograding."""
    from nbgrader.api import Gradebook

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", nbgrader_env()["PATH"])  # nbgrader runs alembic for a new db
        gb = Gradebook(gradebook_url(folder), course_id)
    with gb:
        gb.add_assignment("04_action_plan")
        gb.add_notebook("action_plan", "04_action_plan")
        gb.add_grade_cell("no_errors", "action_plan", "04_action_plan", max_score=2,
                          cell_type="code")
        for name, points in rb.manual_cells(NOTEBOOK_04).items():
            if name in ("timeline_realism", "indicators_quality"):
                gb.add_task_cell(name, "action_plan", "04_action_plan", max_score=points,
                                 cell_type="markdown")
            else:
                gb.add_grade_cell(name, "action_plan", "04_action_plan", max_score=points,
                                  cell_type="markdown")
                gb.add_solution_cell(name, "action_plan", "04_action_plan")
        gb.add_student("team-belize")
        gb.add_submission("04_action_plan", "team-belize")
        gb.find_comment("roles_of_members_and_partners", "action_plan", "04_action_plan",
                        "team-belize").manual_comment = "Clear answer."
        gb.db.commit()
    return folder / "gradebook.db"


@pytest.fixture(scope="module")
def gradebook_template(tmp_path_factory):
    return _build_gradebook(tmp_path_factory.mktemp("gradebook"))


@pytest.fixture
def gradebook(tmp_path, gradebook_template):
    """A fresh copy of the template gradebook in a course folder of its own."""
    shutil.copy(gradebook_template, tmp_path / "gradebook.db")
    return tmp_path


def _grades(course, student="team-belize"):
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(course)) as gb:
        cells = rb.manual_cells(NOTEBOOK_04)
        grades = {n: gb.find_grade(n, "action_plan", "04_action_plan", student) for n in cells}
        comments = {n: gb.find_comment(n, "action_plan", "04_action_plan", student) for n in cells}
        return ({n: (g.manual_score, g.needs_manual_grade) for n, g in grades.items()},
                {n: c.manual_comment for n, c in comments.items()})


def test_apply_choices_writes_scores_and_comments(gradebook):
    result = rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD)
    assert result["total"] == 6
    scores, comments = _grades(gradebook)
    assert scores == {"timeline_realism": (3, False), "indicators_quality": (2, False),
                      "roles_of_members_and_partners": (1, False),
                      "evidence_from_the_case": (0, False)}
    assert comments["timeline_realism"].startswith("Rubric - Realism of the timeline: Strong")
    assert comments["roles_of_members_and_partners"].startswith("Clear answer.\nRubric - Roles")
    assert rb.read_choices(gradebook, "04_action_plan", "team-belize") == GOOD


def test_applying_again_replaces_the_rubric_lines(gradebook):
    rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD)
    rb.apply_choices(gradebook, "04_action_plan", "team-belize", {**GOOD, "roles": "strong"})
    scores, comments = _grades(gradebook)
    assert scores["roles_of_members_and_partners"] == (3, False)
    assert comments["roles_of_members_and_partners"].count(rb.COMMENT_PREFIX) == 1
    assert comments["roles_of_members_and_partners"].startswith("Clear answer.\n")


def test_apply_choices_explains_what_is_missing(gradebook, tmp_path_factory):
    with pytest.raises(ValueError, match="has this submission been autograded"):
        rb.apply_choices(gradebook, "04_action_plan", "team-guyana", GOOD)
    with pytest.raises(GradebookError, match="No gradebook"):
        rb.apply_choices(tmp_path_factory.mktemp("empty"), "04_action_plan", "team-belize", GOOD)
    with pytest.raises(ValueError, match="still missing"):
        rb.apply_choices(gradebook, "04_action_plan", "team-belize", {"roles": "weak"})
    scores, _ = _grades(gradebook)
    assert all(score is None for score, _ in scores.values())  # nothing half-written


def test_apply_choices_refuses_more_points_than_the_gradebook_allows(gradebook):
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(gradebook)) as gb:
        gb.find_graded_cell("timeline_realism", "action_plan", "04_action_plan").max_score = 2
        gb.db.commit()
    with pytest.raises(ValueError, match="the cell is worth 2"):
        rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD)
    scores, _ = _grades(gradebook)
    assert all(score is None for score, _ in scores.values())


def test_the_rubric_writes_to_the_gradebook_the_course_configures(tmp_path, gradebook_template):
    """A course whose nbgrader_config.py names another database (db_url) is marked there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(gradebook_template, elsewhere / "book.db")
    course = tmp_path / "course"
    course.mkdir()
    url = f"sqlite:///{elsewhere / 'book.db'}"
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.db_url = {url!r}\n", encoding="utf-8")
    rb.apply_choices(course, "04_action_plan", "team-belize", GOOD)
    assert not (course / "gradebook.db").exists()
    assert rb.read_choices(course, "04_action_plan", "team-belize") == GOOD
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        grade = gb.find_grade("timeline_realism", "action_plan", "04_action_plan", "team-belize")
        assert grade.manual_score == 3


def test_the_rubric_opens_the_gradebook_for_the_course_s_own_id(tmp_path):
    """Reading or writing marks adds no stray 'default_course' to a cohort's gradebook."""
    import sqlite3

    course = tmp_path / "cohort"
    course.mkdir()
    _build_gradebook(course, course_id="cohort-2014")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'cohort-2014'\n", encoding="utf-8")
    assert rb.read_choices(course, "04_action_plan", "team-belize") == {}
    rb.apply_choices(course, "04_action_plan", "team-belize", GOOD)
    rows = sqlite3.connect(course / "gradebook.db").execute("select id from course").fetchall()
    assert rows == [("cohort-2014",)]


def test_the_trainers_comment_goes_before_the_rubric_lines_of_the_first_cell(gradebook):
    result = rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD,
                              comment="Strong timeline.\nName who pays for the stand.  ")
    assert result["comment"] == "Strong timeline.\nName who pays for the stand."
    _, comments = _grades(gradebook)
    assert comments["timeline_realism"].startswith(
        "Strong timeline.\nName who pays for the stand.\nRubric - Realism of the timeline:")
    # the formgrader comment on another cell stays as it was
    assert comments["roles_of_members_and_partners"].startswith("Clear answer.\nRubric - Roles")
    assert rb.read_comment(gradebook, "04_action_plan", "team-belize") == (
        "Strong timeline.\nName who pays for the stand.")


def test_a_new_comment_replaces_the_old_one_and_an_empty_one_removes_it(gradebook):
    rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD, comment="First try.")
    rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD, comment="Second.")
    assert rb.read_comment(gradebook, "04_action_plan", "team-belize") == "Second."
    rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD)  # None: left alone
    assert rb.read_comment(gradebook, "04_action_plan", "team-belize") == "Second."
    rb.apply_choices(gradebook, "04_action_plan", "team-belize", GOOD, comment="")
    assert rb.read_comment(gradebook, "04_action_plan", "team-belize") == ""
    _, comments = _grades(gradebook)
    assert comments["timeline_realism"].startswith(rb.COMMENT_PREFIX)


def test_no_comment_is_read_for_a_submission_not_in_the_gradebook(gradebook):
    assert rb.read_comment(gradebook, "04_action_plan", "team-nobody") == ""


# --- the autograded checks (what the computer grades) ---------------------------------------


def test_the_action_plan_rubric_lists_every_test_cell_with_its_points():
    rubric = rb.load_rubric("action_plan")
    assert {c.grade_id: c.points for c in rubric.checks} == rb.autograded_cells(NOTEBOOK_04)
    assert rubric.check_points == 12
    assert rubric.check("phase_order").words == (
        "A phase does not start before the phases it builds on")
    with pytest.raises(KeyError, match="No check 'bonus'"):
        rubric.check("bonus")


def test_a_worth_improving_rule_cannot_cost_points(tmp_path, document):
    document["checks"][2]["rules"].append("few-partner-kinds")
    with pytest.raises(DataFileError) as caught:
        rb.load_rubric("action_plan", path=write(tmp_path, document))
    assert "'few-partner-kinds' the planner calls 'Worth improving'" in fields(caught.value)


def test_a_rule_is_graded_once(tmp_path, document):
    document["checks"][3]["rules"].append("early-phases-late")
    with pytest.raises(DataFileError, match="early-phases-late are graded by more than one"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_an_unknown_rule_is_refused(tmp_path, document):
    document["checks"][3]["rules"] = ["phase-orders"]
    with pytest.raises(DataFileError, match="no rule 'phase-orders'"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_a_check_s_points_must_match_its_test_cell(tmp_path, document):
    document["checks"][0]["points"] = 3
    with pytest.raises(DataFileError) as caught:
        rb.load_rubric("action_plan", path=write(tmp_path, document))
    assert "checks.0.points" in fields(caught.value)
    assert "worth 3 points here but 1 in action_plan.ipynb" in fields(caught.value)


def test_every_test_cell_must_be_announced(tmp_path, document):
    document["checks"] = [c for c in document["checks"] if c["grade_id"] != "phase_order"]
    with pytest.raises(DataFileError, match=r"'phase_order' of action_plan\.ipynb is not listed"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))
    document["checks"].append({"grade_id": "bonus", "title": "A bonus", "points": 1})
    with pytest.raises(DataFileError, match="'bonus' is not an autograded test cell"):
        rb.load_rubric("action_plan", path=write(tmp_path, document))


def test_the_must_fix_check_takes_the_errors_no_other_check_names():
    rubric = rb.load_rubric("action_plan")
    from consortia.plans.rulebook import rulebook

    errors = {code for code, rule in rulebook().items() if rule.severity == "error"}
    assert set(rubric.check_rules("no_errors")) == errors - {"mark-before-rules"}
