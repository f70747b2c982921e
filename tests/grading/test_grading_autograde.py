"""Round trip of `consortia grade` on a synthetic cohort of 30 submissions.

The cohort (built by :func:`build_cohort`, also used by ``benchmarks/grading.py``)
holds solved, blank and partly wrong notebooks and one submission of every hostile
kind the grader must survive: endless loops (one that even swallows interrupts),
exceptions at top level and inside a function, deleted, edited and duplicated test
cells, tampered points, a file that is not JSON, JSON that is not a notebook, a
missing notebook, a huge output, code that snoops for hidden tests, the gradebook
and other participants' work, and a malformed plan file. Every kind must end with
its expected score or flag while the rest of the cohort is graded, the gradebook
must stay consistent, and scores must equal stock ``nbgrader autograde``'s.
"""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

import nbformat
import pytest

import consortia
from consortia import cli
from consortia.grading import autograde
from grading_fixtures import (
    ASSIGNMENT,
    AUTO_POINTS,
    DIFFERENT_BY_DESIGN,
    EXPECTED,
    MAX_POINTS,
    NOTEBOOK,
    SECRET_ENV,
    STOCK_SUBSET,
    kind_of,
    make_course,
    participant_ids,
    sandbox_mode,
    solved_notebook,
    stock_autograde,
    submission,
    write_files,
)


def test_every_submission_has_its_expected_result(graded_cohort):
    run = graded_cohort.run
    assert len([o for o in run.outcomes if o.status != "absent"]) == 30
    problems = []
    for outcome in run.outcomes:
        expect = EXPECTED[kind_of(outcome.student)]
        got = (outcome.status, outcome.score)
        if got != (expect.status, expect.points):
            problems.append(f"{outcome.student}: {got} != {(expect.status, expect.points)} "
                            f"({outcome.reason}; {outcome.notes})")
        if expect.note and not any(expect.note in n for n in outcome.notes):
            problems.append(f"{outcome.student}: no note with {expect.note!r}: {outcome.notes}")
        if expect.reason and expect.reason not in outcome.reason:
            problems.append(f"{outcome.student}: reason {outcome.reason!r} lacks {expect.reason!r}")
        assert outcome.max_score == MAX_POINTS
    assert not problems, "\n".join(problems)


def test_solutions_full_marks_and_blanks_zero_without_notes(graded_cohort):
    for outcome in graded_cohort.run.outcomes:
        if kind_of(outcome.student) in ("solved", "blank"):
            assert outcome.notes == [], outcome
            assert outcome.needs_manual_grade == (kind_of(outcome.student) == "solved")


def test_graded_notebooks_written_and_failed_ones_removed(graded_cohort):
    autograded = graded_cohort.course / "autograded"
    for outcome in graded_cohort.run.outcomes:
        path = autograded / outcome.student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        assert path.exists() == (outcome.status == "graded"), outcome.student


def test_huge_output_is_cut(graded_cohort):
    student = next(s for s in participant_ids() if kind_of(s) == "huge-output")
    path = graded_cohort.course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert path.stat().st_size < 300_000
    assert "saved saved" not in path.read_text(encoding="utf-8")  # the saved output is cleared


def test_gradebook_is_consistent(graded_cohort):
    from nbgrader.api import Gradebook

    db = graded_cohort.course / "gradebook.db"
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Gradebook(f"sqlite:///{db}") as gb:
        submissions = gb.assignment_submissions(ASSIGNMENT)
        assert len(submissions) == 30
        for submission in submissions:
            outcome = graded_cohort.run.outcome(submission.student.id, ASSIGNMENT)
            assert submission.score == outcome.score
            assert len(submission.notebooks) == 1
            assert len(submission.notebooks[0].grades) == 3


def test_outcomes_saved_for_feedback_and_report(graded_cohort):
    saved = autograde.load_outcomes(graded_cohort.course, ASSIGNMENT)
    assert [o.as_dict() for o in saved] == [o.as_dict() for o in graded_cohort.run.outcomes]


def test_progress_reports_every_submission(graded_cohort):
    lines = graded_cohort.progress.strip().splitlines()
    assert len(lines) == 30
    assert lines[-1].startswith("[30/30] ")
    assert any("FAILED: " in line for line in lines)


def test_snooping_code_found_nothing(graded_cohort):
    if graded_cohort.run.sandbox != "bwrap":
        pytest.skip("bubblewrap is not available here: submissions were graded without a "
                    "sandbox (set REQUIRE_SANDBOX=1 to make this a failure)")
    student = next(s for s in participant_ids() if kind_of(s) == "snoop")
    path = graded_cohort.course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
                   for o in c.get("outputs", []))
    lines = text.splitlines()
    assert not (graded_cohort.course / "written-by-a-participant.txt").exists()
    assert "BLOCKED /etc/shadow FileNotFoundError" in lines, text
    assert not [line for line in lines if line.startswith(("READ", "WROTE"))], text
    # the only notebooks it may find are the kit's own public ones (the package is
    # bound read-only for imports, e.g. when the kit itself lives under /tmp)
    found = ast.literal_eval(next(line for line in lines if line.startswith("NOTEBOOKS "))[10:])
    package = Path(consortia.__file__).resolve().parent
    assert all(Path(path).is_relative_to(package) for path in found), found
    env = next(line for line in lines if line.startswith("ENV "))
    assert SECRET_ENV not in env and "HOME" in env
    listings = [line for line in lines if line.startswith("LIST ")]
    assert listings, text
    for line in listings:  # the folders it could list hold nothing of the course
        assert "gradebook.db" not in line and "submitted" not in line, line
        assert not any(other in line for other in participant_ids()), line


def test_scores_equal_stock_nbgrader(graded_cohort):
    proc = stock_autograde(graded_cohort.stock_course)
    assert "Traceback" not in proc.stdout
    stock = autograde.gradebook_scores(graded_cohort.stock_course, ASSIGNMENT)
    ours = {o.student: o.score for o in graded_cohort.run.outcomes}
    compared = {s: (stock.get(s, 0.0), ours[s]) for s in stock}
    assert len(compared) >= len(STOCK_SUBSET) - 1  # stock skips a folder without a notebook
    differ = {s: pair for s, pair in compared.items() if pair[0] != pair[1]}
    assert {kind_of(s) for s in differ} == set(DIFFERENT_BY_DESIGN), differ
    assert all(theirs == 0 for theirs, _ in differ.values())  # nbgrader failed on them


def test_a_crashed_worker_costs_only_its_submission(tmp_path, monkeypatch):
    """A worker process that dies while it grades costs only that submission."""
    from consortia.grading import workers

    course = make_course(tmp_path, ["ana", "ben", "carl"])
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    for student in ("ana", "ben", "carl"):
        write_files(course / "submitted" / student / ASSIGNMENT,
                    submission("solved", release, source, course, "x"))
    crashing = ("import os\nfrom consortia.grading import workers\nreal = workers.run_job\n"
                "def run_job(job, *rest):\n    if job.student == 'ben':\n        os._exit(9)\n"
                "    return real(job, *rest)\nworkers.run_job = run_job\nworkers.worker_main()")
    monkeypatch.setattr(workers.Worker, "COMMAND", crashing)
    run = autograde.grade(course, ASSIGNMENT, sandbox=sandbox_mode(), workers=1)
    assert run.outcome("ben", ASSIGNMENT).status == "failed"
    assert "worker crashed" in run.outcome("ben", ASSIGNMENT).reason
    assert "grade it again with" in run.outcome("ben", ASSIGNMENT).reason
    for student in ("ana", "carl"):
        assert run.outcome(student, ASSIGNMENT).score == AUTO_POINTS


# --- the kit's own assignments ------------------------------------------------------------


def test_kit_assignments_solutions_full_marks_blanks_zero(tmp_path):
    """The real assignments of solutions/: solved ones pass every test, blanks score 0."""
    from nbgrader.api import Gradebook

    from consortia.grading.workshop import find_assignments, kit_solutions, new_workshop

    assignments = find_assignments(kit_solutions())
    if not assignments:
        pytest.skip("the kit's solutions/ holds no assignments yet")
    students = tmp_path / "students.csv"
    students.write_text("id,first_name,last_name\nsolved,S,S\nblank,B,B\n", encoding="utf-8")
    course = new_workshop(tmp_path / "course", students).folder
    for name in assignments:
        for path in sorted((course / "release" / name).glob("*.ipynb")):
            release = nbformat.read(path, 4)
            source = nbformat.read(course / "source" / name / path.name, 4)
            write_files(course / "submitted" / "solved" / name, {path.name: solved_notebook(release,
                                                                                     source)})
            write_files(course / "submitted" / "blank" / name, {path.name: release})
    run = autograde.grade(course, sandbox=sandbox_mode())
    assert {(o.status, tuple(o.notes)) for o in run.outcomes} == {("graded", ())}, run.outcomes
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for name in assignments:
            blank = gb.find_submission(name, "blank")
            assert blank.score == 0, name
            for notebook in gb.find_submission(name, "solved").notebooks:
                answers = {c.name for c in notebook.notebook.solution_cells}
                tests = [g for g in notebook.grades
                         if g.cell.cell_type == "code" and g.name not in answers]
                assert tests, name
                failed = [g.name for g in tests if g.auto_score != g.max_score]
                assert not failed, f"{name}: solution fails {failed}"


# --- the command line -------------------------------------------------------------------


def test_cli_grade_on_a_small_course(tmp_path, capsys):
    course = make_course(tmp_path, ["ana", "ben", "carl"])
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    write_files(course / "submitted" / "ana" / ASSIGNMENT,
                submission("solved", release, source, course, "ben"))
    write_files(course / "submitted" / "ben" / ASSIGNMENT,
                submission("not-json", release, source, course, "ana"))
    code = cli.main(["grade", str(course), "--workers", "2", "--timeout", "5",
                     "--sandbox", sandbox_mode(), "--memory", "1 GiB"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "[3/3]" in captured.err and "sandbox" in captured.err
    # which limits hold, and how, said before the first submission is graded
    assert "limits of each submission" in captured.err
    assert "memory: 1 GiB" in captured.err and "processes and threads: 256" in captured.err
    assert captured.err.index("runs as:") < captured.err.index("[1/3]")
    assert "2 submissions in" in captured.out and "1 graded, 1 flagged" in captured.out
    assert "FLAGGED ben" in captured.out
    assert "1 submission has parts to mark by hand" in captured.out  # ana's written answer
    assert (course / "feedback" / "ana" / ASSIGNMENT / f"{NOTEBOOK}.html").exists()
    assert (course / "reports" / ASSIGNMENT / "report.html").exists()
    assert (course / "reports" / ASSIGNMENT / "scores.csv").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["grade", "{tmp}/nowhere"], "is not a course folder"),
    (["grade", "{course}", "no_such_assignment"], "unknown assignment 'no_such_assignment'"),
    (["grade", "{course}", "--workers", "0"], "--workers must be at least 1"),
    (["grade", "{course}", "--memory", "lots"], "'lots' is not a size"),
])
def test_cli_grade_errors(tmp_path, capsys, args, message):
    course = make_course(tmp_path, ["ana"]) if "{course}" in " ".join(args) else tmp_path
    argv = [a.format(tmp=tmp_path, course=course) for a in args]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(("error", "says"), [
    (OSError(28, "No space left on device"), "the disk of this computer is full"),
    (RuntimeError("database or disk is full"), "the disk of this computer is full"),
    (RuntimeError("database is locked"), "another program held the gradebook"),
    (KeyError("answer_1"), "mark this submission by hand and report the detail"),
])
def test_a_grade_that_cannot_be_saved_says_why_and_what_to_do(tmp_path, error, says):
    from consortia._paths import kit_command

    reason = autograde.not_saved_reason(error, tmp_path, "ana", ASSIGNMENT)
    assert reason.startswith("the grades of ana could not be saved") and says in reason
    assert kit_command("grade", tmp_path, ASSIGNMENT) in reason  # what to run, as printed
    assert reason.endswith(")") and "technical detail: " in reason  # the detail comes last
