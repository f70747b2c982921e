"""The planner's Progress tab (consortia.widgets.progress), driven as a participant would."""

from __future__ import annotations

import datetime as dt

from consortia.plans.files import load_plan, save_plan
from consortia.widgets import PhasePlanner
from plan_fixtures import good_plan, reviewed_plan


def _planner(tmp_path, plan):
    path = save_plan(plan, tmp_path / "plan.json")
    return PhasePlanner(path), path


def test_the_progress_tab_is_there_with_the_plans_periods(tmp_path):
    planner, _ = _planner(tmp_path, reviewed_plan())
    assert planner.tabs.titles[-1] == "Progress"
    tab = planner.progress
    assert [label for label, _ in tab.period.options][1] == "Period 2 (2014-12-01 to 2015-06-01)"
    assert tab.start_date.value == dt.date(2014, 6, 1)
    assert "no data" in tab.states.value and "overdue" in tab.states.value  # judged today


def test_recording_a_review_in_a_few_steps_saves_each_one(tmp_path):
    planner, path = _planner(tmp_path, reviewed_plan())
    tab = planner.progress
    tab.period.value = 3
    tab.indicator.value = "I2"
    assert tab.actual.value == ""
    tab.actual.value = "1,600"
    tab.evidence.value = "Sales book | sales-2015-12.xlsx"
    tab.reported_by.value = "Treasurer"
    tab.reported_on.value = dt.date(2015, 12, 3)
    tab.status.value = "submitted"
    tab.save_figure_button.click()
    assert planner.status_ok, planner.status_text
    saved = load_plan(path).indicator_period("I2", 3)
    assert (saved.actual, saved.evidence[0].where, saved.status) == (1600, "sales-2015-12.xlsx",
                                                                     "submitted")
    tab.activity.value = "A6"
    tab.activity_status.value = "done"
    tab.activity_note.value = "Mark registered."
    tab.save_activity_button.click()
    assert load_plan(path).activity_update("A6", 3).note == "Mark registered."
    tab.held_on.value = dt.date(2015, 12, 10)
    tab.decisions.value = "Start the export paperwork."
    tab.record_review_button.click()
    assert load_plan(path).review(3).decisions == "Start the export paperwork."
    tab.milestone.value = 0
    tab.reached_on.value = dt.date(2015, 2, 14)
    tab.mark_reached_button.click()
    assert load_plan(path).milestones[0].reached_on == dt.date(2015, 2, 14)
    assert planner.unexpected_errors == []


def test_bad_input_is_refused_and_undo_brings_back_the_last_figure(tmp_path):
    planner, path = _planner(tmp_path, reviewed_plan())
    tab = planner.progress
    tab.period.value, tab.indicator.value = 2, "I1"
    assert tab.actual.value == "9"  # the form shows what the plan holds
    before = path.read_bytes()
    tab.actual.value = "about ten"
    tab.save_figure_button.click()
    assert not planner.status_ok and "Actual 'about ten' is not a number" in planner.status_text
    assert path.read_bytes() == before
    tab.actual.value = "10"
    tab.status.value = "sent back"
    tab.save_figure_button.click()
    assert not planner.status_ok and "needs the reason" in planner.status_text
    tab.reason.value = "The attendance list is missing."
    tab.save_figure_button.click()
    assert planner.status_ok and load_plan(path).indicator_period("I1", 2).actual == 10
    planner.undo()
    assert load_plan(path).indicator_period("I1", 2).actual == 9
    assert tab.actual.value == "9" and tab.status.value == "accepted"


def test_a_review_needs_its_day_and_a_start_date_can_be_set(tmp_path):
    planner, path = _planner(tmp_path, good_plan())
    tab = planner.progress
    assert "Set the day the plan started" in tab.states.value
    tab.record_review_button.click()
    assert not planner.status_ok and "Review held on" in planner.status_text
    tab.start_date.value = dt.date(2026, 1, 1)
    assert load_plan(path).start_date == dt.date(2026, 1, 1)
    assert tab.period.options[0][0] == "Period 1 (2026-01-01 to 2026-07-01)"


def test_an_illustrative_plan_says_so_in_the_planner(tmp_path):
    planner, _ = _planner(tmp_path, reviewed_plan().updated(illustrative_note="Invented."))
    assert "Invented." in planner.banner.value and "Invented." in planner.progress.states.value
