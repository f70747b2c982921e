"""Tests of consortia.plans.progress and the progress part of the plan model."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from consortia.plans import progress
from consortia.plans.model import ActivityUpdate, Indicator, IndicatorPeriod, Review
from plan_fixtures import MEETINGS, ON, SALES, good_plan, reviewed_plan


def _with_actual(plan, name, period, actual, **extra):
    indicator = plan.indicator(name)
    return plan.with_indicator_period(IndicatorPeriod(indicator=indicator.id, period=period,
                                                      actual=actual, **extra))


def test_periods_follow_the_cadence_and_the_start_date():
    plan = reviewed_plan()
    found = progress.periods(plan)
    assert [(p.number, p.start_month, p.end_month) for p in found] == [
        (1, 0, 6), (2, 6, 12), (3, 12, 18), (4, 18, 24)]
    assert found[1].start == dt.date(2014, 12, 1) and found[1].end == dt.date(2015, 6, 1)
    assert found[1].label == "Period 2 (2014-12-01 to 2015-06-01)"
    assert [p.number for p in progress.ended_periods(plan, ON)] == [1, 2]
    assert progress.current_period(plan, ON).number == 3
    odd = plan.updated(review_every_months=9, horizon_months=20)
    assert [(p.start_month, p.end_month) for p in progress.periods(odd)] == [
        (0, 9), (9, 18), (18, 20)]


def test_a_plan_without_a_start_date_has_periods_but_no_dates():
    found = progress.periods(good_plan())
    assert len(found) == 4 and found[0].end is None
    assert found[0].label == "Period 1 (months 0-6)"
    assert progress.ended_periods(good_plan(), ON) == []


def test_months_move_on_the_calendar():
    assert progress.add_months(dt.date(2015, 1, 31), 1) == dt.date(2015, 2, 28)
    assert progress.add_months(dt.date(2014, 6, 1), 18) == dt.date(2015, 12, 1)


@pytest.mark.parametrize(("actual", "state"), [
    (1100, "on track"),   # path at month 12: 1000; 110% of the change expected
    (900, "on track"),    # 90%
    (700, "at risk"),     # 70%
    (500, "off track"),   # 50%
    (-50, "off track"),   # moved away from the target
])
def test_the_state_of_a_number_indicator(actual, state):
    plan = _with_actual(reviewed_plan(), SALES, 2, actual)
    found = progress.indicator_state(plan, SALES, ON)
    assert (found.period, found.target, found.state) == (2, 1000, state)
    assert found.share == pytest.approx(actual / 1000)
    assert state in found.reason and str(actual) in found.reason


def test_a_period_target_set_by_the_team_replaces_the_path():
    plan = _with_actual(reviewed_plan(), SALES, 2, 700, target=750)
    assert progress.indicator_state(plan, SALES, ON).state == "on track"


def test_an_indicator_that_should_go_down():
    plan = reviewed_plan().with_indicator(Indicator(
        name="Days to deliver an order", kind="economic", baseline=30, target=6))
    plan = _with_actual(plan, "Days to deliver an order", 2, 20)  # path at 12: 18
    found = progress.indicator_state(plan, "Days to deliver an order", ON)
    assert found.state == "at risk" and found.share == pytest.approx(10 / 12)


def test_no_data_when_the_latest_period_is_missing_or_sent_back():
    plan = reviewed_plan().without_indicator_period("I1", 2)
    assert progress.indicator_state(plan, MEETINGS, ON).state == "no data"
    sent_back = _with_actual(reviewed_plan(), MEETINGS, 2, 9, status="sent back",
                             reason="The attendance list is missing.")
    assert progress.indicator_state(sent_back, MEETINGS, ON).state == "no data"
    early = progress.indicator_state(reviewed_plan(), MEETINGS, dt.date(2014, 7, 1))
    assert early.state == "on track" and early.period == 2  # reported before it ended
    assert progress.indicator_state(good_plan(), MEETINGS, ON).state == "no data"


def test_a_text_indicator_takes_the_teams_assessment():
    plan = reviewed_plan().with_indicator(Indicator(
        name="Trust among members", kind="non-economic", measure="text"))
    trust = plan.indicator("Trust among members").id
    assert progress.indicator_state(plan, trust, ON).state == "no data"
    plan = plan.with_indicator_period(IndicatorPeriod(
        indicator=trust, period=2, actual_text="Members now buy packaging together.",
        assessment="at risk"))
    found = progress.indicator_state(plan, trust, ON)
    assert found.state == "at risk" and found.actual_text.startswith("Members")
    with pytest.raises(ValueError, match="reported in words"):
        plan.with_indicator_period(IndicatorPeriod(indicator=trust, period=2, actual=3))
    with pytest.raises(ValueError, match="measured in numbers"):
        plan.with_indicator_period(IndicatorPeriod(indicator="I1", period=2, actual_text="many"))


def test_a_report_sent_back_needs_a_reason():
    with pytest.raises(ValidationError, match="needs the reason"):
        IndicatorPeriod(indicator="I1", period=1, actual=3, status="sent back")


def test_state_counts_list_every_state():
    plan = _with_actual(reviewed_plan(), SALES, 2, 100)
    counts = progress.state_counts(progress.indicator_states(plan, ON))
    assert counts == {"on track": 1, "at risk": 0, "off track": 1, "no data": 0}


def test_late_activities_and_reviews():
    plan = reviewed_plan()
    assert progress.late_activities(plan, ON) == []
    late = plan.with_activity_update(ActivityUpdate(activity="A5", period=2, status="under way",
                                                    note="The lawyer is ill."))
    (found,) = progress.late_activities(late, ON)
    assert found.activity.id == "A5" and found.due == dt.date(2015, 3, 1)
    assert not found.said_late and found.note == "The lawyer is ill."
    said = plan.with_activity_update(ActivityUpdate(activity="A6", period=2, status="late"))
    assert [a.activity.id for a in progress.late_activities(said, ON)] == ["A6"]
    assert progress.late_activities(said, ON)[0].said_late
    assert progress.activity_status(plan, plan.activity("A6"), ON) == "under way"
    assert progress.last_review(plan) == dt.date(2015, 6, 12)
    assert progress.next_review(plan, ON).number == 3
    assert progress.overdue_reviews(plan.without_review(1), ON)[0].number == 1


def test_phase_reached_and_the_market_goal():
    plan = reviewed_plan()
    assert progress.phase_reached(plan, ON) == 8  # A6 (phase IX) is still under way
    assert progress.phase_reached(good_plan(), ON) is None
    goal = progress.market_goal(plan, ON)
    assert (goal.planned, goal.shown, goal.accepted, goal.steps) == (True, False, True, 2)
    fair = plan.milestones[0].model_copy(update={"reached_on": dt.date(2015, 2, 14)})
    held = plan.updated(milestones=[fair, *plan.milestones[1:]])
    assert progress.market_goal(held, ON).label == "shown at a fair and accepted locally"
    assert progress.market_goal(good_plan().updated(milestones=[]), ON).steps == 0


def test_reviews_are_replaced_per_period_and_removed():
    plan = reviewed_plan().with_review(Review(period=2, held_on=dt.date(2015, 6, 20)))
    assert [r.held_on for r in plan.reviews] == [dt.date(2014, 12, 10), dt.date(2015, 6, 20)]
    with pytest.raises(KeyError, match="No review is recorded for period 3"):
        plan.without_review(3)


def test_removing_an_indicator_or_activity_removes_its_reports():
    plan = reviewed_plan().without_indicator(SALES).without_activity("A6")
    assert {p.indicator for p in plan.indicator_periods} == {"I1"}
    assert "A6" not in {u.activity for u in plan.activity_updates}


def test_renaming_an_indicator_keeps_its_id_and_reports():
    plan = reviewed_plan()
    old = plan.indicator(SALES)
    renamed = plan.with_indicator(Indicator(name="Sales of the shared bar", kind="economic",
                                            baseline=0, target=2000, phase=7), replacing=SALES)
    assert renamed.indicator("Sales of the shared bar").id == old.id
    assert progress.indicator_state(renamed, old.id, ON).state == "on track"


def test_the_progress_table():
    frame = progress.progress_table(_with_actual(reviewed_plan(), SALES, 2, 700), ON)
    assert list(frame["state"]) == ["on track", "at risk"]
    assert list(frame["share_pct"]) == [114, 70]  # meetings: 9 against a path of 8.5
