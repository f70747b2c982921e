"""Tests of the cohort report (HTML with charts) and the CSV export of scores."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from consortia.grading import report
from consortia.grading.autograde import Outcome
from grading_fixtures import ASSIGNMENT, kind_of


@pytest.fixture(scope="module")
def course(graded_cohort, tmp_path_factory):
    """A copy of the graded course, where a trainer has graded two written answers."""
    from nbgrader.api import Gradebook

    copy = tmp_path_factory.mktemp("report") / "course"
    shutil.copytree(graded_cohort.course, copy)
    with Gradebook(f"sqlite:///{copy / 'gradebook.db'}") as gb:
        for student, score in (("p01-solved", 1.0), ("p02-solved", 0.5)):
            gb.find_grade("explain", "plan_check", ASSIGNMENT, student).manual_score = score
        gb.db.commit()
    return copy


@pytest.fixture(scope="module")
def cohort(course, graded_cohort):
    return report.gather(course, ASSIGNMENT, graded_cohort.run.outcomes)


def test_pass_rates(cohort):
    rates = report.pass_rates(cohort)
    assert list(rates) == ["test_count", "test_plan"]
    passed = sum(1 for student in cohort.marks if cohort.points(student, "test_count") == 2)
    assert rates["test_count"] == pytest.approx(passed / 30)
    assert 0 < rates["test_count"] < rates["test_plan"] < 1


def test_plans_and_their_phases(cohort):
    counts = report.phase_counts(cohort)
    readable = len(cohort.plan_phases)
    assert counts[3] == counts[9] == readable  # the good plan has phases III-V and VII-IX
    assert counts[1] == counts[2] == counts[6] == counts[10] == 0
    broken = [s for s in cohort.plan_problems if kind_of(s) == "malformed-plan"]
    assert broken and "not valid JSON" in cohort.plan_problems[broken[0]]


def test_manual_scores_from_the_gradebook(cohort):
    assert [(p.key, p.label, p.max_points) for p in cohort.by_hand] == [("explain", "Explain",
                                                                          1.0)]
    assert cohort.points("p01-solved", "explain") == 1.0
    assert cohort.points("p02-solved", "explain") == 0.5
    assert cohort.points("p03-solved", "explain") is None
    assert cohort.totals["p02-solved"].text() == "3.5 of 4"
    assert cohort.totals["p03-solved"].text() == "3 of 3 so far; 1 point awaits the instructor"


def test_report_page_is_self_contained_with_four_charts(course, graded_cohort):
    html_path, csv_path = report.write_report(course, ASSIGNMENT, graded_cohort.run.outcomes)
    page = html_path.read_text(encoding="utf-8")
    assert page.count("src='data:image/png;base64,") == 4
    for title in ("Score distribution", "Pass rate per test", "Criteria marked by the instructor",
                  "Phases covered by the plans", "Flagged submissions"):
        assert title in page
    assert "http://" not in page and "https://" not in page
    assert "not valid JSON" in page  # the unreadable plan and the broken notebook
    assert csv_path.exists()


def test_report_without_manual_scores_or_plans(graded_cohort):
    cohort = report.gather(graded_cohort.course, ASSIGNMENT, graded_cohort.run.outcomes)
    cohort.plan_phases, cohort.plan_problems = {}, {}
    page = report.render(cohort)
    waiting = len(cohort.awaiting())
    assert waiting and f"{waiting} submissions still to mark" in page
    assert f"consortia report {graded_cohort.course} {ASSIGNMENT}" in page
    assert f"; {waiting} to mark</td>" in page  # the written answer, in the table of parts
    assert "Phases covered" not in page


def test_csv_has_one_row_per_participant(cohort):
    rows = list(csv.DictReader(io.StringIO(report.to_csv(cohort))))
    assert len(rows) == 30
    solved = next(r for r in rows if r["student_id"] == "p01-solved")
    assert solved["score"] == "4" and solved["Test count"] == "2" and solved["Explain"] == "1"
    assert solved["total"] == "4 of 4" and solved["needs_manual_grade"] == "no"
    waiting = next(r for r in rows if r["student_id"] == "p03-solved")
    assert waiting["Explain"] == "" and waiting["needs_manual_grade"] == "yes"
    assert waiting["awaiting_points"] == "1" and waiting["total"].endswith("awaits the instructor")
    failed = next(r for r in rows if kind_of(r["student_id"]) == "not-json")
    assert failed["status"] == "failed" and "not valid JSON" in failed["reason"]
    assert failed["total"] == "0 of 4" and failed["needs_manual_grade"] == "no"
    assert set(rows[0]) >= {"student_id", "status", "score", "max_score", "percent", "reason"}
    assert "first_name" not in rows[0] and "email" not in rows[0]


def test_csv_cells_cannot_become_formulas():
    cohort = report.Cohort("a1", [Outcome("p1", "a1", "failed", reason="=HYPERLINK(\"x\")",
                                          notes=["+1", "ok"])])
    row = list(csv.reader(io.StringIO(report.to_csv(cohort))))[1]
    assert "'=HYPERLINK(\"x\")" in row
    assert "'+1; ok" in row
