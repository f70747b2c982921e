"""nbgrader's formgrader, in Chromium, for a demo workshop made by ``consortia workshop new``.

A trainer creates a course folder for a cohort, participants hand in work into
``submitted/``, and the trainer opens the formgrader in JupyterLab: it must list the
workshop's assignments and, for an assignment, who handed it in.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.browser

STUDENTS = [("ana", "Ana", "Lopez"), ("ben", "Ben", "Smith"), ("carla", "Carla", "Diaz")]
#: Who handed in the first assignment (carla did not).
SUBMITTED = ["ana", "ben"]
TIMESTAMP = "2025-03-01 14:05:00.000000 UTC"


def new_workshop(tmp_path):
    """Run ``consortia workshop new`` for three participants; return the course folder."""
    students = tmp_path / "class.csv"
    students.write_text("id,first_name,last_name\n"
                        + "".join(f"{i},{first},{last}\n" for i, first, last in STUDENTS),
                        encoding="utf-8")
    course = tmp_path / "demo-workshop"
    result = subprocess.run(
        [sys.executable, "-m", "consortia.cli", "workshop", "new", str(course),
         "--students", str(students), "--course-id", "demo"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    if "invalid choice: 'workshop'" in result.stderr:
        pytest.fail("`consortia workshop new DIR --students CSV` is not available yet "
                    "(src/consortia/grading/workshop.py and its CLI command): the formgrader "
                    "test needs it to make the demo workshop", pytrace=False)
    assert result.returncode == 0, (
        f"consortia workshop new failed ({result.returncode}):\n{result.stdout}\n"
        f"{result.stderr}")
    return course


def hand_in(course, student: str, assignment: str) -> None:
    """Put the released notebooks of ``assignment`` into ``submitted/`` as ``student``'s."""
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for notebook in (course / "release" / assignment).glob("*.ipynb"):
        shutil.copy2(notebook, folder / notebook.name)
    (folder / "timestamp.txt").write_text(TIMESTAMP + "\n", encoding="utf-8")


def test_formgrader_lists_assignments_and_submissions(page, lab_for, tmp_path, screenshot):
    course = new_workshop(tmp_path)
    assignments = sorted(p.name for p in (course / "release").iterdir() if p.is_dir())
    assert assignments, f"consortia workshop new released no assignment in {course}"
    first = assignments[0]
    for student in SUBMITTED:
        hand_in(course, student, first)

    lab = lab_for(course)
    page.goto(f"{lab.url}/formgrader?token={lab.token}")
    rows = page.locator("#main-table tr").filter(has_not_text="Loading")
    rows.filter(has_text=first).first.wait_for()
    screenshot("assignments")

    listed = {row.locator("td").first.inner_text().strip() for row in rows.all()}
    assert set(assignments) <= listed, listed
    row = rows.filter(has_text=first).first
    assert row.locator(".num-submissions").inner_text().strip() == str(len(SUBMITTED))

    # the number of submissions links to the list of who handed in
    row.locator(".num-submissions a").click()
    page.wait_for_url(f"**/formgrader/manage_submissions/{first}")
    submissions = page.locator("#main-table tr").filter(has_not_text="Loading")
    submissions.filter(has_text=SUBMITTED[0]).first.wait_for()
    screenshot("submissions")

    text = page.locator("#main-table").inner_text()
    for student, first_name, last_name in STUDENTS:
        if student in SUBMITTED:
            assert student in text and f"{last_name}, {first_name}" in text
        else:
            assert student not in text
    assert submissions.count() == len(SUBMITTED)
