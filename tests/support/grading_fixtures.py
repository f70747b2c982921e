"""Shared builders for the grading tests and benchmarks/grading.py.

A tiny nbgrader assignment (``plan_check``: a solution cell, visible and hidden
tests, a manually graded answer), the course folder made from it, and a synthetic
cohort of 30 submissions that holds every hostile kind the grader must survive.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from consortia.grading import autograde, workshop

ASSIGNMENT = "plan_check"
NOTEBOOK = "plan_check"

SOLUTION_COUNT = '''\
def count_phases(activities):
    """How many different phases the activities cover."""
    ### BEGIN SOLUTION
    return len({a["phase"] for a in activities})
    ### END SOLUTION'''

TEST_COUNT = '''\
assert count_phases([{"phase": 1}, {"phase": 1}]) == 1, "one phase, two activities: 1 phase"
### BEGIN HIDDEN TESTS
assert count_phases([]) == 0, "an empty plan covers no phase"
assert count_phases([{"phase": p} for p in (1, 2, 3, 3)]) == 3, "SECRET-HIDDEN-CHECK: 3 phases"
### END HIDDEN TESTS'''

SOLUTION_FIRST = '''\
def first_phase(path):
    """The earliest phase of the plan stored at path."""
    ### BEGIN SOLUTION
    from consortia.plans.files import load_plan  # SOLUTION-ONLY-LINE
    return min(a.phase for a in load_plan(path).activities)
    ### END SOLUTION'''

TEST_PLAN = '''\
import json
found = first_phase("plan.json")
with open("plan.json", encoding="utf-8") as f:
    expected = min(a["phase"] for a in json.load(f)["activities"])
assert found == expected, f"first_phase gave {found}, the plan starts in phase {expected}"'''

EXPLAIN = """\
Why must phase I come before the others?

### BEGIN SOLUTION
Because MODEL-ANSWER-TEXT the partners must first know each other.
### END SOLUTION"""

#: Points of the autograded tests (test_count 2, test_plan 1); the answer is worth 1 more.
AUTO_POINTS = 3.0
MAX_POINTS = 4.0


def _meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> nbformat.NotebookNode:
    """The instructor's notebook of the synthetic assignment."""
    return new_notebook(
        cells=[
            new_markdown_cell("# Plan check\nCount the phases of a plan.",
                              metadata=_meta("intro", locked=True)),
            new_code_cell(SOLUTION_COUNT, metadata=_meta("count", solution=True)),
            new_code_cell(TEST_COUNT, metadata=_meta("test_count", grade=True, locked=True,
                                                     points=2)),
            new_code_cell(SOLUTION_FIRST, metadata=_meta("first", solution=True)),
            new_code_cell(TEST_PLAN, metadata=_meta("test_plan", grade=True, locked=True,
                                                    points=1)),
            new_markdown_cell(EXPLAIN, metadata=_meta("explain", solution=True, grade=True,
                                                      points=1)),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"},
                  "language_info": {"name": "python"}},
    )


def write_solutions(root: Path) -> Path:
    """A solutions/ folder with the synthetic assignment; returns the folder."""
    folder = root / "solutions" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(source_notebook(), folder / f"{NOTEBOOK}.ipynb")
    return root / "solutions"


def write_class_list(path: Path, ids: list[str], *, extra: str = "") -> Path:
    """A class list with the given ids (and a column that must be ignored)."""
    at = "@"
    lines = ["id,first_name,last_name,email,phone" + extra]
    for n, pid in enumerate(ids):
        lines.append(f"{pid},First{n},Last{n},p{n}{at}example.org,not-stored-{n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_course(root: Path, ids: list[str], *, timeout: int = 5) -> Path:
    """A course folder for ``ids`` with the synthetic assignment; returns the folder."""
    solutions = write_solutions(root)
    students = write_class_list(root / "students.csv", ids)
    course = root / "course"
    workshop.new_workshop(course, students, solutions=solutions, timeout=timeout)
    return course



#: Seconds a cell may run in the test cohort (the loops cost this much each).
TIMEOUT = 5

#: An environment variable of the grader that graded code must not see.
SECRET_ENV = "CONSORTIA_TEST_SECRET_TOKEN"


@dataclass(frozen=True)
class Expect:
    status: str
    points: float  # autograded points (the manual answer scores 0 until graded)
    note: str = ""  # a phrase expected among the outcome's notes
    reason: str = ""  # a phrase expected in the reason (failed, missing)


EXPECTED = {
    "solved": Expect("graded", AUTO_POINTS),
    "blank": Expect("graded", 0),
    "partial": Expect("graded", 1),
    "loop-top": Expect("graded", 1, note=f"ran longer than {TIMEOUT} s"),
    "loop-func": Expect("graded", 1, note=f"ran longer than {TIMEOUT} s"),
    "loop-stubborn": Expect("failed", 0, reason="did not stop when interrupted"),
    "raise-top": Expect("graded", 1),
    "raise-func": Expect("graded", 1),
    "deleted-test": Expect("graded", AUTO_POINTS, note="'test_count' had been deleted"),
    "edited-test": Expect("graded", 1, note="'test_count' had been edited"),
    "duplicated-test": Expect("graded", AUTO_POINTS, note="'test_count' appears more than once"),
    "tampered-points": Expect("graded", AUTO_POINTS, note="points of cell 'test_plan'"),
    "not-json": Expect("failed", 0, reason="not valid JSON"),
    "not-a-notebook": Expect("failed", 0, reason="not a valid notebook"),
    "missing-notebook": Expect("missing", 0, reason="expected plan_check.ipynb"),
    "huge-output": Expect("graded", AUTO_POINTS, note="the rest was cut"),
    "snoop": Expect("graded", AUTO_POINTS),
    "malformed-plan": Expect("graded", 2),
}

#: 30 submissions: every hostile kind once, the rest ordinary work.
COHORT = (["solved"] * 10 + ["blank"] * 2 + ["partial"] * 3
          + [k for k in EXPECTED if k not in ("solved", "blank", "partial")])

#: Kinds whose score differs from stock nbgrader on purpose, and why.
DIFFERENT_BY_DESIGN = {
    "duplicated-test": "nbgrader 0.9.6 fails on duplicated graded cells when it restores deleted "
                       "ones (KeyError 'grade_id') and scores 0; consortia grade grades the last "
                       "copy",
}

#: Submissions also graded by stock nbgrader in the test (the benchmark compares all 30).
STOCK_SUBSET = ["solved", "blank", "partial", "raise-func", "deleted-test", "edited-test",
                "duplicated-test", "tampered-points", "not-json", "missing-notebook",
                "huge-output", "malformed-plan"]


def participant_ids() -> list[str]:
    return [f"p{n:02d}-{kind}" for n, kind in enumerate(COHORT, 1)]


def kind_of(student: str) -> str:
    return student.split("-", 1)[1]


# --- building submissions ---------------------------------------------------------------


def _gid(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _answer(source_cell) -> str:
    return "\n".join(line for line in source_cell.source.splitlines() if "### " not in line)


def solved_notebook(release, source):
    nb = copy.deepcopy(release)
    answers = {_gid(c): c for c in source.cells}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = _answer(answers[_gid(cell)])
    return nb


def _set(nb, grade_id: str, text: str):
    for cell in nb.cells:
        if _gid(cell) == grade_id:
            cell.source = text
    return nb


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if _gid(c) == grade_id)


WRONG_COUNT = "def count_phases(activities):\n    return len(activities)"


def snoop_code(course: Path, other: str) -> str:
    """Code that tries every way we could think of to read what it must not."""
    targets = [course / "gradebook.db", course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
               course / "submitted" / other / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
               course / "nbgrader_config.py", Path(__file__).resolve().parents[2] / "solutions",
               "../../../gradebook.db", "/etc/shadow"]
    return f"""\
import glob, os
findings = []
for path in {[str(t) for t in targets]!r}:
    try:
        if os.path.isdir(path):
            findings.append("READ " + path + " " + str(os.listdir(path)))
        else:
            with open(path, "rb") as f:
                findings.append("READ " + path + " " + repr(f.read(40)))
    except OSError as exc:
        findings.append("BLOCKED " + path + " " + type(exc).__name__)
for folder in ["..", "../..", "/tmp", {str(course)!r}, {str(course.parent)!r}]:
    try:
        findings.append("LIST " + folder + " " + str(sorted(os.listdir(folder))))
    except OSError as exc:
        findings.append("BLOCKED list " + folder + " " + type(exc).__name__)
findings.append("NOTEBOOKS " + str(glob.glob("/tmp/**/*.ipynb", recursive=True)
                                   + glob.glob("../**/*.ipynb", recursive=True)))
findings.append("ENV " + " ".join(sorted(os.environ)))
try:  # a harmless file beside the gradebook: without a sandbox this succeeds
    with open({str(course / "written-by-a-participant.txt")!r}, "w") as f:
        f.write("x")
    findings.append("WROTE into the course folder")
except OSError as exc:
    findings.append("BLOCKED write " + type(exc).__name__)
print("\\n".join(findings))"""


def submission(kind: str, release, source, course: Path, other: str) -> dict[str, object]:
    """The files of one submission of ``kind``: name -> notebook, bytes or text."""
    from plan_fixtures import good_plan

    nb = solved_notebook(release, source)
    files: dict[str, object] = {}
    plan = good_plan().model_dump_json(indent=1)
    if kind == "blank":
        return {f"{NOTEBOOK}.ipynb": copy.deepcopy(release)}
    if kind == "partial":
        _set(nb, "count", WRONG_COUNT)
    elif kind == "loop-top":
        _set(nb, "count", "while True:\n    pass\n" + _answer(source.cells[1]))
    elif kind == "loop-func":
        _set(nb, "count", "def count_phases(activities):\n    while True:\n        pass")
    elif kind == "loop-stubborn":
        _set(nb, "count", "def count_phases(activities):\n    while True:\n        try:\n"
                          "            while True:\n                pass\n"
                          "        except KeyboardInterrupt:\n            pass")
    elif kind == "raise-top":
        _set(nb, "count", 'raise RuntimeError("stopped at top level")\n'
                          + _answer(source.cells[1]))
    elif kind == "raise-func":
        _set(nb, "count", 'def count_phases(activities):\n    raise ValueError("no phases here")')
    elif kind == "deleted-test":
        del nb.cells[_index(nb, "test_count")]
    elif kind == "edited-test":
        _set(nb, "count", WRONG_COUNT)
        _set(nb, "test_count", "pass  # nothing to see here")
    elif kind == "duplicated-test":
        at = _index(nb, "test_count")
        duplicate = copy.deepcopy(nb.cells[at])
        duplicate.id = "copy-of-test-count"  # as Jupyter gives a pasted cell a new id
        nb.cells.insert(at + 1, duplicate)
    elif kind == "tampered-points":
        nb.cells[_index(nb, "test_plan")].metadata["nbgrader"]["points"] = 100
    elif kind == "not-json":
        files[f"{NOTEBOOK}.ipynb"] = b'{"cells": [ this is not JSON'
        nb = None
    elif kind == "not-a-notebook":
        files[f"{NOTEBOOK}.ipynb"] = b'{"hello": "a JSON file, but not a notebook"}'
        nb = None
    elif kind == "missing-notebook":
        files["Copy of plan_check.ipynb"] = nb
        nb = None
    elif kind == "huge-output":
        nb.cells.insert(1, nbformat.v4.new_code_cell(
            'for i in range(150_000):\n    print("a very long line of output", i)',
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="saved " * 500_000)]))
    elif kind == "snoop":
        nb.cells.insert(1, nbformat.v4.new_code_cell(snoop_code(course, other)))
    elif kind == "malformed-plan":
        plan = '{"consortium": "Toledo", "activities": [ {"id": oops'
    if nb is not None:
        files[f"{NOTEBOOK}.ipynb"] = nb
    files["plan.json"] = plan
    return files


def write_files(folder: Path, files: dict[str, object]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        elif isinstance(content, str):
            (folder / name).write_text(content, encoding="utf-8")
        else:
            nbformat.write(content, folder / name)


def build_cohort(root: Path, *, timeout: int = TIMEOUT) -> Path:
    """A course folder in ``root`` with the 30 submissions of :data:`COHORT`."""
    ids = participant_ids()
    course = make_course(root, ids, timeout=timeout)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    for student in ids:
        files = submission(kind_of(student), release, source, course, other=ids[0])
        write_files(course / "submitted" / student / ASSIGNMENT, files)
    return course


def stock_autograde(course: Path, assignment: str = ASSIGNMENT) -> subprocess.CompletedProcess:
    """Run stock ``nbgrader autograde`` in ``course`` (it exits 1 when a submission fails)."""
    nbgrader = Path(sys.executable).with_name("nbgrader")
    env = {**os.environ, "PATH": f"{nbgrader.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(nbgrader), "autograde", assignment, "--force"], cwd=course,
                          capture_output=True, text=True, env=env, timeout=900)


def subset_copy(course: Path, target: Path, kinds: list[str]) -> Path:
    """A copy of ``course`` keeping the first submission of each of ``kinds``."""
    shutil.copytree(course, target)
    keep = {next(s for s in participant_ids() if kind_of(s) == k) for k in kinds}
    for folder in (target / "submitted").iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder)
    return target


def sandbox_mode() -> str:
    """bwrap when available (required when REQUIRE_SANDBOX=1), else none."""
    from consortia.grading.sandbox import bwrap_problem

    if os.environ.get("REQUIRE_SANDBOX") == "1":
        return "bwrap"
    return "none" if bwrap_problem() else "bwrap"


# --- the graded cohort (shared by the feedback and report tests) -------------------------


@dataclass
class Graded:
    course: Path
    run: autograde.GradingRun
    stock_course: Path
    progress: str


_GRADED: list[Graded] = []


def grade_cohort_once(tmp_path_factory) -> Graded:
    """The cohort, graded once per test session (the feedback and report tests reuse it)."""
    import io

    if _GRADED:  # this fixture is imported by other test modules: grade only once
        return _GRADED[0]
    root = tmp_path_factory.mktemp("cohort")
    course = build_cohort(root)
    stock = subset_copy(course, root / "stock", STOCK_SUBSET)
    progress = io.StringIO()
    os.environ[SECRET_ENV] = "do-not-leak"
    try:
        run = autograde.grade(course, ASSIGNMENT, sandbox=sandbox_mode(), progress=progress)
    finally:
        del os.environ[SECRET_ENV]
    _GRADED.append(Graded(course, run, stock, progress.getvalue()))
    return _GRADED[0]
