"""Tests of consortia.plans.monitoring: indicator tables, progress and review months."""

from __future__ import annotations

import pytest

from consortia.plans import monitoring, rules
from consortia.plans.model import Indicator, Milestone
from plan_fixtures import MEETINGS, SALES, good_plan

# --- progress and status ---------------------------------------------------------------


def test_progress_is_the_share_of_the_way_from_baseline_to_target():
    assert monitoring.progress(9000, 10500, 9600) == pytest.approx(0.4)
    assert monitoring.progress(0, 100, 100) == 1
    assert monitoring.progress(0, 100, 0) == 0


def test_progress_works_for_indicators_that_should_fall():
    # e.g. days to deliver an order: from 10 down to 4, now 7 = half way
    assert monitoring.progress(10, 4, 7) == pytest.approx(0.5)
    assert monitoring.progress(10, 4, 12) < 0


def test_progress_is_not_clipped_and_undefined_without_a_change_or_a_figure():
    assert monitoring.progress(0, 10, 15) == pytest.approx(1.5)
    assert monitoring.progress(5, 5, 7) is None
    assert monitoring.progress(0, 10, None) is None


def test_status_words():
    assert monitoring.status(None) == monitoring.UNKNOWN
    assert monitoring.status(1.2) == monitoring.REACHED
    assert monitoring.status(-0.1) == monitoring.BACKWARDS
    assert monitoring.status(0.2) == monitoring.ON_TRACK
    assert monitoring.status(0.2, expected=0.25) == monitoring.BEHIND
    assert monitoring.status(0.3, expected=0.25) == monitoring.ON_TRACK


def test_expected_share_is_the_part_of_the_horizon_that_has_passed():
    assert monitoring.expected_share(6, 24) == 0.25
    assert monitoring.expected_share(30, 24) == 1
    assert monitoring.expected_share(-3, 24) == 0
    with pytest.raises(ValueError, match="horizon"):
        monitoring.expected_share(6, 0)


# --- the table -------------------------------------------------------------------------


def test_table_lists_every_indicator_in_plan_order_and_says_who_measures():
    plan = good_plan()
    table = monitoring.indicator_table(plan, measured_by={SALES: "Treasurer"})
    assert list(table["indicator"]) == [i.name for i in plan.indicators]
    assert list(table.columns) == ["indicator", "kind", "phase", "unit", "baseline", "target",
                                   "measured_by"]
    assert table.set_index("indicator").loc[SALES, "measured_by"] == "Treasurer"
    assert table.set_index("indicator").loc[MEETINGS, "measured_by"] == monitoring.NOBODY
    assert table.set_index("indicator").loc[MEETINGS, "phase"] == "III"


def test_table_with_sources_and_latest_figures_judges_progress():
    plan = good_plan()  # meetings 5 -> 12, sales 0 -> 2000, horizon 24
    table = monitoring.indicator_table(
        plan, baseline_sources={MEETINGS: "SELA 2014 §13"},
        latest={MEETINGS: 9, SALES: 300}, month=6,
    ).set_index("indicator")
    assert table.loc[MEETINGS, "baseline_source"] == "SELA 2014 §13"
    assert table.loc[SALES, "baseline_source"] == ""
    assert table.loc[MEETINGS, "progress_pct"] == 57  # 4 of 7
    assert table.loc[SALES, "progress_pct"] == 15
    assert table.loc[MEETINGS, "expected_pct"] == 25
    assert table.loc[MEETINGS, "status"] == monitoring.ON_TRACK
    assert table.loc[SALES, "status"] == monitoring.BEHIND


def test_an_indicator_not_measured_yet_shows_as_such():
    table = monitoring.indicator_table(good_plan(), latest={SALES: 2500})
    rows = table.set_index("indicator")
    assert rows.loc[SALES, "status"] == monitoring.REACHED
    assert rows.loc[MEETINGS, "status"] == monitoring.UNKNOWN
    assert "expected_pct" not in table.columns


@pytest.mark.parametrize("argument", ["measured_by", "baseline_sources", "latest"])
def test_a_misspelt_indicator_name_is_refused_with_the_valid_names(argument):
    with pytest.raises(ValueError, match="Monthly sales of the consortium") as info:
        monitoring.indicator_table(good_plan(), **{argument: {"Montly sales": 1}})
    assert "'Montly sales'" in str(info.value) and argument in str(info.value)


def test_a_plan_without_indicators_gives_an_empty_table_with_the_columns():
    plan = good_plan().updated(indicators=[], activities=[])
    table = monitoring.indicator_table(plan, latest={})
    assert table.empty and "progress_pct" in table.columns


# --- reviews ---------------------------------------------------------------------------


def test_review_months_follow_the_cadence_up_to_the_horizon():
    plan = good_plan()
    assert monitoring.review_months(plan) == [6, 12, 18, 24]
    assert monitoring.review_months(plan.updated(review_every_months=4, horizon_months=10)) \
        == [4, 8]
    assert monitoring.review_months(plan.updated(review_every_months=None)) == []


def test_review_milestones_are_added_once_and_keep_existing_ones():
    plan = good_plan()  # already has a review milestone in month 6
    once = monitoring.with_review_milestones(plan)
    reviews = sorted(m.month for m in once.milestones if m.kind == "review")
    assert reviews == [6, 12, 18, 24]
    assert monitoring.with_review_milestones(once) == once
    assert any(m.title == "Review 2 (month 12)" for m in once.milestones)
    assert Milestone(title="National Chocolate Festival stand", month=8, kind="fair") \
        in once.milestones


def test_monitoring_rules_are_rules_of_the_validator():
    assert set(monitoring.MONITORING_RULES) <= set(rules.rulebook())
    assert "review-cadence" in monitoring.MONITORING_RULES
    assert "no-non-economic-indicator" in monitoring.MONITORING_RULES
    # the rules of the six-monthly reviews are monitoring rules too
    assert {"review-overdue", "actual-without-evidence", "period-without-actual",
            "activity-late", "target-missed-twice"} <= set(monitoring.MONITORING_RULES)


def test_adding_a_non_economic_indicator_and_six_monthly_reviews_clears_those_findings():
    plan = good_plan().without_indicator(MEETINGS).updated(review_every_months=12)
    codes = {f.code for f in rules.check_plan(plan)}
    assert {"no-non-economic-indicator", "review-cadence"} <= codes
    fixed = plan.with_indicator(Indicator(name="Training hours", kind="non-economic",
                                          unit="hours", target=40)).updated(
        review_every_months=6)
    codes = {f.code for f in rules.check_plan(fixed)}
    assert not {"no-non-economic-indicator", "review-cadence"} & codes


# --- the chart -------------------------------------------------------------------------


def test_progress_chart_draws_a_bar_per_indicator_with_target_and_expected_lines():
    table = monitoring.indicator_table(good_plan(), latest={MEETINGS: 9, SALES: 300}, month=6)
    fig = monitoring.progress_chart(table)
    ax = fig.axes[0]
    bars = ax.containers[0].patches
    assert [round(b.get_width()) for b in bars] == [57, 15]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "57%" in texts and "target" in texts and "expected by now (25%)" in texts
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_chart_marks_indicators_not_measured():
    table = monitoring.indicator_table(good_plan(), latest={SALES: 300})
    texts = " ".join(t.get_text() for t in monitoring.progress_chart(table).axes[0].texts)
    assert "not measured" in texts


def test_progress_chart_needs_latest_figures():
    with pytest.raises(ValueError, match="latest"):
        monitoring.progress_chart(monitoring.indicator_table(good_plan()))
