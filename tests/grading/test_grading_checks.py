"""Tests of consortia.grading.checks: what a test cell of a graded exercise tells a participant."""

from __future__ import annotations

import inspect
import json

import pytest
from matplotlib.figure import Figure

from consortia.content import methodology, readiness
from consortia.grading import checks
from consortia.plans import rules
from consortia.plans.files import save_plan
from consortia.plans.model import ActionPlan, Indicator
from consortia.plans.starter import new_plan
from plan_fixtures import good_plan

# --- short answers -------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["III", "iii", " III ", "Phase III", 3, "3", "III."])
def test_answer_numeral_accepts_the_ways_people_write_a_phase(given):
    assert checks.answer_numeral(given, "answer_1") == "III"


@pytest.mark.parametrize("given", ["", "   ", None, ...])
def test_an_empty_answer_says_it_is_still_empty(given):
    with pytest.raises(AssertionError, match="answer_1 is still empty"):
        checks.answer_numeral(given, "answer_1")


@pytest.mark.parametrize("given", ["XI", "three", 0, 11, True, "IIII"])
def test_a_malformed_numeral_is_explained_with_an_example(given):
    with pytest.raises(AssertionError) as caught:
        checks.answer_numeral(given, "answer_2")
    message = str(caught.value)
    assert "answer_2" in message and "from I to X" in message and '"VII"' in message
    assert repr(given) in message


def test_answer_letter_and_word():
    assert checks.answer_letter(" b ", "answer_6") == "B"
    assert checks.answer_letter("C.", "answer_6") == "C"
    with pytest.raises(AssertionError, match='"A", "B", "C"'):
        checks.answer_letter("D", "answer_6")
    assert checks.answer_word("Export", "answer_8", ["export", "origin"]) == "export"
    assert checks.answer_word("an origin consortium", "answer_8", ["export", "origin"]) == "origin"
    with pytest.raises(AssertionError, match='"export" or "origin"'):
        checks.answer_word("both export and origin", "answer_8", ["export", "origin"])


def test_answer_number():
    assert checks.answer_number(6, "answer_5", 1, 36) == 6
    assert checks.answer_number("6", "answer_5", 1, 36) == 6
    assert checks.answer_number(6.0, "answer_5", 1, 36) == 6
    for wrong in (6.5, "six", 0, 40, True):
        with pytest.raises(AssertionError, match="whole number from 1 to 36"):
            checks.answer_number(wrong, "answer_5", 1, 36)


@pytest.mark.parametrize("given", ["B, D, A, C", "BDAC", "b d a c", ["B", "D", "A", "C"]])
def test_answer_order_reads_letters_in_any_layout(given):
    assert checks.answer_order(given, "answer_4") == ["B", "D", "A", "C"]


@pytest.mark.parametrize("given", ["B, D, A", "B, D, A, A", "B, D, A, C, E"])
def test_answer_order_needs_each_letter_once(given):
    with pytest.raises(AssertionError, match="each exactly once"):
        checks.answer_order(given, "answer_4")


def test_a_wrong_order_names_two_letters_but_not_the_order():
    checks.assert_same_order(["B", "D", "A", "C"], ["B", "D", "A", "C"], "answer_4")
    with pytest.raises(AssertionError) as caught:
        checks.assert_same_order(["D", "B", "A", "C"], ["B", "D", "A", "C"], "answer_4")
    message = str(caught.value)
    assert "D and B" in message
    assert "B, D" not in message and "BDAC" not in message


# --- tables and charts ---------------------------------------------------------------------


def test_frames_and_series():
    import pandas as pd

    table = pd.DataFrame({"slug": ["a"], "kind": ["x"]})
    assert checks.assert_frame(table, "t", columns=["slug"]) is None
    with pytest.raises(AssertionError, match="still None"):
        checks.assert_frame(None, "t")
    with pytest.raises(AssertionError, match=r"lacks the column\(s\) \['stage'\]"):
        checks.assert_frame(table, "t", columns=["slug", "stage"])
    with pytest.raises(AssertionError, match="empty table"):
        checks.assert_frame(table.iloc[0:0], "t")
    assert checks.assert_series(table["slug"], "s") is None
    with pytest.raises(AssertionError, match="a Series"):
        checks.assert_series(table, "s")
    with pytest.raises(AssertionError, match="not a list"):
        checks.assert_series([1, 2], "s")


def _bars(n: int, label: str = "Share (%)") -> Figure:
    fig = Figure()
    ax = fig.subplots()
    ax.bar(range(n), range(1, n + 1))
    ax.set_ylabel(label)
    return fig


def test_bar_chart_checks():
    assert checks.assert_bar_chart(_bars(3), "fig", bars=3) is None
    assert len(checks.bar_chart_axes(_bars(3), "fig").patches) == 3
    with pytest.raises(AssertionError, match="has 3 bars; it should have one per case"):
        checks.assert_bar_chart(_bars(3), "fig", bars=9)
    with pytest.raises(AssertionError, match="no label on the y axis"):
        checks.assert_bar_chart(_bars(2, label=""), "fig")
    with pytest.raises(AssertionError, match="still None"):
        checks.assert_bar_chart(None, "fig")
    with pytest.raises(AssertionError, match="exactly one bar chart"):
        checks.assert_bar_chart(Figure(), "fig")
    with pytest.raises(AssertionError, match="matplotlib Figure"):
        checks.assert_bar_chart("chart", "fig")


# --- cases and readiness scores ----------------------------------------------------------------


def test_assert_case():
    assert checks.assert_case("belize") is None
    assert checks.checked_case(" belize ").slug == "belize"
    with pytest.raises(AssertionError, match=r"The cases are: .*belize"):
        checks.assert_case("Belize")
    with pytest.raises(AssertionError, match="still empty"):
        checks.assert_case("")
    with pytest.raises(AssertionError, match="asks for a caribbean proposal"):
        checks.assert_case("chulucanas-ceramics", kind="caribbean-proposal")


def test_assert_scores():
    scores = readiness.case_scores("belize")
    assert checks.assert_scores(scores) is None
    assert checks.checked_scores(scores) == scores
    template = {c.key: None for c in methodology.criteria()}
    with pytest.raises(AssertionError, match="still has no score for 10 criteria"):
        checks.assert_scores(template)
    with pytest.raises(AssertionError, match="the score for 'little_known' is 11"):
        checks.assert_scores({**scores, "little_known": 11})
    with pytest.raises(AssertionError, match="whole number"):
        checks.assert_scores({**scores, "little_known": 7.5})
    with pytest.raises(AssertionError, match="dictionary"):
        checks.assert_scores([1, 2, 3])


def test_claims_about_the_scores():
    scores = readiness.case_scores("belize")  # 71 in all; highest 9 (three); lowest 4
    checks.assert_total(scores, 71)
    with pytest.raises(AssertionError, match="not the sum of your 10 scores"):
        checks.assert_total(scores, 70)
    with pytest.raises(AssertionError, match="number written without quotes"):
        checks.assert_total(scores, "71")
    with pytest.raises(AssertionError, match="Fix the scores first"):
        checks.assert_total({}, 0)
    for tied in ("traditional_territorial_link", "need_to_add_value"):
        checks.assert_highest(scores, tied)
    checks.assert_lowest(scores, "consistent_quality_feasible")
    with pytest.raises(AssertionError, match="another criterion has a higher score"):
        checks.assert_highest(scores, "little_known")
    with pytest.raises(AssertionError, match="another criterion has a lower score"):
        checks.assert_lowest(scores, "little_known")
    with pytest.raises(AssertionError, match="name of one criterion"):
        checks.assert_lowest(scores, "Consistent quality")
    checks.assert_band(scores, "Strong candidate")
    with pytest.raises(AssertionError, match="fall in another band"):
        checks.assert_band(scores, "weak candidate")
    with pytest.raises(AssertionError, match="should be one of"):
        checks.assert_band(scores, "good")


def test_messages_about_scores_never_give_the_right_value():
    scores = readiness.case_scores("belize")
    with pytest.raises(AssertionError) as caught:
        checks.assert_total(scores, 70)
    assert "71" not in str(caught.value)
    with pytest.raises(AssertionError) as caught:
        checks.assert_band(scores, "weak candidate")
    assert "strong candidate" not in str(caught.value)


# --- action plans ------------------------------------------------------------------------------


def test_a_good_plan_file_passes_every_check(tmp_path):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    assert checks.assert_plan_file(path) is None
    assert checks.checked_plan(path) == good_plan()
    assert checks.assert_no_errors(path) is None
    assert checks.assert_rules_pass(path, list(rules.rulebook())) is None
    assert "0 errors, 0 warnings, 0 advice" in checks.plan_summary(path)


def test_a_missing_or_broken_plan_file_says_what_to_do(tmp_path):
    with pytest.raises(AssertionError, match=r"plan.json is missing.*planner"):
        checks.assert_plan_file(tmp_path / "plan.json")
    (tmp_path / "plan.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(AssertionError, match="not valid JSON"):
        checks.assert_rule_passes(tmp_path / "plan.json", "review-cadence")


@pytest.mark.parametrize("case", [None, "belize", "guyana"])
def test_the_untouched_starter_plan_earns_nothing(tmp_path, case):
    path = save_plan(new_plan(case), tmp_path / "plan.json")
    with pytest.raises(AssertionError, match="still holds the starter plan"):
        checks.assert_plan_file(path)
    with pytest.raises(AssertionError, match="still holds the starter plan"):
        checks.assert_rule_passes(path, "review-cadence")
    renamed = save_plan(new_plan(case).updated(consortium="Our own name"), path)
    with pytest.raises(AssertionError, match="starter plan"):
        checks.assert_plan_file(renamed)
    changed = save_plan(new_plan(case).updated(review_every_months=3), path)
    checks.assert_plan_file(changed)


def test_a_broken_rule_gives_the_finding_the_source_and_the_suggestion():
    plan = good_plan().updated(review_every_months=12)
    with pytest.raises(AssertionError) as caught:
        checks.assert_rule_passes(plan, "review-cadence")
    message = str(caught.value)
    rule = rules.rulebook()["review-cadence"]
    assert rule.title in message and rule.source in message
    assert "reviewed every 12 months" in message
    assert f"What to do: {rule.suggestion}" in message
    checks.assert_rule_passes(plan, "no-market-milestone")


def test_several_rules_are_reported_together():
    plan = good_plan().updated(review_every_months=None, milestones=[])
    with pytest.raises(AssertionError) as caught:
        checks.assert_rules_pass(plan, ["review-cadence", "no-market-milestone", "no-objectives"])
    message = str(caught.value)
    assert "(review-cadence," in message and "(no-market-milestone," in message
    assert "no-objectives" not in message


def test_long_lists_of_findings_are_cut_short():
    plan = good_plan()
    activities = [a.model_copy(update={"owner": ""}) for a in plan.activities]
    plan = plan.updated(activities=activities)
    with pytest.raises(AssertionError) as caught:
        checks.assert_rule_passes(plan, "owner-missing")
    message = str(caught.value)
    assert message.count("has no owner") == checks.MAX_FINDINGS_SHOWN
    assert f"and {len(activities) - checks.MAX_FINDINGS_SHOWN} more" in message


def test_assert_no_errors_lists_each_must_fix():
    plan = good_plan()
    plan = plan.with_indicator(Indicator(name="Ghost", kind="economic", phase=42))
    plan = plan.updated(activities=[plan.activities[0].model_copy(update={"owner": ""}),
                                    *plan.activities[1:]])
    with pytest.raises(AssertionError) as caught:
        checks.assert_no_errors(plan)
    message = str(caught.value)
    assert "2 thing(s) you must fix" in message
    assert "(owner-missing," in message and "(indicator-phase-unknown," in message
    checks.assert_no_errors(good_plan().updated(review_every_months=None))  # a warning only


def test_an_unknown_rule_code_is_an_authoring_error_not_a_failed_test():
    with pytest.raises(ValueError, match="No rule 'review-every'"):
        checks.assert_rule_passes(good_plan(), "review-every")


def test_a_plan_naming_an_unknown_case_is_not_a_starter(tmp_path):
    data = json.loads(good_plan().model_dump_json())
    data["case"] = "atlantis"
    assert not checks.is_starter_plan(ActionPlan.model_validate(data))


# --- the contract with nbgrader ----------------------------------------------------------------


def test_assert_helpers_return_nothing():
    """nbgrader reads a test cell's output as partial credit: assert_* must show nothing."""
    for name, func in inspect.getmembers(checks, inspect.isfunction):
        if name.startswith("assert_") and func.__module__ == checks.__name__:
            assert inspect.signature(func).return_annotation in ("None", None), name


def test_a_passing_check_says_so_in_one_line(capsys, tmp_path):
    checks.answer_numeral("iii", "answer_1")
    assert capsys.readouterr().out == (
        "\u2713 answer_1 is written the right way (whether it is right is marked when your "
        "notebook is graded).\n"
    )
    path = save_plan(good_plan(), tmp_path / "plan.json")
    checks.assert_rule_passes(path, "review-cadence")  # loads the plan with another check
    assert capsys.readouterr().out == (
        "\u2713 The plan follows the rule: The plan is reviewed at least every six months.\n"
    )
    checks.assert_rules_pass(path, ["no-objectives", "no-market-milestone"])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "rules: The plan states its objectives; " in out
    checks.assert_rules_pass(path, iter(["no-objectives"]))
    assert capsys.readouterr().out == "\u2713 The plan follows the rules checked here.\n"
    checks.assert_total(readiness.case_scores("belize"), 71)
    assert capsys.readouterr().out == "\u2713 my_total is the sum of your scores.\n"


def test_a_failing_check_prints_nothing(capsys):
    with pytest.raises(AssertionError):
        checks.answer_numeral("XI", "answer_1")
    with pytest.raises(AssertionError):
        checks.assert_total({}, 3)
    assert capsys.readouterr().out == ""
    checks.answer_numeral("I", "answer_1")  # and the next passing check still speaks
    assert capsys.readouterr().out.startswith("\u2713 answer_1")


def test_the_passed_lines_can_be_silenced(capsys, monkeypatch):
    monkeypatch.setattr(checks, "SAY_WHEN_PASSED", False)
    checks.answer_letter("a", "answer_6")
    assert capsys.readouterr().out == ""


# --- the graded checks of the action plan (data/rubrics/action_plan.yaml) ----------------------


def _graded():
    from consortia.grading.rubric import load_rubric

    return load_rubric(checks.PLAN_RUBRIC)


def test_a_good_plan_meets_every_graded_check(tmp_path):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    for check in _graded().checks:
        assert checks.assert_criterion(path, check.grade_id) is None


def test_a_failed_check_names_itself_its_points_and_its_rule_in_words():
    """The issue: a test named non_economic_indicator failed saying "no economic indicator"."""
    plan = good_plan()
    plan = plan.updated(indicators=[i for i in plan.indicators if i.kind == "economic"],
                        activities=[a.model_copy(update={"indicators": ["Monthly sales of the "
                                                                        "consortium"]})
                                    for a in plan.activities])
    with pytest.raises(AssertionError) as caught:
        checks.assert_criterion(plan, "non_economic_indicator")
    message = str(caught.value)
    rule = rules.rulebook()["no-non-economic-indicator"]
    assert message.startswith(f"Check non_economic_indicator (2 points) is not met yet: "
                              f"{rule.title}.")
    assert '(no-non-economic-indicator, "Should fix" in the planner' in message
    assert f"What to do: {rule.suggestion}" in message
    assert "no-economic-indicator" not in message


def test_rules_the_planner_calls_worth_improving_never_cost_points():
    """The issue: every check showed a tick, yet two "Worth improving" rules cost 2 points each."""
    plan = good_plan()
    plan = plan.updated(
        members=plan.members.model_copy(update={"kinds": ["producers"]}),
        indicators=[i.model_copy(update={"target": i.baseline}) if i.kind == "non-economic"
                    else i for i in plan.indicators])
    found = {f.code: f.severity for f in rules.check_plan(plan)}
    assert found == {"few-partner-kinds": "advice", "target-equals-baseline": "advice"}
    for check in _graded().checks:
        checks.assert_criterion(plan, check.grade_id)
    graded = {code for check in _graded().checks for code in _graded().check_rules(check.grade_id)}
    advice = {code for code, rule in rules.rulebook().items() if rule.severity == "advice"}
    assert graded and not graded & advice


def test_each_rule_is_graded_by_one_check_only():
    book = _graded()
    graded = [code for check in book.checks for code in book.check_rules(check.grade_id)]
    assert len(graded) == len(set(graded))
    assert "mark-before-rules" in book.check_rules("mark_after_rules")
    assert "mark-before-rules" not in book.check_rules("no_errors")
    assert "owner-missing" in book.check_rules("no_errors")
    broken = good_plan().updated(activities=[
        a.model_copy(update={"sets_production_rules": False}) for a in good_plan().activities])
    checks.assert_criterion(broken, "no_errors")
    with pytest.raises(AssertionError, match="mark-before-rules"):
        checks.assert_criterion(broken, "mark_after_rules")


def test_a_passing_graded_check_says_what_it_checked(capsys):
    checks.assert_criterion(good_plan(), "review_cadence")
    assert capsys.readouterr().out == ("\u2713 The plan is reviewed at least every six months "
                                       "(check review_cadence, 1 point).\n")


def test_an_unknown_check_is_an_authoring_error():
    with pytest.raises(KeyError, match="No check 'cadence'"):
        checks.assert_criterion(good_plan(), "cadence")


def test_a_missing_plan_file_is_called_missing(tmp_path):
    with pytest.raises(AssertionError) as caught:
        checks.assert_criterion(tmp_path / "plan.json", "plan_loads")
    message = str(caught.value)
    assert message.startswith("plan.json is missing") and "planner cell" in message
    assert "starter plan" not in message


def test_in_the_grader_a_plan_not_handed_in_is_called_missing(tmp_path, monkeypatch):
    """The issue: a hand-in without plan.json was told it "still holds the starter plan"
    (the planner saves one when the grader runs the notebook)."""
    monkeypatch.chdir(tmp_path)  # the grader runs the tests in the hand-in's folder
    save_plan(new_plan("belize"), tmp_path / "plan.json")
    with checks.handed_in(["action_plan.ipynb"]), pytest.raises(AssertionError) as caught:
        checks.assert_criterion("plan.json", "review_cadence")
    message = str(caught.value)
    assert message.startswith("plan.json was not handed in with this notebook")
    assert "Hand in plan.json" in message and "starter plan" not in message
    with checks.handed_in(["action_plan.ipynb", "sub/plan.json"]), \
            pytest.raises(AssertionError, match="was not handed in"):
        checks.assert_criterion(tmp_path / "plan.json", "plan_loads")
    both = ["action_plan.ipynb", "./plan.json"]
    with checks.handed_in(both), pytest.raises(AssertionError, match="still holds the starter"):
        checks.assert_criterion("plan.json", "plan_loads")
    with checks.handed_in([]), pytest.raises(AssertionError, match="was not handed in"):
        checks.assert_criterion("other/plan.json", "plan_loads")
    with pytest.raises(AssertionError, match="still holds the starter plan"):
        checks.assert_criterion("plan.json", "plan_loads")  # outside the grader: as before


def test_a_plan_built_by_code_while_grading_counts_without_a_hand_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save_plan(good_plan(), tmp_path / "plan.json")
    with checks.handed_in(["action_plan.ipynb"]):
        checks.assert_criterion("plan.json", "plan_loads")
