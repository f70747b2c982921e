"""Tests of consortia.content.programme: the 2014 work programme is data, read everywhere.

A trainer who runs a variant (phases III to V in nine months, reviews every four)
changes data/work_programme.yaml once; the rules, their wording, the charts and the
starter plan all follow.
"""

from __future__ import annotations

import pytest

from consortia.content import phase_overview, programme
from consortia.datafiles import DataFileError
from consortia.plans import rulebook, rules, timeline
from consortia.plans.starter import new_plan
from plan_fixtures import good_plan
from programme_fixtures import programme_variant


def test_the_shipped_programme_is_the_2014_one():
    shipped = programme.work_programme()
    assert shipped.early_phases.phases == [3, 4, 5]
    assert shipped.early_months == 6 and shipped.early_phases.source == "SELA 2014 §8"
    assert shipped.review_months == 6 and shipped.review.source == "SELA 2014 §21"
    assert shipped.label() == "phases III-V in about 6 months (SELA 2014 §8)"


def _late_activity_plan():
    plan = good_plan()
    late = plan.activity("A3").model_copy(update={"start_month": 5, "duration_months": 3})
    assert late.phase == 5 and late.end_month == 8
    return plan.with_activity(late)


def test_a_longer_programme_changes_what_the_rules_find_and_say(tmp_path):
    plan = _late_activity_plan()
    codes = [f.code for f in rules.check_plan(plan)]
    assert "early-phases-late" in codes
    assert rulebook.rulebook()["early-phases-late"].title == (
        "Phases III to V fit in the first six months")
    with programme_variant(tmp_path, months=9, review=4):
        assert "early-phases-late" not in [f.code for f in rules.check_plan(plan)]
        book = rulebook.rulebook()
        assert book["early-phases-late"].title == "Phases III to V fit in the first nine months"
        assert book["review-cadence"].title == (
            "The plan is reviewed at least every four months")
        assert book["review-cadence"].suggestion == "Set the review cadence to 4 months or less."
        six_monthly = plan.updated(review_every_months=6)
        finding = next(f for f in rules.check_plan(six_monthly) if f.code == "review-cadence")
        assert "less often than every 4" in finding.message
    assert "early-phases-late" in [f.code for f in rules.check_plan(plan)]  # restored


def test_the_starter_plan_and_the_charts_follow_the_programme(tmp_path):
    with programme_variant(tmp_path, months=9, review=3):
        plan = new_plan("belize")
        assert plan.review_every_months == 3
        assert [a.phase for a in plan.activities] == [3, 4, 5]
        assert timeline.gantt_layout(plan).early_months == 9
        assert 'width="' in timeline.plan_gantt_svg(plan)
        texts = " ".join(t.get_text() for t in phase_overview.phase_timeline().axes[0].texts)
        assert "in about 9 months" in texts
    assert timeline.gantt_layout(new_plan("belize")).early_months == 6


def test_a_programme_shorter_than_its_phases_is_refused(tmp_path):
    with pytest.raises(DataFileError) as caught, programme_variant(tmp_path, months=4):
        programme.work_programme()
    assert caught.value.field == "early_phases.months"
    assert "add up to 6 months" in str(caught.value)


def test_early_phases_must_be_listed_in_order(tmp_path):
    with pytest.raises(DataFileError, match="in order"), \
            programme_variant(tmp_path, months=6, phases=(5, 3, 4)):
        programme.work_programme()


def test_a_rule_text_naming_an_unknown_value_is_refused(tmp_path):
    import yaml

    document = yaml.safe_load(rulebook.DATA_PATH.read_text(encoding="utf-8"))
    document["rules"][0]["title"] = "Fits in {early_weeks} weeks"
    path = tmp_path / "plan_rules.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        rulebook.load_rulebook(path)
    assert caught.value.field == "rules.0.title"
    assert "early_weeks" in str(caught.value) and "{early_months}" in str(caught.value)
