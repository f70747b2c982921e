"""A course folder shaped like assignment 04 after ``consortia grade``, built in a second.

The gradebook is made with nbgrader's own API (the cells the action-plan rubric
scores, for three participants of whom two handed in); ``submitted/`` holds their
plan.json and ``autograded/`` their graded notebook with the written answers. The
marking tests (``consortia.grading.marking`` and the marking page's widget) share it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from consortia.grading import rubric as rb
from consortia.grading.release import SOLUTIONS_DIR, nbgrader_env
from consortia.plans.files import save_plan
from gradebooks import gradebook_url
from plan_fixtures import good_plan

ASSIGNMENT, NOTEBOOK = "04_action_plan", "action_plan"
NOTEBOOK_04 = SOLUTIONS_DIR / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
#: (id, first name, last name); the last has no name and handed nothing in.
STUDENTS = [("ana", "Ana", "Lopez"), ("ben", "Ben", "Smith"), ("zoe", "", "")]
HANDED_IN = ["ana", "ben"]
ROLES_ANSWER = "The growers lead; the university trains members in packaging."
#: Cells of the notebook with nothing to write in (nbgrader task cells).
TASK_CELLS = ("timeline_realism", "indicators_quality")


def _graded_notebook(student: str) -> dict:
    """The solution notebook with ``student``'s answer in the roles cell."""
    nb = json.loads(NOTEBOOK_04.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == \
                "roles_of_members_and_partners":
            cell["source"] = f"{ROLES_ANSWER} ({student})"
    return nb


def build_marking_course(folder: Path, students: list[tuple[str, str, str]] = STUDENTS,
                         handed_in: list[str] = HANDED_IN) -> Path:
    """Write the course folder into ``folder`` (which must exist); return it.

    ``students`` are (id, first name, last name); ``handed_in`` the ids who handed in.
    """
    from nbgrader.api import Gradebook

    old_path = os.environ.get("PATH", "")
    os.environ["PATH"] = nbgrader_env()["PATH"]  # nbgrader runs alembic for a new database
    try:
        gb = Gradebook(gradebook_url(folder))
    finally:
        os.environ["PATH"] = old_path
    with gb:
        gb.add_assignment(ASSIGNMENT)
        gb.add_notebook(NOTEBOOK, ASSIGNMENT)
        gb.add_grade_cell("no_errors", NOTEBOOK, ASSIGNMENT, max_score=2, cell_type="code")
        for name, points in rb.manual_cells(NOTEBOOK_04).items():
            if name in TASK_CELLS:
                gb.add_task_cell(name, NOTEBOOK, ASSIGNMENT, max_score=points,
                                 cell_type="markdown")
            else:
                gb.add_grade_cell(name, NOTEBOOK, ASSIGNMENT, max_score=points,
                                  cell_type="markdown")
                gb.add_solution_cell(name, NOTEBOOK, ASSIGNMENT)
        for student, first, last in students:
            gb.add_student(student, first_name=first or None, last_name=last or None)
        for student in handed_in:
            gb.add_submission(ASSIGNMENT, student)
            gb.find_grade("no_errors", NOTEBOOK, ASSIGNMENT, student).auto_score = 2
        gb.db.commit()
    for student in handed_in:
        submitted = folder / "submitted" / student / ASSIGNMENT
        submitted.mkdir(parents=True)
        save_plan(good_plan(), submitted / "plan.json")
        autograded = folder / "autograded" / student / ASSIGNMENT
        autograded.mkdir(parents=True)
        (autograded / f"{NOTEBOOK}.ipynb").write_text(json.dumps(_graded_notebook(student)),
                                                     encoding="utf-8")
    return folder


def copy_course(template: Path, target: Path) -> Path:
    """A fresh copy of a built course folder for one test."""
    shutil.copytree(template, target, dirs_exist_ok=True)
    return target
