"""Tests of consortia.plans.followup: the illustrative follow-up and exercise 05's plan."""

from __future__ import annotations

import datetime as dt

from consortia.plans import followup, progress, rules


def test_nine_caribbean_plans_each_marked_as_invented():
    plans = followup.followup_plans()
    assert len(plans) == 9
    from consortia.content import cases

    caribbean = {c.slug for c in cases.all_cases() if c.kind == "caribbean-proposal"}
    assert set(plans) == caribbean
    for plan in plans.values():
        assert plan.illustrative_note.startswith("Invented for teaching")
        assert plan.start_date == dt.date(2014, 6, 1)
        assert not rules.has_errors(rules.check_plan(plan, followup.as_of()))


def test_the_follow_up_covers_twelve_months_with_a_mix_of_states():
    on = followup.as_of()
    states = [s.state for p in followup.followup_plans().values()
              for s in progress.indicator_states(p, on)]
    assert set(states) == set(progress.STATES)
    assert {s.period for p in followup.followup_plans().values()
            for s in progress.indicator_states(p, on)} == {2}


def test_the_exercise_plan_waits_for_its_second_review():
    on = dt.date(2027, 3, 20)
    plan = followup.exercise_plan(on)
    assert plan.start_date == dt.date(2026, 3, 1)
    assert [p.number for p in progress.ended_periods(plan, on)] == [1, 2]
    assert {r.period for r in plan.indicator_periods} == {1} and plan.review(2) is None
    codes = {f.code for f in rules.check_plan(plan, on)}
    assert {"period-without-actual", "actual-without-evidence", "activity-late"} <= codes
    assert "review-overdue" not in codes  # the period ended 19 days ago
    assert plan.illustrative_note
