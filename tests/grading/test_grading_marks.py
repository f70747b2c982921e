"""Marking by hand after grading, on a `workshop new` cohort of the action-plan exercise.

Three participants: ana and ben hand in through nbgrader's exchange (ana a solved
notebook and a good plan, ben the notebook without a plan), cleo's blank notebook is
copied into submitted/ by hand. The cohort is graded once; the trainer then marks
ana with the rubric (and types a comment of their own), leaves ben and cleo unmarked,
and runs `consortia report --release`. The report, scores.csv, the feedback and the
gradebook must then agree, say everything in words, and ana must fetch her feedback
through the exchange, with her levels and the trainer's comment and no hidden test.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import nbformat
import pytest
from markupsafe import escape

from consortia import cli
from consortia.grading import feedback, marks, report, rubric
from consortia.grading.marks import Total
from consortia.grading.nbgrader_course import open_gradebook
from exchange_fixtures import collect, fetch_feedback, hand_in, release_assignment
from grading_fixtures import sandbox_mode, solved_notebook, write_class_list, write_files
from plan_fixtures import good_plan

ASSIGNMENT = "04_action_plan"
NOTEBOOK = "action_plan"
RUBRIC = rubric.rubric_for(ASSIGNMENT)
#: What ana's trainer typed in the formgrader before choosing the rubric's levels.
TRAINER_SAYS = "Ana, the fair in month 7 is a good idea: say who books the stand."
#: ana's levels: the best for the first two criteria, the one below for the others.
ANA = {c.id: (c.levels[-1] if i < 2 else c.levels[-2]).id
       for i, c in enumerate(RUBRIC.criteria)}


def _hidden_test_lines(source) -> list[str]:
    """Every line of code between the source notebook's hidden-test marks."""
    lines, inside = [], False
    for cell in source.cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The cohort, graded once (nothing marked by hand yet): (course, root, hidden lines)."""
    from consortia.grading import autograde, workshop

    root = tmp_path_factory.mktemp("marking")
    solutions = root / "solutions"
    shutil.copytree(workshop.kit_solutions() / ASSIGNMENT, solutions / ASSIGNMENT)
    course = workshop.new_workshop(root / "course",
                                   write_class_list(root / "class.csv", ["ana", "ben", "cleo"]),
                                   solutions=solutions).folder
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    release_assignment(course, ASSIGNMENT)
    hand_in(course, ASSIGNMENT, "ana", root / "ana",
            {f"{NOTEBOOK}.ipynb": solved_notebook(release, source),
             "plan.json": good_plan().model_dump_json(indent=1)})
    hand_in(course, ASSIGNMENT, "ben", root / "ben",
            {f"{NOTEBOOK}.ipynb": solved_notebook(release, source)})
    collect(course, ASSIGNMENT)
    write_files(course / "submitted" / "cleo" / ASSIGNMENT, {f"{NOTEBOOK}.ipynb": release})
    run = autograde.grade(course, ASSIGNMENT, sandbox=sandbox_mode())
    assert [o.status for o in run.outcomes] == ["graded"] * 3
    feedback.write_feedback(course, run.outcomes)
    report.write_report(course, ASSIGNMENT, run.outcomes)
    return course, root, _hidden_test_lines(source)


@pytest.fixture(scope="module")
def marked(graded, tmp_path_factory):
    """A copy where the trainer marked ana and ran `consortia report --release`:
    (course, participants' folders, hidden lines, what the command printed, grading.json
    before the command)."""
    import contextlib

    course, root, hidden = graded
    copy = tmp_path_factory.mktemp("marked")
    shutil.copytree(root, copy / "root", symlinks=True)
    course = copy / "root" / "course"
    with open_gradebook(course) as gb:
        cell = RUBRIC.criteria[0].grade_id
        gb.find_comment(cell, NOTEBOOK, ASSIGNMENT, "ana").manual_comment = TRAINER_SAYS
        gb.db.commit()
    rubric.apply_choices(course, ASSIGNMENT, "ana", ANA)
    before = (course / "reports" / ASSIGNMENT / "grading.json").read_text(encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = cli.main(["report", str(course), ASSIGNMENT, "--release"])
    assert status == 0
    said = " ".join(printed.getvalue().split())  # as read, whatever the line breaks
    return course, copy / "root", hidden, said, before


def _submission(course, student):
    with open_gradebook(course) as gb:
        s = gb.find_submission(ASSIGNMENT, student)
        return float(s.score), float(s.max_score), bool(s.needs_manual_grade)


def _rows(course) -> dict[str, dict[str, str]]:
    text = (course / "reports" / ASSIGNMENT / "scores.csv").read_text(encoding="utf-8")
    return {r["student_id"]: r for r in csv.DictReader(io.StringIO(text))}


def _page(course, student) -> str:
    path = course / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"
    return path.read_text(encoding="utf-8")


# --- one total, said the same way everywhere -------------------------------------------------


def test_a_total_says_what_is_still_to_be_marked():
    assert Total(14, 24, 6).text() == "14 of 18 so far; 6 points await the instructor"
    assert Total(20, 24).text() == "20 of 24"
    assert Total(2.5, 4, 1).text() == "2.5 of 3 so far; 1 point awaits the instructor"
    assert Total(14, 24, 6).marked_max == 18


def test_a_test_is_labelled_by_its_first_line_comment_never_by_its_code():
    label = marks._test_label
    assert label("# The plan states its objectives (SELA 2014 §21).\nchecks.x()", "objectives") \
        == "The plan states its objectives (SELA 2014 §21)."
    assert label("assert found == 3\n# a later comment", "test_count") == "Test count"
    assert label("### BEGIN HIDDEN TESTS\nassert secret()", "hidden_only") == "Hidden only"
    assert label("# BEGIN HIDDEN TESTS\nassert secret()", "marked") == "Marked"
    assert label("", "phases_3_to_5_in_six_months") == "Phases 3 to 5 in six months"
    assert marks._task_label("### Realism of your timeline (3 points)\n\nNothing to write",
                             "timeline") == "Realism of your timeline"


def test_before_marking_every_hand_marked_point_awaits_the_instructor(graded):
    course = graded[0]
    cohort = report.gather(course, ASSIGNMENT)
    ana, ben, cleo = (cohort.totals[s] for s in ("ana", "ben", "cleo"))
    assert ana.awaiting == ben.awaiting == RUBRIC.max_points  # every criterion unmarked
    # cleo's answers are untouched: nbgrader scores them 0 ("No response"); the tasks wait
    assert 0 < cleo.awaiting < RUBRIC.max_points
    # ben handed in no plan.json, but the notebook's own cells build and save his plan
    # while it is graded: that plan counts, so the tests score the two alike
    assert ana.score == _submission(course, "ana")[0] == ben.score
    assert [o.student for o in cohort.awaiting()] == ["ana", "ben", "cleo"]
    page = (course / "reports" / ASSIGNMENT / "report.html").read_text(encoding="utf-8")
    assert "<th>Awaiting marks from the instructor</th><td class='num'>3</td>" in page
    assert ana.text() in page and ana.text() in _page(course, "ana")
    assert _rows(course)["ana"]["total"] == ana.text()


def test_after_marking_nothing_awaits_and_every_page_shows_the_gradebook_s_total(marked):
    course = marked[0]
    score, max_score, needs_manual = _submission(course, "ana")
    assert not needs_manual  # apply_choices cleared it for every cell of the rubric
    expected = RUBRIC.max_points - sum(c.level(ANA[c.id]).points for c in RUBRIC.criteria)
    assert max_score - score == expected  # full marks on the tests, the rubric's levels
    words = f"{score:g} of {max_score:g}"
    row = _rows(course)["ana"]
    assert (row["score"], row["max_score"], row["total"]) == (f"{score:g}", f"{max_score:g}",
                                                              words)
    assert row["needs_manual_grade"] == "no" and row["awaiting_points"] == "0"
    assert f"Your points: <b>{words}</b>" in _page(course, "ana")
    page = (course / "reports" / ASSIGNMENT / "report.html").read_text(encoding="utf-8")
    assert f"<td class='num'>{words}</td>" in page
    assert "<th>Awaiting marks from the instructor</th><td class='num'>2</td>" in page
    ben = report.gather(course, ASSIGNMENT).totals["ben"]
    assert "so far" in ben.text() and _rows(course)["ben"]["total"] == ben.text()
    assert f"Your points: <b>{ben.text()}</b>" in _page(course, "ben")
    assert _rows(course)["ben"]["needs_manual_grade"] == "yes"


# --- reports in words ------------------------------------------------------------------------


def test_scores_csv_has_a_column_in_words_for_every_test_and_criterion(marked):
    course = marked[0]
    row = _rows(course)["ana"]
    for criterion in RUBRIC.criteria:
        assert row[criterion.title] == f"{criterion.level(ANA[criterion.id]).points:g}"
    assert RUBRIC.check("phases_3_to_5_in_six_months").words in row  # the rubric's words
    assert not [name for name in row if re.fullmatch(r"[a-z0-9_]+", name)
                and name not in {"student_id", "status", "score", "max_score", "percent",
                                 "late_penalty", "needs_manual_grade", "awaiting_points",
                                 "total", "reason", "notes"}]
    waiting = _rows(course)["ben"]
    assert [waiting[c.title] for c in RUBRIC.criteria] == ["", "", "", ""]


def test_the_labels_come_from_the_notebook_and_the_rubric(graded):
    with open_gradebook(graded[0]) as gb:
        found = marks.parts(gb, ASSIGNMENT)
    by_hand = [p for p in found if p.by_hand]
    assert [(p.key, p.label, p.max_points) for p in by_hand] == [
        (c.id, c.title, c.max_points) for c in RUBRIC.criteria]
    source = nbformat.read(graded[0] / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    tests = [c.metadata["nbgrader"]["grade_id"] for c in source.cells
             if c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata["nbgrader"].get("solution") and c.cell_type == "code"]
    # the tests in notebook order, each labelled with its words in the rubric's checks
    assert [p.label for p in found if not p.by_hand] == [RUBRIC.check(t).words for t in tests]
    assert sum(p.max_points for p in found) == _submission(graded[0], "ana")[1]


def test_the_charts_show_every_criterion_on_an_axis_from_0_to_100(marked):
    cohort = report.gather(marked[0], ASSIGNMENT)
    for chart, parts in ((report.rubric_chart(cohort), cohort.by_hand),
                         (report.pass_rate_chart(cohort), cohort.tests)):
        ax = chart.axes[0]
        assert ax.get_xlim() == (0, 100)
        shown = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
        assert shown == [p.label for p in parts]
        assert all(0 <= bar.get_width() <= 100 for bar in ax.patches)
    notes = [t.get_text() for t in report.rubric_chart(cohort).axes[0].texts]
    assert len(notes) == len(RUBRIC.criteria)


# --- feedback after marking, through the exchange ---------------------------------------------


def test_feedback_shows_each_level_its_descriptor_and_the_trainer_s_comment(marked):
    page = _page(marked[0], "ana")
    for criterion in RUBRIC.criteria:
        level = criterion.level(ANA[criterion.id])
        assert criterion.title in page
        assert f">{level.title}</span>" in page
        assert str(escape(" ".join(level.descriptor.split()))) in page
    assert "Your instructor:</b> Ana, the fair in month 7 is a good idea" in page
    assert "Rubric - " not in page  # the levels are shown as such, not as comment lines
    assert "awaits your instructor" in _page(marked[0], "ben")


def test_a_participant_fetches_the_feedback_through_the_exchange(marked):
    course, root, hidden, printed, _ = marked
    assert "released through the exchange to 2 participants: ana, ben" in printed
    assert "NOT RELEASED cleo: handed in without nbgrader's exchange" in printed
    assert "feedback/cleo/04_action_plan/action_plan.html yourself" in printed
    fetched = fetch_feedback(course, ASSIGNMENT, "ana", root / "ana")
    assert [p.name for p in fetched] == [f"{NOTEBOOK}.html"]
    page = fetched[0].read_text(encoding="utf-8")
    assert page == _page(course, "ana")
    assert TRAINER_SAYS.split(",")[0] in page and RUBRIC.criteria[0].levels[-1].title in page
    assert not [line for line in hidden if line in page]  # (04 has no hidden tests today)
    assert "BEGIN HIDDEN" not in page and "checks.assert_" not in page
    assert fetch_feedback(course, ASSIGNMENT, "ben", root / "ben")  # each gets their own


def test_the_report_command_rebuilds_without_grading_again(marked, capsys):
    course, _, _, printed, before = marked
    grading = course / "reports" / ASSIGNMENT / "grading.json"
    assert grading.read_text(encoding="utf-8") == before  # no grading run
    assert json.loads(before)["finished"]
    assert "2 still to mark by hand (ben, cleo)" in printed
    assert cli.main(["report", str(course), "05_recording_a_review"]) == 2
    message = capsys.readouterr().err
    assert "05_recording_a_review has not been graded" in message
    assert "consortia grade" in message and "Traceback" not in message


def test_grading_again_keeps_the_marks_and_what_is_left_to_mark(marked, tmp_path):
    """Grading again after marking (nbgrader then flags marked cells for review) must not
    turn the trainer's marks back into points that await them."""
    from consortia.grading import autograde

    course = tmp_path / "course"
    shutil.copytree(marked[0], course, symlinks=True)
    marked_total = report.gather(course, ASSIGNMENT).totals["ana"]
    run = autograde.grade(course, ASSIGNMENT, sandbox=sandbox_mode())
    ana = run.outcome("ana", ASSIGNMENT)
    assert (ana.score, ana.needs_manual_grade) == (marked_total.score, False)
    assert run.outcome("ben", ASSIGNMENT).needs_manual_grade
    report.write_report(course, ASSIGNMENT, run.outcomes)
    row = _rows(course)["ana"]
    assert row["total"] == marked_total.text() and row["needs_manual_grade"] == "no"
