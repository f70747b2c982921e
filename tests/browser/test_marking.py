"""Marking a cohort in the browser, as docs/grading.md tells a trainer to, in Chromium.

The journey of the guide: ``consortia workshop new`` for a class of three,
two hand-ins of assignment 04 (the solution notebook and a good plan.json),
``consortia grade``, then ``consortia workshop open`` and the one address it prints.
On that page the trainer picks a submission, sees the plan drawn beside the rubric,
clicks one level per criterion, writes a comment and saves; the gradebook must then
hold the points and the comment. Last, a participant who handed in through nbgrader's
exchange is marked the same way, the trainer releases the feedback with ``consortia
report DIR ASSIGNMENT --release``, and she reads it. The course folder and the server
are shared by the tests of this module (the server is stopped, with its kernels, at the end).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from consortia.grading import marking
from consortia.grading import rubric as rb
from consortia.grading.nbgrader_course import open_gradebook
from consortia.plans.files import save_plan
from grading_fixtures import sandbox_mode
from plan_fixtures import good_plan

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT, NOTEBOOK = "04_action_plan", "action_plan"
STUDENTS = [("ana", "Ana", "Lopez"), ("ben", "Ben", "Smith"), ("carla", "Carla", "Diaz")]
HANDED_IN = ["ana", "ben"]
#: The levels the trainer clicks for ana (criterion id -> level id): 3 + 2 + 2 + 1 points.
CHOICES = {"timeline_realism": "strong", "indicators_quality": "sound", "roles": "sound",
           "evidence": "weak"}
COMMENT = "Clear plan. Say who pays for the fair stand."
START_S = 180


def kit(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the ``consortia`` command as a trainer types it; fail with its output if it fails."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "consortia.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"consortia {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    """A course folder of three participants, two of whom handed in assignment 04, graded."""
    root = tmp_path_factory.mktemp("marking")
    solutions = root / "solutions"
    shutil.copytree(REPO / "solutions" / ASSIGNMENT, solutions / ASSIGNMENT)
    students = root / "class.csv"
    students.write_text("id,first_name,last_name\n"
                        + "".join(f"{i},{first},{last}\n" for i, first, last in STUDENTS),
                        encoding="utf-8")
    course = root / "cohort"
    kit("workshop", "new", str(course), "--students", str(students), "--solutions",
        str(solutions), cwd=root)
    for student in HANDED_IN:
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copy(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", folder)
        save_plan(good_plan(), folder / "plan.json")
    graded = kit("grade", str(course), ASSIGNMENT, "--workers", "1", "--sandbox",
                 sandbox_mode(), cwd=root)
    assert f"workshop open {course}" in graded.stdout  # the next step, as a command
    return course


@pytest.fixture(scope="module")
def opened(browser, graded_course, tmp_path_factory):
    """``consortia workshop open DIR``: yields the one address it printed."""
    log = tmp_path_factory.mktemp("open") / "workshop-open.txt"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        JUPYTER_CONFIG_DIR=str(log.parent / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(log.parent / "runtime"))
    with open(log, "wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "consortia.cli", "workshop", "open", str(graded_course),
             "--no-browser"], cwd=graded_course.parent, env=env, stdout=stream,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    printed = re.compile(r"^ +(http://127\.0\.0\.1:\d+/\S+\?token=\S+)$", re.MULTILINE)
    try:
        deadline = time.monotonic() + START_S
        while not (found := printed.search(log.read_text(encoding="utf-8"))):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"consortia workshop open printed no address:\n{log.read_text()}",
                            pytrace=False)
            time.sleep(0.5)
        yield found.group(1)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the command stops its JupyterLab
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # JupyterLab and kernels, if any are left


def open_marking_page(page, address: str):
    page.goto(address)
    page.get_by_role("button", name="Save to gradebook").wait_for()
    return page.locator(".kit-submission-picker select")


def options(picker) -> dict[str, str]:
    """The picker's labels as read (the widget shows spaces as no-break spaces) -> as shown."""
    shown = picker.locator("option").all_inner_texts()
    return {label.replace("\xa0", " "): label for label in shown}


def choose(picker, label: str) -> None:
    picker.select_option(label=options(picker)[label])


def criterion(page, criterion_id: str):
    return page.locator(f".kit-criterion-{criterion_id}")


def click_levels(page):
    """Click the level of ``CHOICES`` for every criterion, as a trainer does; the rubric."""
    rubric = rb.load_rubric("action_plan")
    for item in rubric.criteria:
        level = item.level(CHOICES[item.id])
        criterion(page, item.id).get_by_role(
            "button", name=f"{level.title} ({level.points:g})", exact=True).click()
    return rubric


def test_the_printed_address_opens_the_marking_page_with_the_plan_beside_the_rubric(
        page, opened, screenshot):
    assert "/voila/render/marking.ipynb?token=" in opened
    picker = open_marking_page(page, opened)
    labels = list(options(picker))
    assert [label.split(" (")[0] for label in labels] == ["ana - Ana Lopez", "ben - Ben Smith"]
    assert "ben - Ben Smith (to mark)" in labels  # carla handed nothing in: not listed
    assert page.get_by_text("Traceback").count() == 0

    # the plan as the kit's plan page draws it: timeline, activities, indicators, checks
    plan = page.frame_locator("iframe[title$='action plan']")
    plan.get_by_role("heading", name="Activities and timeline").wait_for()
    bars = plan.locator(".track .bar")
    assert bars.count() == len(good_plan().activities)
    bars.first.scroll_into_view_if_needed()
    assert all(box["width"] > 2 for box in (bar.bounding_box() for bar in bars.all()))
    for text in ("Agree who may join and the basic rules of production",
                 "Members attending monthly meetings", "the plan meets all"):
        plan.get_by_text(text).first.wait_for()
    # every level of every criterion, with its descriptor and points
    for item in rb.load_rubric("action_plan").criteria:
        block = criterion(page, item.id)
        for level in item.levels:
            assert block.get_by_role("button", name=f"{level.title} ({level.points:g})",
                                     exact=True).count() == 1
            assert " ".join(level.descriptor.split()[:8]) in block.inner_text()
    screenshot("page")


def test_a_trainer_marks_by_clicking_and_the_gradebook_holds_points_and_comment(
        page, opened, graded_course, screenshot):
    picker = open_marking_page(page, opened)
    choose(picker, next(label for label in options(picker) if label.startswith("ana - ")))
    page.get_by_text("Submission of ana").wait_for()
    rubric = click_levels(page)
    page.get_by_text("Total: 8 of 12 points").wait_for()
    page.locator(".kit-rubric-comment textarea").fill(COMMENT)
    page.get_by_role("button", name="Save to gradebook").click()
    status = page.locator(".kit-save-status")
    status.filter(has_text="Saved for ana with your comment").wait_for()
    assert "total 8 of 12" in status.inner_text()
    page.wait_for_function("""() => [...document.querySelectorAll('.kit-submission-picker option')]
        .some(o => o.textContent.replace(/\\u00a0/g, ' ') === 'ana - Ana Lopez (marked)')""")
    screenshot("saved")

    # the gradebook, read the way nbgrader's own tools read it
    with open_gradebook(graded_course) as gb:
        points = {grade_id: gb.find_grade(grade_id, NOTEBOOK, ASSIGNMENT, "ana").manual_score
                  for grade_id in rubric.grade_ids()}
        first = gb.find_comment(next(iter(rubric.grade_ids())), NOTEBOOK, ASSIGNMENT, "ana")
        comment = first.manual_comment
        total = gb.find_submission(ASSIGNMENT, "ana").score
    assert points == {"timeline_realism": 3, "indicators_quality": 2,
                      "roles_of_members_and_partners": 2, "evidence_from_the_case": 1}
    assert comment.startswith(COMMENT + "\n" + rb.COMMENT_PREFIX + "Realism of the timeline: "
                              "Strong (3 of 3 points).")
    assert total == 12 + 8  # every autograded check passed, plus the rubric's points
    statuses = {s.student: s.status for s in marking.submissions(graded_course, ASSIGNMENT)}
    assert statuses == {"ana": marking.MARKED, "ben": marking.TO_MARK}

    # reopening the page shows what was saved
    choose(open_marking_page(page, opened), "ana - Ana Lopez (marked)")
    page.get_by_text("Loaded the levels saved earlier for 4 criteria").wait_for()
    assert page.locator(".kit-rubric-comment textarea").input_value() == COMMENT


def test_the_page_links_to_formgrader_whose_exchange_works(page, opened, graded_course):
    open_marking_page(page, opened)
    with page.context.expect_page() as opening:
        page.get_by_role("link", name="nbgrader's formgrader").click()
    formgrader = opening.value
    rows = formgrader.locator("#main-table tr").filter(has_text=ASSIGNMENT)
    rows.first.wait_for()
    assert rows.first.locator(".num-submissions").inner_text().strip() == str(len(HANDED_IN))

    # formgrader's Release button: nbgrader's exchange is the course's own exchange/ folder
    base, token = opened.split("/voila/")[0], opened.rsplit("token=", 1)[1]
    request = urllib.request.Request(
        f"{base}/formgrader/api/assignment/{ASSIGNMENT}/release", data=b"", method="POST",
        headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    assert answer["success"], answer
    course_id = "cohort"
    released = graded_course / "exchange" / course_id / "outbound" / ASSIGNMENT
    assert (released / f"{NOTEBOOK}.ipynb").is_file()

    # the Nbgrader menu's Assignment List reads the same exchange, without an error
    listing = urllib.request.Request(f"{base}/assignments?course_id={course_id}",
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(listing, timeout=60) as response:
        answer = json.loads(response.read())
    assert answer["success"], answer
    assert [(a["assignment_id"], a["status"]) for a in answer["value"]] == [
        (ASSIGNMENT, "released")]


def test_a_participant_who_handed_in_through_the_exchange_sees_the_marks(
        page, opened, graded_course, tmp_path, screenshot):
    """The guide's last steps for carla, end to end: she fetches the assignment released
    by formgrader (the test above) and hands it in; the trainer collects, grades, marks
    in the browser and runs ``consortia report DIR ASSIGNMENT --release``; carla fetches
    her feedback and reads, in the browser, the levels and the trainer's comment."""
    import nbformat

    from exchange_fixtures import collect, fetch_feedback, hand_in, release_assignment

    if not (graded_course / "exchange" / "cohort" / "outbound" / ASSIGNMENT).is_dir():
        release_assignment(graded_course, ASSIGNMENT)  # this test run alone
    notebook = nbformat.read(graded_course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    hand_in(graded_course, ASSIGNMENT, "carla", tmp_path / "carla",
            {f"{NOTEBOOK}.ipynb": notebook, "plan.json": good_plan().model_dump_json(indent=1)})
    collect(graded_course, ASSIGNMENT)
    kit("grade", str(graded_course), ASSIGNMENT, "--workers", "1", "--sandbox", sandbox_mode(),
        cwd=graded_course.parent)

    picker = open_marking_page(page, opened)
    choose(picker, "carla - Carla Diaz (to mark)")
    page.get_by_text("Submission of carla").wait_for()
    rubric = click_levels(page)
    page.locator(".kit-rubric-comment textarea").fill(COMMENT)
    page.get_by_role("button", name="Save to gradebook").click()
    page.locator(".kit-save-status").filter(has_text="Saved for carla").wait_for()

    released = kit("report", str(graded_course), ASSIGNMENT, "--release",
                   cwd=graded_course.parent).stdout
    assert "carla" in released
    pages = fetch_feedback(graded_course, ASSIGNMENT, "carla", tmp_path / "carla")
    assert [p.name for p in pages] == [f"{NOTEBOOK}.html"]
    page.goto(pages[0].as_uri())
    page.get_by_text(COMMENT).first.wait_for()
    text = page.locator("body").inner_text()
    for item in rubric.criteria:
        level = item.level(CHOICES[item.id])
        assert item.title in text and level.title in text
    assert "20 of 24" in text  # every check passed, 8 of the rubric's 12 points
    assert "BEGIN HIDDEN" not in text and "checks.assert_" not in text
    screenshot("feedback")
