"""Hostile participants against the grader on a shared server: one bounded case per attack.

The cohort of ``tests/support/hostile_fixtures.py`` is graded once for the module,
as root (as in CI, a container or a workshop server), in the bubblewrap sandbox with
small limits. Each test reads one submission's outcome, its graded notebook or its
feedback. Probes of kernel interfaces only ever *open* them, never write.
Separate tests grade as an ordinary user, kill a run half-way, and start two runs on
one course at once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from consortia.grading import autograde, feedback, sandbox
from consortia.grading.sandbox import UID_BASE
from hostile_fixtures import (
    ASSIGNMENT,
    HIDDEN_MARKERS,
    NOTEBOOK,
    POINTS,
    answered,
    as_ordinary_user,
    build,
    give_course_to,
    make_course,
    ordinary_user,
    with_cell,
    write_files,
)

pytestmark = [pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]


def require_root_sandbox() -> None:
    problem = sandbox.bwrap_problem()
    if problem or os.geteuid() != 0:
        why = problem or "the tests of a root grader need root"
        if os.environ.get("REQUIRE_SANDBOX") == "1" and not problem and os.geteuid() != 0:
            pytest.skip(why)
        if os.environ.get("REQUIRE_SANDBOX") == "1" and problem:
            pytest.fail(f"REQUIRE_SANDBOX=1 but the sandbox is unavailable: {problem}")
        pytest.skip(why)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_root_sandbox()
    course = build(tmp_path_factory.mktemp("hostile"))
    started = time.monotonic()
    run = autograde.grade(course, ASSIGNMENT, sandbox="bwrap", workers=2)
    seconds = time.monotonic() - started
    feedback.write_feedback(course, run.outcomes)
    return {"course": course, "run": run, "seconds": seconds}


def outcome(graded, student):
    return graded["run"].outcome(student, ASSIGNMENT)


def graded_cells(graded, student) -> list:
    path = graded["course"] / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    return nbformat.read(path, 4).cells


def printed(graded, student, marker: str) -> str:
    """The printed output of the participant's cell that printed ``marker``."""
    for cell in graded_cells(graded, student):
        text = "".join(o.get("text", "") for o in cell.get("outputs", []))
        if marker in text:
            return text
    raise AssertionError(f"{student}: no output with {marker!r}")


# --- the kernel never runs as root and cannot reach the host -------------------------------


def test_the_kernel_runs_as_a_user_of_its_own_that_cannot_escape(graded):
    text = printed(graded, "escape", "UID")
    uid = int(text.split()[1])
    assert uid >= UID_BASE and uid != 0
    for path in ("/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger"):
        assert f"REFUSED {path}" in text, text
    assert "OPENED" not in text and "SYS False" in text
    assert "SETUID refused" in text and "NoNewPrivs: 1" in text
    assert "CapEff: 0000000000000000" in text and "CapBnd: 0000000000000000" in text
    assert "USERNS refused" in text
    assert "OWNS-OUTSIDE 0" in text
    assert outcome(graded, "escape").score == POINTS  # probing costs nothing, breaks nothing


def test_no_process_of_a_kernel_outlives_grading(graded):
    # the linger submission left a thread, an atexit hook, a child ignoring signals and
    # a daemon in a session of its own
    assert "LINGERING" in printed(graded, "linger", "LINGERING")
    assert outcome(graded, "linger").score == POINTS
    assert outcome(graded, "linger").seconds < 60 + 15
    left = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if UID_BASE <= entry.stat().st_uid < UID_BASE + 100:
                    left.append((entry.name, (entry / "cmdline").read_bytes()))
            except OSError:
                continue
    assert left == []


# --- points come from code the participant cannot change ------------------------------------


def test_replacing_the_test_helpers_scores_nothing(graded):
    forger = outcome(graded, "forger")
    assert forger.score == 0
    assert any("changed the kit's grading helpers" in n for n in forger.notes), forger.notes
    swapper = outcome(graded, "swapper")
    assert swapper.score == 0
    assert any("changed the kit's grading helpers" in n for n in swapper.notes)
    assert outcome(graded, "honest").score == POINTS
    assert outcome(graded, "honest").notes == []


def test_a_hand_in_file_never_stands_in_for_a_module(graded):
    assert outcome(graded, "shadow").score == 0  # wrong answers, whatever its checks.py says
    assert not list(graded["course"].glob("**/SHADOWED"))
    launcher = outcome(graded, "launcher")
    assert launcher.status == "graded" and launcher.score == POINTS
    assert not list(graded["course"].glob("**/LAUNCHER-RAN"))


def test_feedback_never_shows_the_hidden_tests(graded):
    leaker = outcome(graded, "leaker")
    assert leaker.score == POINTS - 1  # its double raises
    leaked = next(o for c in graded_cells(graded, "leaker")
                  if (c.metadata.get("nbgrader") or {}).get("grade_id") == "test_double"
                  for o in c.outputs if o.output_type == "error")
    assert HIDDEN_MARKERS[1] in leaked.evalue  # the participant's code did grab the test
    page = graded["course"] / "feedback" / "leaker" / ASSIGNMENT / f"{NOTEBOOK}.html"
    text = page.read_text(encoding="utf-8")
    assert "Test double" in text and "not shown" in text
    for marker in HIDDEN_MARKERS:
        assert marker not in text
    for student in ("forger", "honest", "shadow"):
        text = (graded["course"] / "feedback" / student / ASSIGNMENT /
                f"{NOTEBOOK}.html").read_text(encoding="utf-8")
        assert not any(marker in text for marker in HIDDEN_MARKERS), student


# --- limits that hold, name themselves, and cost only the submission --------------------------


def test_limits_cannot_be_raised_by_the_participant(graded):
    text = printed(graded, "rlimit", "raise")
    assert "REFUSED raise" in text and "STOPPED File too large" in text
    rlimit = outcome(graded, "rlimit")
    assert rlimit.score == POINTS
    assert any("wrote a file larger than 8 MB" in n and "nbgrader_config.py" in n
               for n in rlimit.notes), rlimit.notes


@pytest.mark.parametrize(("student", "words", "note"), [
    ("memory", "STOPPED at", "used more than 384 MiB of memory"),
    ("processes", "STOPPED after", "started more than 64 processes or threads"),
    ("disk", "STOPPED at", "wrote more than 24 MB to its folder"),
    ("tmp", "STOPPED at", "16 MB to /tmp"),
])
def test_a_submission_over_a_limit_is_stopped_named_and_keeps_its_points(graded, student,
                                                                         words, note):
    assert words in printed(graded, student, words)
    result = outcome(graded, student)
    assert result.status == "graded" and result.score == POINTS
    assert any(note in n and "the limit is set in nbgrader_config.py" in n
               for n in result.notes), result.notes


def test_cpu_time_stops_the_kernel_and_keeps_the_points_before(graded):
    cpu = outcome(graded, "cpu")
    assert cpu.status == "graded"
    assert cpu.score == 2  # the answer's test ran before the loop; the others never ran
    assert any("more than 6 s of CPU time" in n for n in cpu.notes), cpu.notes
    assert cpu.seconds < 40  # stopped by the CPU limit, before the cell's time limit


def test_one_submission_s_limits_never_change_another_s_result(graded):
    for student in ("honest", "launcher", "escape", "rlimit", "memory", "disk", "tmp",
                    "processes", "linger"):
        assert outcome(graded, student).score == POINTS, outcome(graded, student)


# --- odd files are flagged with a plain reason, never followed ---------------------------------


@pytest.mark.parametrize(("student", "reason"), [
    ("link-shadow", "is a link to another file"),
    ("link-peer", "is a link to another file"),
    ("folder", "is a folder, not a notebook"),
    ("huge", "150 MB, over the limit of 100 MB"),
    ("many-cells", "cells, more than the 5,000 a notebook can have"),
    ("old-format", "old notebook format (nbformat 3)"),
    ("not-utf8", "not text (UTF-8)"),
    ("linked-folder", "is a link to another folder"),
])
def test_odd_submissions_are_flagged_with_a_plain_reason(graded, student, reason):
    result = outcome(graded, student)
    assert result.status == "failed" and result.score == 0
    assert reason in result.reason, result.reason
    assert "Error" not in result.reason and "Traceback" not in result.reason


def test_a_folder_name_with_a_newline_is_flagged(graded):
    result = outcome(graded, "new\nline")
    assert result.status == "failed" and "not a participant id" in result.reason
    assert "\\n" in result.reason and "\n" not in result.reason


def test_a_graded_cell_the_participant_added_is_reported_and_not_scored(graded):
    result = outcome(graded, "added-cell")
    assert result.status == "graded" and result.score == POINTS
    assert any("'bonus' was added by the participant" in n and "not scored" in n
               for n in result.notes), result.notes


def test_the_whole_cohort_is_graded_in_bounded_time(graded):
    assert graded["seconds"] < 180, graded["seconds"]


# --- the gradebook stays true: killed runs, runs at once ---------------------------------------


def _slow_course(root: Path, students: int = 3) -> Path:
    ids = [f"p{n}" for n in range(students)]
    course = make_course(root, ids)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    for pid in ids:
        nb = with_cell(answered(release), "import time\ntime.sleep(2)", after="test_result")
        write_files(course / "submitted" / pid / ASSIGNMENT, {f"{NOTEBOOK}.ipynb": nb})
    return course


def _grade_command(course: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "consortia.cli", "grade", str(course), "--workers", "1",
            "--sandbox", "bwrap", *extra]


def _submissions(course: Path) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(course / "gradebook.db") as db:
        return db.execute("select student_id, assignment_id from submitted_assignment "
                          "join assignment on assignment.id = assignment_id").fetchall()


def test_a_killed_run_leaves_no_trace_and_the_next_grades_each_once(tmp_path):
    require_root_sandbox()
    course = _slow_course(tmp_path)
    proc = subprocess.Popen(_grade_command(course), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    outcomes = course / "reports" / ASSIGNMENT / "grading.json"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if outcomes.exists():
            statuses = [o["status"] for o in json.loads(outcomes.read_text())["outcomes"]]
            if "graded" in statuses and "pending" in statuses:
                break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    statuses = [o["status"] for o in json.loads(outcomes.read_text())["outcomes"]]
    assert "pending" in statuses  # shown as not graded, not as zero
    recorded = _submissions(course)
    assert len(recorded) == statuses.count("graded")  # a pending one has no grades yet
    done = subprocess.run(_grade_command(course), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    final = json.loads(outcomes.read_text())
    assert final["finished"] and {o["status"] for o in final["outcomes"]} == {"graded"}
    assert sorted(_submissions(course)) == sorted(set(_submissions(course)))
    assert len(_submissions(course)) == 3
    assert not [p for p in Path("/tmp").glob(f"cg-{proc.pid}-*")]  # the killed run's copies
    assert not list((course / ".grading").glob("snapshot-*.db"))
    mounts = Path("/proc/self/mounts").read_text()
    assert f"/cg-{proc.pid}-" not in mounts  # its working copies are unmounted


def test_two_runs_on_one_course_wait_or_refuse_with_a_message(tmp_path):
    require_root_sandbox()
    course = _slow_course(tmp_path, students=1)
    first = subprocess.Popen(_grade_command(course), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    lock = course / ".grading" / "lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text()):
        time.sleep(0.1)
    refused = subprocess.run(_grade_command(course), capture_output=True, text=True,
                             timeout=60)
    waited = subprocess.run(_grade_command(course, "--wait"), capture_output=True, text=True,
                            timeout=300)
    first.wait(timeout=300)
    assert first.returncode == 0, first.stderr.read()
    assert refused.returncode == 2
    assert "another 'consortia grade' is grading" in refused.stderr
    assert "--wait" in refused.stderr and "Traceback" not in refused.stderr
    assert waited.returncode == 0, waited.stderr
    assert len(_submissions(course)) == 1


# --- as an ordinary user -------------------------------------------------------------------------


@pytest.fixture
def shared_folder():
    """A folder an ordinary user can reach (pytest's own lie under a private one)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="consortia-user-test-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_an_ordinary_user_grades_in_a_user_namespace_that_cannot_escape(shared_folder):
    """`consortia grade` run by an ordinary user: the kernel is that user, confined."""
    require_root_sandbox()
    tmp_path = shared_folder
    uid, gid = ordinary_user()
    course = make_course(tmp_path, ["honest", "escape"])
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    from hostile_fixtures import ESCAPE

    write_files(course / "submitted" / "honest" / ASSIGNMENT,
                {f"{NOTEBOOK}.ipynb": answered(release)})
    write_files(course / "submitted" / "escape" / ASSIGNMENT,
                {f"{NOTEBOOK}.ipynb": with_cell(answered(release), ESCAPE)})
    give_course_to(tmp_path, uid, gid)
    os.chmod(tmp_path, 0o755)
    done = subprocess.run(as_ordinary_user(_grade_command(course)), capture_output=True,
                          text=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert f"the grader's own user id ({uid}) inside a user namespace" in done.stderr
    outcomes = {o["student"]: o for o in json.loads(
        (course / "reports" / ASSIGNMENT / "grading.json").read_text())["outcomes"]}
    assert outcomes["honest"]["score"] == POINTS and outcomes["escape"]["score"] == POINTS
    cells = nbformat.read(course / "autograded" / "escape" / ASSIGNMENT /
                          f"{NOTEBOOK}.ipynb", 4).cells
    text = next("".join(o.get("text", "") for o in c.outputs) for c in cells
                if c.cell_type == "code" and "UID" in "".join(
                    o.get("text", "") for o in c.outputs))
    assert f"UID {uid} {uid}" in text and uid != 0
    assert "REFUSED /proc/sys/kernel/core_pattern" in text and "OPENED" not in text
    assert "SYS False" in text and "USERNS refused" in text and "NoNewPrivs: 1" in text
