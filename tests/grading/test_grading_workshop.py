"""Tests of `consortia workshop new`: the course folder, the gradebook and the class list.

The helpers at the top build a small nbgrader source assignment (a solution cell, a
visible and hidden test, a plan-file test and a manually graded answer); the other
grading tests and ``benchmarks/grading.py`` import them.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from consortia import cli
from consortia.grading import workshop
from consortia.grading.workshop import WorkshopError
from grading_fixtures import (
    ASSIGNMENT,
    MAX_POINTS,
    NOTEBOOK,
    make_course,
    write_class_list,
    write_solutions,
)

# --- the course folder ------------------------------------------------------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("workshop"), ["ana", "ben", "chloe"])


def test_course_folder_layout(course):
    for name in ("nbgrader_config.py", "gradebook.db", "README.md",
                 f"source/{ASSIGNMENT}/{NOTEBOOK}.ipynb",
                 f"release/{ASSIGNMENT}/{NOTEBOOK}.ipynb"):
        assert (course / name).exists(), name
    assert (course / "submitted").is_dir()
    assert stat.S_IMODE(course.stat().st_mode) == 0o700
    readme = (course / "README.md").read_text(encoding="utf-8")
    assert "submitted/<participant id>/<assignment>/<notebook>.ipynb" in readme
    from consortia._paths import kit_command

    # the next steps name the commands as they run from the kit's folder, to the end
    for command in (kit_command("grade", course), kit_command("workshop", "open", course),
                    kit_command("report", course, "<assignment>", "--release")):
        assert f"`{command}`" in readme
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "c.Execute.timeout = 5" in config
    assert "add_missing_cells = True" in config


def test_exchange_lives_in_the_course_folder(course):
    """Formgrader's release and collect buttons use the cohort's own exchange folder."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    assert config.Exchange.root == str(course / "exchange")
    assert config.CourseDirectory.root == str(course)
    assert (course / "exchange").is_dir()


def test_release_has_no_solutions_or_hidden_tests(course):
    text = (course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8")
    for secret in ("SOLUTION-ONLY-LINE", "SECRET-HIDDEN-CHECK", "MODEL-ANSWER-TEXT"):
        assert secret not in text
    assert "one phase, two activities" in text  # the visible test stays


def test_gradebook_has_assignment_and_only_the_needed_fields(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        assert [nb.name for nb in assignment.notebooks] == [NOTEBOOK]
        assert assignment.max_score == MAX_POINTS
        students = {s.id: s for s in gb.students}
    assert sorted(students) == ["ana", "ben", "chloe"]
    assert students["ben"].first_name == "First1"
    assert students["ben"].email.endswith("example.org")
    dump = "\n".join(sqlite3.connect(course / "gradebook.db").iterdump())
    assert "not-stored" not in dump  # the phone column was not kept


# --- the class list ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("id,first_name\nana,Ana\n", "missing column 'last_name'"),
    ("name,surname\nana,A\n", "missing columns 'id', 'first_name', 'last_name'"),
    ("id,first_name,last_name\nana,A,B\nben,B,C\nAna,X,Y\n",
     "line 4: id 'Ana' is already used on line 2"),
    ("id,first_name,last_name\n../etc,A,B\n", "line 2: id '../etc' is not a safe folder name"),
    ("id,first_name,last_name\nan a,A,B\n", "is not a safe folder name"),
    ("id,first_name,last_name\nsubmitted,A,B\n", "'submitted' is reserved"),
    ("id,first_name,last_name\n,A,B\n", "line 2: the id is empty"),
    ("id,first_name,last_name\n", "no participants"),
])
def test_class_list_errors_are_precise(tmp_path, text, message):
    path = tmp_path / "students.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkshopError) as info:
        workshop.read_class_list(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_class_list_accepts_semicolons_bom_and_blank_lines(tmp_path):
    path = tmp_path / "students.csv"
    path.write_bytes("\ufeffID;First_Name;Last_Name;Notes\nana;Ana;A;x\n\nben;Ben;B;y\n"
                     .encode())
    participants, ignored = workshop.read_class_list(path)
    assert [p.id for p in participants] == ["ana", "ben"]
    assert participants[0].email is None
    assert ignored == ["notes"]


def test_class_list_not_utf8(tmp_path):
    path = tmp_path / "students.csv"
    path.write_bytes("id,first_name,last_name\nana,Zoë,A\n".encode("latin-1"))
    with pytest.raises(WorkshopError, match="not UTF-8"):
        workshop.read_class_list(path)


# --- the command ------------------------------------------------------------------------


def test_cli_refuses_a_bad_class_list_and_creates_nothing(tmp_path, capsys):
    solutions = write_solutions(tmp_path)
    bad = tmp_path / "students.csv"
    bad.write_text("id,first_name,last_name\nana,A,B\nana,C,D\n", encoding="utf-8")
    code = cli.main(["workshop", "new", str(tmp_path / "c"), "--students", str(bad),
                     "--solutions", str(solutions)])
    err = capsys.readouterr().err
    assert code == 2
    assert "already used on line 2" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_cli_refuses_a_non_empty_folder(tmp_path, capsys):
    solutions = write_solutions(tmp_path)
    students = write_class_list(tmp_path / "students.csv", ["ana"])
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "keep.txt").write_text("mine", encoding="utf-8")
    code = cli.main(["workshop", "new", str(tmp_path / "c"), "--students", str(students),
                     "--solutions", str(solutions)])
    assert code == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "c" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_cli_creates_the_course(tmp_path, capsys):
    solutions = write_solutions(tmp_path)
    students = write_class_list(tmp_path / "students.csv", ["ana", "ben"])
    code = cli.main(["workshop", "new", str(tmp_path / "c"), "--students", str(students),
                     "--solutions", str(solutions), "--timeout", "7"])
    out = capsys.readouterr().out
    assert code == 0
    assert "2 participants" in out and ASSIGNMENT in out
    assert "ignored column" in out and "phone" in out
    assert "c.Execute.timeout = 7" in (tmp_path / "c" / "nbgrader_config.py").read_text()


def test_no_solutions_folder(tmp_path):
    students = write_class_list(tmp_path / "students.csv", ["ana"])
    with pytest.raises(WorkshopError, match="no assignments"):
        workshop.new_workshop(tmp_path / "c", students, solutions=tmp_path / "nothing")


# --- the cohort gets exactly what exercises/ holds ------------------------------------------


def test_a_cohort_receives_exactly_the_kit_s_exercises(tmp_path):
    """`workshop new` and exercises/ are generated with the same settings, cell by cell.

    Answer cells keep their first line and no `raise NotImplementedError()` stub, so a
    participant's Run All reaches the checks of the assignment.
    """
    from consortia.grading.release import EXERCISES_DIR, compare_release

    made = workshop.new_workshop(tmp_path / "cohort",
                                 write_class_list(tmp_path / "students.csv", ["ana"]))
    released = made.folder / "release"
    assert sorted(p.name for p in released.iterdir()) == made.assignments
    assert compare_release(released, EXERCISES_DIR) == []
    for notebook in released.rglob("*.ipynb"):
        assert "NotImplementedError" not in notebook.read_text(encoding="utf-8"), notebook


def test_the_cohort_configuration_carries_the_kit_s_settings(course):
    from consortia.grading.nbgrader_course import KIT_SETTINGS, load_config

    text = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert KIT_SETTINGS.strip() in text
    config = load_config(course)
    assert config.ClearSolutions.code_stub == {"python": ""}
    assert ".*.tmp" in config.CourseDirectory.ignore  # a killed plan save is never graded


def test_a_killed_plan_save_is_never_collected_for_grading(course, tmp_path):
    from consortia.grading.execute import copy_files
    from consortia.grading.nbgrader_course import course_directory, load_config

    handed_in = tmp_path / "hand-in"
    handed_in.mkdir()
    (handed_in / "plan.json").write_text("{}", encoding="utf-8")
    (handed_in / ".plan.json.x7q2.tmp").write_text('{"half', encoding="utf-8")
    copied = tmp_path / "copied"
    coursedir = course_directory(load_config(course))
    copy_files(handed_in, copied, ignore=coursedir.ignore, max_bytes=10**6)
    assert sorted(p.name for p in copied.iterdir()) == ["plan.json"]
