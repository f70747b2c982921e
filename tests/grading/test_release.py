"""The graded exercises: solutions/ (nbgrader source) and exercises/ (its release).

Static checks read the notebooks: nbgrader metadata, points, hidden tests, and that the
release leaks no solution or hidden test. The round trip runs nbgrader itself once, in
a temporary course folder: ``generate_assignment`` (the release must equal the
committed exercises/), then ``autograde`` of two fake participants per assignment, one
handing in the solution and one the blank release, plus, for the action plan, a
participant who built plan.json with the planner and left the notebook as released.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from consortia.grading import release
from consortia.grading import rubric as rb
from consortia.plans.files import save_plan
from gradebooks import gradebook_url
from plan_fixtures import good_plan

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

SOLUTIONS, EXERCISES = release.SOLUTIONS_DIR, release.EXERCISES_DIR
NOTEBOOKS = {
    "01_methodology_check": "methodology_check",
    "02_case_analysis": "case_analysis",
    "03_product_readiness": "product_readiness",
    "04_action_plan": "action_plan",
    "05_recording_a_review": "recording_a_review",
}
#: Autograded and manually graded points per assignment (as the READMEs describe them).
POINTS = {
    "01_methodology_check": (10, 0),
    "02_case_analysis": (12, 0),
    "03_product_readiness": (8, 9),
    "04_action_plan": (12, 12),
    "05_recording_a_review": (10, 0),
}
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def load(folder: Path, assignment: str) -> dict:
    path = folder / assignment / f"{NOTEBOOKS[assignment]}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def meta(cell: dict) -> dict:
    return cell["metadata"].get("nbgrader", {})


def region(text: str, begin: str, end: str) -> list[str]:
    """The lines between ``### BEGIN ...`` and ``### END ...`` markers."""
    inside, lines = False, []
    for line in text.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def solution_lines(cell: dict) -> list[str]:
    text = source(cell)
    if "BEGIN SOLUTION" in text:
        return region(text, "BEGIN SOLUTION", "END SOLUTION")
    return text.splitlines()  # a solution cell without markers is replaced whole


def visible_part(text: str) -> str:
    hidden = False
    kept = []
    for line in text.splitlines():
        if "BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def telling(line: str) -> bool:
    """A line that gives something away (not a bracket, blank or a bare keyword)."""
    return len(re.findall(r"[A-Za-z0-9]", line)) >= 4


# --- the layout ----------------------------------------------------------------------------------


def test_five_assignments_with_one_notebook_each():
    assert release.assignments() == list(NOTEBOOKS)
    for folder in (SOLUTIONS, EXERCISES):
        for assignment, notebook in NOTEBOOKS.items():
            files = sorted(p.name for p in (folder / assignment).iterdir()
                           if p.name != ".ipynb_checkpoints")
            assert files == [f"{notebook}.ipynb"], f"{folder.name}/{assignment}: {files}"


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_nbgrader_metadata_is_complete_and_valid(assignment):
    from nbformat import reads
    from nbgrader.nbgraderformat import MetadataValidator

    text = (SOLUTIONS / assignment / f"{NOTEBOOKS[assignment]}.ipynb").read_text("utf-8")
    MetadataValidator().validate_nb(reads(text, as_version=4))
    nb = json.loads(text)
    for cell in nb["cells"]:
        m = meta(cell)
        if not m:
            continue
        assert m["schema_version"] == 3
        assert re.fullmatch(r"[a-z][a-z0-9_]*", m["grade_id"]), m["grade_id"]
        assert set(m) >= {"grade", "solution", "locked", "task", "grade_id"}
        if m["grade"] and not m["solution"]:  # an autograded test: small, locked, named
            assert cell["cell_type"] == "code" and m["locked"]
            assert 1 <= m["points"] <= 3, m["grade_id"]
        if m["solution"] and cell["cell_type"] == "code":
            assert "### BEGIN SOLUTION" in source(cell) and "### END SOLUTION" in source(cell)
        if "HIDDEN TESTS" in source(cell):
            assert m["grade"] and not m["solution"], m["grade_id"]


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_points_and_hidden_tests(assignment):
    nb = load(SOLUTIONS, assignment)
    tests = [c for c in nb["cells"] if meta(c).get("grade") and not meta(c).get("solution")]
    manual = rb.manual_cells(SOLUTIONS / assignment / f"{NOTEBOOKS[assignment]}.ipynb")
    assert (sum(meta(c)["points"] for c in tests), sum(manual.values())) == POINTS[assignment]
    assert len(tests) >= 5
    if assignment != "04_action_plan":  # its checks read the participant's own plan file:
        # there is no answer to compare, and hidden tests could only add criteria
        assert any("### BEGIN HIDDEN TESTS" in source(c) for c in tests)
    if manual:  # every manually graded cell is scored by the assignment's rubric
        assert rb.rubric_for(assignment).cell_points() == manual


def test_each_action_plan_check_applies_the_rules_its_rubric_announces():
    """The test cell, its name, its points and its rules are the rubric's, and nothing more
    (no hidden tests): what a participant sees pass is what is graded."""
    nb = load(SOLUTIONS, "04_action_plan")
    tests = {meta(c)["grade_id"]: (source(c), meta(c)["points"]) for c in nb["cells"]
             if meta(c).get("grade") and not meta(c).get("solution")}
    checks = {item.grade_id: item for item in rb.rubric_for("04_action_plan").checks}
    assert set(tests) == set(checks)
    for grade_id, (text, points) in tests.items():
        assert text == f'checks.assert_criterion("plan.json", "{grade_id}")'
        assert points == checks[grade_id].points
    assert checks["review_cadence"].rules == ["review-cadence"]
    assert checks["non_economic_indicator"].rules == ["no-non-economic-indicator"]
    tasks = [meta(c)["grade_id"] for c in nb["cells"] if meta(c).get("task")]
    assert tasks == ["timeline_realism", "indicators_quality"]


def test_the_action_plan_shows_what_costs_points_before_the_checks():
    nb = load(EXERCISES, "04_action_plan")
    sources = [source(c) for c in nb["cells"]]
    shown = sources.index('graded_criteria("04_action_plan")')
    first_test = next(i for i, c in enumerate(nb["cells"]) if meta(c).get("grade"))
    assert shown < first_test
    assert "from consortia.grading.criteria import graded_criteria" in sources[1]


def test_recording_a_review_is_checked_with_the_progress_rules():
    nb = load(SOLUTIONS, "05_recording_a_review")
    ids = {meta(c)["grade_id"]: source(c) for c in nb["cells"] if meta(c).get("grade")}
    for code in ("period-without-actual", "actual-without-evidence", "activity-late"):
        assert f'"{code}"' in "\n".join(ids.values())
    assert "progress.indicator_state" in ids["states"]
    assert not rb.manual_cells(SOLUTIONS / "05_recording_a_review" / "recording_a_review.ipynb")


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_no_test_cell_ends_in_a_value(assignment):
    """nbgrader reads a test cell's output as partial credit; a test must show nothing."""
    for cell in load(SOLUTIONS, assignment)["cells"]:
        if meta(cell).get("grade") and not meta(cell).get("solution"):
            for text in (source(cell), visible_part(source(cell))):
                last = ast.parse(text).body[-1]
                if isinstance(last, ast.Expr):
                    func = getattr(last.value, "func", None)
                    name = getattr(func, "attr", getattr(func, "id", ""))
                    assert name.startswith("assert_"), (
                        f"{meta(cell)['grade_id']} ends in an expression with a value"
                    )


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_hidden_test_messages_never_contain_the_answer(assignment):
    for cell in load(SOLUTIONS, assignment)["cells"]:
        if "HIDDEN TESTS" not in source(cell):
            continue
        for node in ast.walk(ast.parse(source(cell))):
            if not (isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare)
                    and isinstance(node.msg, ast.Constant)):
                continue
            for value in node.test.comparators:
                if isinstance(value, ast.Constant):
                    answer = re.escape(str(value.value))
                    assert not re.search(rf"\b{answer}\b", node.msg.value), node.msg.value


# --- the release leaks nothing -------------------------------------------------------------------


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_the_release_holds_no_solution_and_no_hidden_test(assignment):
    solution, released = load(SOLUTIONS, assignment), load(EXERCISES, assignment)
    text = "\n".join(source(c) for c in released["cells"])
    for marker in MARKERS:
        assert marker not in text
    for cell in solution["cells"]:
        m = meta(cell)
        leaked = []
        if m.get("solution"):
            leaked += [line for line in solution_lines(cell) if telling(line)]
        if "HIDDEN TESTS" in source(cell):
            leaked += [line for line in region(source(cell), "BEGIN HIDDEN", "END HIDDEN")
                       if telling(line)]
        for line in leaked:
            assert line.strip() not in text, f"{m['grade_id']}: {line.strip()!r} is released"


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_released_cells_are_the_source_cells_minus_solutions_and_hidden_tests(assignment):
    solution, released = load(SOLUTIONS, assignment), load(EXERCISES, assignment)
    assert [c["id"] for c in solution["cells"]] == [c["id"] for c in released["cells"]]
    for ours, theirs in zip(solution["cells"], released["cells"], strict=True):
        m = meta(ours)
        if m.get("grade") and not m.get("solution"):
            assert source(theirs) == visible_part(source(ours))
        elif not m.get("solution"):
            assert source(theirs) == source(ours)
        elif ours["cell_type"] == "markdown":
            assert source(theirs) == "YOUR ANSWER HERE"
        if m.get("locked"):
            assert theirs["metadata"]["editable"] is False


def test_compare_release_notices_any_change(tmp_path):
    copy = tmp_path / "exercises"
    shutil.copytree(EXERCISES, copy)
    assert release.compare_release(EXERCISES, copy) == []
    nb_path = copy / "01_methodology_check" / "methodology_check.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"][3]["source"] = ['answer_1 = "III"\n']
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    (copy / "04_action_plan" / "plan.json").write_text("{}", encoding="utf-8")
    shutil.rmtree(copy / "02_case_analysis")
    (copy / "05_extra").mkdir()
    (copy / "05_extra" / "x.ipynb").write_text("{}", encoding="utf-8")
    assert release.compare_release(EXERCISES, copy) == [
        "01_methodology_check/methodology_check.ipynb: cell 3 (answer_1) differs",
        "02_case_analysis: missing from exercises/",
        "04_action_plan/plan.json: not part of the release; remove it",
        "05_extra: in exercises/ but not in solutions/",
    ]


def test_the_command_line_reports_an_out_of_date_release(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(release, "release_differences", lambda out: ["01: cell 3 differs"])
    assert release.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    monkeypatch.setattr(release, "release_differences", lambda out: [])
    assert release.main(["--check"]) == 0

    def fake_generate(out):
        (Path(out) / "01_methodology_check").mkdir(parents=True)
        return []

    (tmp_path / "99_gone").mkdir()
    (tmp_path / "99_gone" / "old.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(release, "generate_release", fake_generate)
    assert release.main(["--out", str(tmp_path)]) == 0
    assert not (tmp_path / "99_gone").exists()
    assert "removed" in capsys.readouterr().out


# --- the round trip through nbgrader -------------------------------------------------------------


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Generate the release and autograde three kinds of participant, once for the module."""
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("course")
    differences = release.release_differences(course_dir=course)
    handed_in = {}
    for assignment, notebook in NOTEBOOKS.items():
        handed_in[(assignment, "solution")] = SOLUTIONS / assignment / f"{notebook}.ipynb"
        handed_in[(assignment, "blank")] = course / "release" / assignment / f"{notebook}.ipynb"
    handed_in[("04_action_plan", "planner")] = handed_in[("04_action_plan", "blank")]
    for (assignment, student), notebook in handed_in.items():
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder)
        if student in ("solution", "planner") and assignment == "04_action_plan":
            save_plan(good_plan(), folder / "plan.json")
    release.run_nbgrader(course, "autograde", "*", "--ExecutePreprocessor.timeout=120")
    scores = {}
    with Gradebook(gradebook_url(course)) as gb:
        for assignment, student in handed_in:
            sub = gb.find_submission(assignment, student)
            scores[(assignment, student)] = (sub.score, sub.code_score, sub.max_code_score)
    autograded = {
        key: json.loads((course / "autograded" / key[1] / key[0] /
                         f"{NOTEBOOKS[key[0]]}.ipynb").read_text(encoding="utf-8"))
        for key in handed_in
    }
    return {"differences": differences, "scores": scores, "notebooks": autograded}


def test_exercises_are_up_to_date_with_solutions(graded):
    assert graded["differences"] == [], (
        "exercises/ is out of date with solutions/; regenerate it with "
        ".venv/bin/python -m consortia.grading.release"
    )


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_the_solution_scores_full_marks(graded, assignment):
    _, code_score, max_code = graded["scores"][(assignment, "solution")]
    assert max_code == POINTS[assignment][0]
    assert code_score == max_code


@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_the_blank_release_scores_zero_without_crashing(graded, assignment):
    score, code_score, _ = graded["scores"][(assignment, "blank")]
    assert score == 0 and code_score == 0
    nb = graded["notebooks"][(assignment, "blank")]
    for cell in nb["cells"]:
        if meta(cell).get("grade") and cell["cell_type"] == "code":
            errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
            assert [e["ename"] for e in errors] == ["AssertionError"], meta(cell)["grade_id"]
            assert errors[0]["evalue"].strip(), "a failed check must say what to fix"


def test_a_plan_built_with_the_planner_scores_full_marks(graded):
    _, code_score, max_code = graded["scores"][("04_action_plan", "planner")]
    assert code_score == max_code == 12


def test_solutions_run_without_any_error_and_tests_show_nothing(graded):
    for (assignment, student), nb in graded["notebooks"].items():
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            kinds = {o["output_type"] for o in cell["outputs"]}
            if student != "blank":
                assert "error" not in kinds, (assignment, student, meta(cell).get("grade_id"))
            if meta(cell).get("grade"):
                assert "execute_result" not in kinds, (assignment, meta(cell)["grade_id"])


def test_the_visible_case_check_of_exercise_03_asks_what_is_graded():
    """A participant who chooses a Peruvian reference case sees the check fail before
    hand-in (the graded check asks for one of the Caribbean proposals)."""
    import nbformat

    from consortia.grading import checks

    notebook = nbformat.read(release.EXERCISES_DIR / "03_product_readiness"
                             / "product_readiness.ipynb", 4)
    cell = next(c for c in notebook.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "case_exists")
    assert "BEGIN HIDDEN" not in cell.source  # nothing graded that is not shown
    with pytest.raises(AssertionError, match="asks for a caribbean proposal"):
        exec(cell.source, {"checks": checks, "my_case": "chulucanas-ceramics"})
    exec(cell.source, {"checks": checks, "my_case": "belize"})  # a proposal passes
