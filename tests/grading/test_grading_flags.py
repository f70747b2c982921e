"""Every way a submission can fail or be flagged has a reason an instructor can act on.

One small course, graded once for the module: the synthetic assignment of
``grading_fixtures`` with its cells' grading marks stripped in three ways, and the
kit's action plan handed in without ``plan.json`` or with the untouched starter plan.
The other flags (limits, endless loops, dead kernels, files that are not notebooks)
are graded in ``test_grading_autograde.py`` and ``test_grading_hostile.py``; here their
wording is checked on the exceptions themselves.
"""

from __future__ import annotations

import copy
import json
import re
import shutil

import nbformat
import pytest

from consortia.grading import autograde, execute
from consortia.grading.release import SOLUTIONS_DIR
from consortia.grading.workshop import new_workshop
from consortia.plans.files import save_plan
from consortia.plans.starter import new_plan
from grading_fixtures import (
    ASSIGNMENT,
    NOTEBOOK,
    sandbox_mode,
    solved_notebook,
    write_class_list,
    write_files,
    write_solutions,
)

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

PLAN = "04_action_plan"
STUDENTS = ["stripped", "copied", "copied-answers", "lost-cells", "no-plan", "starter"]
#: An exception name followed by a colon, as in "KeyError: 'answer_1'".
BARE_EXCEPTION = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b:")


def _strip(nb, keep=lambda meta: False, new_ids=False):
    """Remove the grading marks of the cells ``keep`` refuses; with ``new_ids``, give those
    cells new ids too (as when cells are copied into another notebook)."""
    for index, cell in enumerate(nb.cells):
        if not keep(cell.metadata.get("nbgrader", {})):
            cell.metadata = {}
            if new_ids:
                cell.id = f"copied-{index}"
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("flags")
    solutions = write_solutions(root)
    shutil.copytree(SOLUTIONS_DIR / PLAN, solutions / PLAN)
    students = write_class_list(root / "students.csv", STUDENTS)
    course = new_workshop(root / "course", students, solutions=solutions, timeout=60).folder
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    solved = solved_notebook(release, source)
    lost = copy.deepcopy(solved)  # an answer cell without marks, and the test after it deleted
    lost.cells = [c for c in lost.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                  != "test_count"]
    _strip(lost, keep=lambda meta: meta.get("grade_id") != "count", new_ids=True)
    submissions = {
        "stripped": _strip(copy.deepcopy(solved)),
        "copied": _strip(copy.deepcopy(solved), new_ids=True),
        "copied-answers": _strip(copy.deepcopy(solved), keep=lambda m: not m.get("solution"),
                                 new_ids=True),
        "lost-cells": lost,
    }
    for student, nb in submissions.items():
        write_files(course / "submitted" / student / ASSIGNMENT, {f"{NOTEBOOK}.ipynb": nb})
    plan_release = course / "release" / PLAN / "action_plan.ipynb"
    for student in ("no-plan", "starter"):
        folder = course / "submitted" / student / PLAN
        folder.mkdir(parents=True)
        shutil.copy(plan_release, folder)
    save_plan(new_plan("belize"), course / "submitted" / "starter" / PLAN / "plan.json")
    run = autograde.grade(course, sandbox=sandbox_mode())
    return course, run


def _outputs(course, student, grade_id) -> str:
    path = course / "autograded" / student / PLAN / "action_plan.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    return "\n".join(str(o.get("evalue", "")) + str(o.get("text", "")) for o in cell["outputs"])


def test_grading_marks_another_program_removed_are_put_back_by_cell_id(graded):
    _, run = graded
    outcome = run.outcome("stripped", ASSIGNMENT)
    assert (outcome.status, outcome.score) == ("graded", 2)  # no plan.json: test_plan fails
    assert any("grading marks of 6 cell(s)" in n and "put back from the assignment by cell id"
               in n for n in outcome.notes), outcome.notes


def test_a_notebook_without_grading_marks_is_flagged_with_what_to_do(graded):
    _, run = graded
    outcome = run.outcome("copied", ASSIGNMENT)
    assert outcome.status == "failed"
    assert "has lost its grading marks" in outcome.reason
    assert "fresh copy of the released notebook" in outcome.reason
    assert not BARE_EXCEPTION.search(outcome.reason), outcome.reason


def test_answer_cells_without_marks_are_named_as_answers_not_tests(graded):
    _, run = graded
    outcome = run.outcome("copied-answers", ASSIGNMENT)
    assert outcome.status == "graded"
    assert any("graded answer cell 'explain' was missing" in n for n in outcome.notes)
    assert not any("test cell 'explain'" in n for n in outcome.notes)


def test_lost_cells_nbgrader_cannot_put_back_are_named(graded):
    """The issue: such a notebook was flagged "grading failed: KeyError: 'answer_1'"."""
    _, run = graded
    outcome = run.outcome("lost-cells", ASSIGNMENT)
    assert outcome.status == "failed"
    assert "lacks the graded cells count" in outcome.reason
    assert not BARE_EXCEPTION.search(outcome.reason), outcome.reason


def test_a_plan_not_handed_in_is_called_missing(graded):
    """The issue: a hand-in without plan.json was told it still held the starter plan."""
    course, run = graded
    assert run.outcome("no-plan", PLAN).score == 0
    shown = _outputs(course, "no-plan", "plan_loads")
    assert "plan.json was not handed in" in shown and "starter plan" not in shown
    assert "plan.json was not handed in" in _outputs(course, "no-plan", "review_cadence")


def test_a_starter_plan_handed_in_is_called_the_starter_plan(graded):
    course, run = graded
    assert run.outcome("starter", PLAN).score == 0
    shown = _outputs(course, "starter", "plan_loads")
    assert "still holds the starter plan" in shown and "not handed in" not in shown


# --- the wording of the other flags, on the exceptions themselves ---------------------------


def _named(name: str, message: str = "") -> Exception:
    return type(name, (Exception,), {})(message)


@pytest.mark.parametrize(("exc", "words"), [
    (_named("NotJSONError", "Notebook does not appear to be JSON"), "not valid JSON"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "not text (UTF-8)"),
    (_named("CellTimeoutError", "A cell timed out"), "did not stop when interrupted"),
    (_named("DeadKernelError", "Kernel died"), "the kernel died"),
    (KeyError("grade_id"), "cells were deleted in a way nbgrader cannot repair"),
    (json.JSONDecodeError("Expecting value", "x", 0), "not valid JSON"),
    (KeyError("answer_1"), "the grader stopped on a problem it does not know"),
    (RuntimeError(""), "mark this notebook by hand"),
])
def test_each_failure_is_explained_in_a_plain_sentence(exc, words):
    reason = execute.explain(exc)
    assert words in reason
    assert not reason.startswith(("grading failed", type(exc).__name__))
