"""Tests of consortia.plans.rules: every rule of the plan validator, both ways.

``good_plan()`` passes every rule; each case below breaks one rule with the
smallest change a participant could make, and checks that the validator reports it
with the documented severity and names what is at fault.
"""

from __future__ import annotations

import datetime as dt

import pytest

from consortia.plans import rules
from consortia.plans.model import Activity, Indicator
from plan_fixtures import MEETINGS, ON, SALES, good_plan, reviewed_plan


def _activity(plan, activity_id, **changes):
    return plan.with_activity(plan.activity(activity_id).model_copy(update=changes))


def _indicator(plan, name, **changes):
    item = next(i for i in plan.indicators if i.name == name)
    return plan.with_indicator(item.model_copy(update=changes))


# (code, what a participant does wrong, the subject the finding must name)
BREAKERS = {
    "phase-unknown": (lambda p: _activity(p, "A4", phase=12), "A4"),
    "duration-not-positive": (lambda p: _activity(p, "A3", duration_months=0), "A3"),
    "start-before-zero": (lambda p: _activity(p, "A1", start_month=-2), "A1"),
    "beyond-horizon": (lambda p: _activity(p, "A6", duration_months=20), "A6"),
    "duplicate-activity-id": (
        lambda p: p.updated(activities=[*p.activities, p.activity("A2")]), "A2"),
    "early-phases-missing": (
        lambda p: p.without_activity("A2").without_activity("A3"), "activities"),
    "early-phases-late": (lambda p: _activity(p, "A3", duration_months=4), "A3"),
    "phase-order": (lambda p: _activity(p, "A3", start_month=1), "A3"),
    "owner-missing": (lambda p: _activity(p, "A5", owner=""), "A5"),
    "no-indicator": (lambda p: _activity(p, "A5", indicators=[]), "A5"),
    "unknown-indicator": (lambda p: _activity(p, "A5", indicators=["Happiness"]), "A5"),
    "no-budget": (lambda p: _activity(p, "A4", budget_usd=None), "A4"),
    "budget-implausible": (lambda p: _activity(p, "A4", budget_usd=999_999_999_999), "A4"),
    "members-missing": (
        lambda p: p.updated(members=p.members.model_copy(update={"count": 0})), "members"),
    "indicator-kind-missing": (lambda p: _indicator(p, SALES, kind=None), SALES),
    "indicator-phase-unknown": (lambda p: _indicator(p, MEETINGS, phase=0), MEETINGS),
    "no-non-economic-indicator": (
        lambda p: _indicator(p, MEETINGS, kind="economic"), "indicators"),
    "no-economic-indicator": (
        lambda p: p.updated(indicators=[i.model_copy(update={"kind": "non-economic"})
                                        for i in p.indicators]), "indicators"),
    "target-equals-baseline": (lambda p: _indicator(p, MEETINGS, target=5), MEETINGS),
    "review-cadence": (lambda p: p.updated(review_every_months=12), "review_every_months"),
    "no-market-milestone": (lambda p: p.without_milestone("National Chocolate Festival stand"),
                            "milestones"),
    "milestone-outside-plan": (
        lambda p: p.updated(milestones=[m.model_copy(update={"month": 30})
                                        for m in p.milestones]), "Six-month review"),
    "mark-before-rules": (lambda p: _activity(p, "A6", start_month=1, justification="x"), "A6"),
    "mark-without-legal-owner": (lambda p: p.without_activity("A5"), "A6"),
    "no-objectives": (lambda p: p.updated(objectives=[]), "objectives"),
    "few-partner-kinds": (
        lambda p: p.updated(members=p.members.model_copy(update={"kinds": ["producers"]})),
        "members"),
    "unknown-case": (lambda p: p.updated(case="atlantis"), "case"),
}


def _report(plan, name, period, **changes):
    item = plan.indicator_period(plan.indicator(name).id, period)
    return plan.with_indicator_period(item.model_copy(update=changes))


#: Rules about progress: broken from ``reviewed_plan()`` and judged on ``ON``.
PROGRESS_BREAKERS = {
    "review-overdue": (lambda p: p.without_review(2), "review 2"),
    "actual-without-evidence": (lambda p: _report(p, SALES, 1, evidence=[]), "I2 period 1"),
    "period-without-actual": (lambda p: p.without_indicator_period("I1", 2), "I1"),
    "activity-late": (lambda p: p.with_activity_update(
        p.activity_update("A5", 2).model_copy(update={"status": "under way"})), "A5"),
    "target-missed-twice": (
        lambda p: _report(_report(p, SALES, 1, actual=100), SALES, 2, actual=200), "I2"),
}


def test_the_good_plan_passes_every_rule():
    assert rules.check_plan(good_plan()) == []


def test_the_reviewed_plan_passes_every_rule_a_year_on():
    assert rules.check_plan(reviewed_plan(), on=ON) == []


def test_every_documented_rule_has_a_check_and_a_test():
    documented = set(rules.rulebook())
    assert documented == set(rules.CHECKS)
    assert documented == set(BREAKERS) | set(PROGRESS_BREAKERS)


@pytest.mark.parametrize("code", sorted([*BREAKERS, *PROGRESS_BREAKERS]))
def test_each_rule_catches_what_it_is_for(code):
    if code in BREAKERS:
        breaker, subject = BREAKERS[code]
        findings = rules.check_plan(breaker(good_plan()))
    else:
        breaker, subject = PROGRESS_BREAKERS[code]
        findings = rules.check_plan(breaker(reviewed_plan()), on=ON)
    findings = [f for f in findings if f.code == code]
    assert findings, f"rule {code} did not fire"
    rule = rules.rulebook()[code]
    for finding in findings:
        assert finding.severity == rule.severity
        assert finding.suggestion == rule.suggestion
        assert finding.source == rule.source
        assert finding.message
    assert subject in {f.subject for f in findings}


def test_every_rule_is_documented_with_a_source():
    for rule in rules.rulebook().values():
        assert rule.source and rule.explanation and rule.suggestion


def test_messages_name_the_activity():
    plan = _activity(good_plan(), "A5", owner="")
    (finding,) = [f for f in rules.check_plan(plan) if f.code == "owner-missing"]
    assert "A5" in finding.message and "Register the association" in finding.message


def test_justification_allows_an_early_start():
    plan = _activity(good_plan(), "A3", start_month=1)
    assert "phase-order" in {f.code for f in rules.check_plan(plan)}
    justified = _activity(plan, "A3", justification="The legal adviser is only free now.")
    assert "phase-order" not in {f.code for f in rules.check_plan(justified)}


def test_mark_needs_rules_of_production_at_all():
    plan = _activity(good_plan(), "A1", sets_production_rules=False)
    (finding,) = [f for f in rules.check_plan(plan) if f.code == "mark-before-rules"]
    assert "no activity agrees the rules of production" in finding.message


def test_legal_constitution_must_start_before_the_mark():
    plan = _activity(good_plan(), "A5", start_month=10)
    (finding,) = [f for f in rules.check_plan(plan) if f.code == "mark-without-legal-owner"]
    assert "before the group's legal constitution (month 10)" in finding.message


def test_a_plan_without_mark_work_needs_no_rules():
    plan = good_plan().without_activity("A6")
    plan = _activity(plan, "A1", sets_production_rules=False)
    assert "mark-before-rules" not in {f.code for f in rules.check_plan(plan)}


def test_findings_are_sorted_errors_first_and_summarised():
    plan = good_plan().updated(objectives=[], review_every_months=None)
    plan = _activity(plan, "A1", owner="", budget_usd=None)
    findings = rules.check_plan(plan)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=rules.SEVERITY_ORDER.get)
    assert rules.has_errors(findings)
    assert rules.summary(findings) == "1 error, 2 warnings, 1 advice"
    frame = rules.findings_frame(findings)
    assert list(frame["code"]) == [f.code for f in findings]


def test_new_activity_and_indicator_objects_are_checked_too():
    plan = good_plan().with_activity(
        Activity(id="A7", title="Open a shop at the airport", phase=7, start_month=10,
                 duration_months=2, owner="", indicators=["Tourists served"])
    ).with_indicator(Indicator(name="Tourists served", kind="economic", baseline=0, target=0))
    codes = {f.code for f in rules.check_plan(plan)}
    assert {"owner-missing", "no-budget", "target-equals-baseline"} <= codes


def test_progress_rules_wait_for_the_period_to_end_and_a_start_date():
    plan = reviewed_plan().without_review(2).without_indicator_period("I1", 2)
    before_end = rules.check_plan(plan, on=dt.date(2015, 5, 30))  # period 2 ends 1 June 2015
    assert not {"review-overdue", "period-without-actual"} & {f.code for f in before_end}
    in_grace = rules.check_plan(plan, on=dt.date(2015, 6, 20))
    assert "period-without-actual" in {f.code for f in in_grace}
    assert "review-overdue" not in {f.code for f in in_grace}  # 30 days' grace
    undated = rules.check_plan(plan.updated(start_date=None), on=ON)
    assert not {"review-overdue", "period-without-actual", "activity-late"} & {
        f.code for f in undated}


def test_progress_rule_texts_name_the_settings():
    assert "30 days" in rules.rulebook()["review-overdue"].explanation
    assert "90%" in rules.rulebook()["target-missed-twice"].explanation


def test_a_budget_up_to_the_plausible_limit_passes_and_a_slip_beyond_it_is_named():
    limit = rules.parameters().plausible_budget_usd
    assert f"US$ {limit:,}" in rules.rulebook()["budget-implausible"].explanation
    at_limit = _activity(good_plan(), "A4", budget_usd=limit)
    assert "budget-implausible" not in {f.code for f in rules.check_plan(at_limit)}
    slip = _activity(good_plan(), "A4", budget_usd=999_999_999_999)
    (finding,) = [f for f in rules.check_plan(slip) if f.code == "budget-implausible"]
    assert "US$ 999,999,999,999" in finding.message and "A4" in finding.message


def test_an_indicator_without_a_kind_is_named_and_counts_as_neither_kind():
    plan = _indicator(good_plan(), MEETINGS, kind=None)
    findings = rules.check_plan(plan)
    (finding,) = [f for f in findings if f.code == "indicator-kind-missing"]
    assert MEETINGS in finding.message and finding.severity == "error"
    assert "no-non-economic-indicator" in {f.code for f in findings}
