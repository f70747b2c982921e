"""Tests of the rulebook: the rules as data (plans.rulebook) and as a table (plans.rules)."""

from __future__ import annotations

from consortia.plans import rules
from consortia.plans.rules import COLUMNS, DETAIL_COLUMNS, rule_table, severity_counts
from consortia.plans.starter import new_plan
from plan_fixtures import good_plan


def test_one_row_per_rule_with_its_source():
    table = rule_table()
    assert list(table.columns) == COLUMNS
    assert sorted(table["code"]) == sorted(rules.rulebook())
    assert table["source"].str.len().min() > 0
    row = table.set_index("code").loc["owner-missing"]
    assert (row["severity"], row["label"], row["source"]) == ("error", "Must fix", "SELA 2014 §34")


def test_most_serious_first_keeping_the_file_order_within_a_severity():
    table = rule_table()
    order = [rules.SEVERITY_ORDER[s] for s in table["severity"]]
    assert order == sorted(order)
    book = list(rules.rulebook())
    warnings = table.query("severity == 'warning'")["code"].tolist()
    assert warnings == [code for code in book if rules.rulebook()[code].severity == "warning"]
    assert list(table.index) == list(range(len(table)))


def test_details_add_why_and_what_to_do():
    table = rule_table(details=True)
    assert list(table.columns) == COLUMNS + DETAIL_COLUMNS
    row = table.set_index("code").loc["no-market-milestone"]
    assert "fair" in row["explanation"] and "fair or launch" in row["suggestion"]


def test_labels_are_the_planners_words():
    from consortia.widgets.planner import SEVERITY_STYLE

    table = rule_table()
    for severity, label in zip(table["severity"], table["label"], strict=True):
        assert SEVERITY_STYLE[severity][0] == label


def test_with_a_plan_counts_the_findings_of_each_rule():
    starter = new_plan("dominican-republic-casabe")
    table = rule_table(plan=starter).set_index("code")
    assert table.loc["owner-missing", "findings"] == 3  # the three starter activities
    assert table.loc["no-market-milestone", "findings"] == 1
    assert table.loc["review-cadence", "findings"] == 0  # starter plans review every 6 months
    assert table["findings"].sum() == len(rules.check_plan(starter))
    assert rule_table(plan=good_plan())["findings"].sum() == 0


def test_severity_counts_add_up():
    counts = severity_counts()
    assert set(counts) == {"error", "warning", "advice"}
    assert sum(counts.values()) == len(rules.rulebook())
    assert counts["error"] == len(rule_table().query("severity == 'error'"))
