"""Tests of consortia.grading.criteria: what costs points, announced before hand-in."""

from __future__ import annotations

import pytest

from consortia.errors import InputError
from consortia.grading import rubric as rb
from consortia.grading.criteria import graded_criteria
from consortia.plans.rulebook import rulebook


def test_the_table_lists_every_check_and_criterion_with_its_points():
    table = graded_criteria("04_action_plan")
    rubric = rb.rubric_for("04_action_plan")
    assert [(row.grade_id, row.points) for row in table.checks] == [
        (c.grade_id, c.points) for c in rubric.checks]
    assert [(row.title, row.points) for row in table.criteria] == [
        (c.title, c.max_points) for c in rubric.criteria]
    assert (table.check_points, table.criterion_points, table.total) == (12, 12, 24)


def test_each_check_shows_its_rules_with_the_planner_s_labels():
    table = graded_criteria("04_action_plan")
    rows = {row.grade_id: row for row in table.checks}
    phases = rows["phases_3_to_5_in_six_months"]
    assert [(r.code, r.label) for r in phases.rules] == [
        ("early-phases-missing", "Should fix"), ("early-phases-late", "Should fix")]
    assert rows["mark_after_rules"].single.label == "Must fix"
    assert rows["plan_loads"].rules == ()
    listed = {r.code for row in table.checks for r in row.rules}
    assert not {code for code in listed if rulebook()[code].severity == "advice"}


def test_the_table_reads_as_text_and_as_html():
    table = graded_criteria("04_action_plan")
    text = str(table)
    assert text.startswith("What costs points in 04_action_plan (24 points in all)")
    assert ("  1  review_cadence: The plan is reviewed at least every six months "
            "(review-cadence, Should fix)") in text
    assert "  3  Realism of the timeline" in text
    assert 'Rules the planner marks "Worth improving" cost no points.' in text
    shown = table._repr_html_()
    assert "<code>phase_order</code>" in shown and "Should fix" in shown
    assert shown.count("<tr>") == 1 + len(table.checks) + 1 + len(table.criteria)
    assert "Worth improving" in shown


def test_an_assignment_without_a_rubric_is_refused():
    with pytest.raises(InputError, match="No rubric is written for the assignment"):
        graded_criteria("01_methodology_check")
