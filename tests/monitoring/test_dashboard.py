"""Tests of consortia.monitoring: programme rows, charts, dashboard, summary, xlsx, command."""

from __future__ import annotations

import json
import os

import openpyxl
import pytest

from consortia import cli, pages
from consortia.monitoring import dashboard
from consortia.monitoring.build import build_monitoring
from consortia.monitoring.charts import indicator_chart
from consortia.monitoring.programme import load_plans, programme_rows, team_row
from consortia.plans import followup
from consortia.plans.files import save_plan
from consortia.plans.model import Indicator
from plan_fixtures import ON, reviewed_plan


@pytest.fixture(scope="module")
def plans_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    followup.write_followup(folder)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    return folder


def test_a_team_row_sums_up_a_plan():
    row = team_row(reviewed_plan().without_review(2), ON, "toledo.json")
    assert row.phase_label.startswith("VIII")
    assert row.next_review.number == 2 and row.review_overdue
    assert row.next_review_text == "review 2, due 2015-06-01 (OVERDUE)"
    assert row.counts == {"on track": 2, "at risk": 0, "off track": 0, "no data": 0}
    assert row.as_dict()["market goal (§45) steps"] == 2


def test_broken_files_are_skipped_with_their_reason(plans_dir):
    loaded = load_plans(plans_dir)
    assert len(loaded.plans) == 9
    assert loaded.skipped == [f"broken.json: {loaded.skipped[0].split(': ', 1)[1]}"]
    assert "not valid JSON" in loaded.skipped[0]


def test_the_dashboard_shows_every_team_and_says_it_is_invented(plans_dir):
    rows = programme_rows(load_plans(plans_dir).plans, followup.as_of())
    page = dashboard.render_dashboard(rows, followup.as_of(), ["broken.json: not JSON"])
    assert page.count("Invented for teaching") == 1  # the banner, once for all nine
    assert page.count("<em>(invented for teaching)</em>") == 9
    for row in rows:
        assert row.plan.consortium in page
    assert page.count("<svg") == sum(len(r.states) for r in rows)
    assert "Growers attending the monthly meeting" in page
    assert "review 3, due 2015-12-01" in page  # Belize held both reviews
    assert "review 2, due 2015-06-01 (OVERDUE)" in page  # Guyana did not
    assert "http" not in page.split("<body>")[1].replace("https://", "")  # no outside links
    assert "broken.json" in page


def test_a_chart_shows_targets_and_actuals():
    svg = indicator_chart(reviewed_plan(), reviewed_plan().indicator("I2"))
    assert svg.startswith("<svg") and svg.count("<rect") == 4 and svg.count("<circle") == 2
    assert "P2: 1100 (target 1000), on track" in svg


def test_the_summary_counts_and_lists_what_to_discuss(plans_dir):
    rows = programme_rows(load_plans(plans_dir).plans, followup.as_of())
    figures = dashboard.summary_figures(rows)
    assert figures["reviewed"] == 9
    assert sorted(figures["overdue"]) == ["Agro-processing and beekeeping in Guyana consortium",
                                          "Niche agriculture of Grand-Anse consortium"]
    assert [len(names) for _, names in figures["market"]] == [2, 2, 4, 1]
    assert any("off track" in why for _, why in figures["concerns"])


def test_the_summary_counts_indicators_whose_kind_is_not_chosen(plans_dir):
    rows = programme_rows(load_plans(plans_dir).plans, followup.as_of())
    assert [kind for kind, _ in dashboard.summary_figures(rows)["indicator_counts"]] == [
        "economic", "non-economic"]  # every kind chosen: no third row
    plan = reviewed_plan().with_indicator(Indicator(name="Buyers met at the fair",
                                                    unit="buyers", baseline=0, target=10))
    rows = programme_rows({"plan.json": plan}, followup.as_of())
    counted = dict(dashboard.summary_figures(rows)["indicator_counts"])
    assert sum(counted["kind not chosen"].values()) == 1


def test_the_summary_prints_on_one_page(plans_dir, tmp_path):
    if pages.chromium() is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER=1 but Chromium is missing", pytrace=False)
        pytest.skip("printing to PDF needs Chromium: sudo apt-get install chromium")
    rows = programme_rows(load_plans(plans_dir).plans, followup.as_of())
    pdf = pages.html_to_pdf(dashboard.render_summary(rows, followup.as_of()), tmp_path / "s.pdf")
    assert pages.pdf_page_count(pdf.read_bytes()) == 1


def test_monitor_writes_dashboard_summary_rows_and_iati(plans_dir, tmp_path, capsys):
    out = tmp_path / "site"
    code = cli.main(["monitor", str(plans_dir), "--out", str(out), "--iati",
                     str(out / "results.xml"), "--on", str(followup.as_of())])
    assert code == 0
    captured = capsys.readouterr()
    assert "Read 9 plan(s)" in captured.out and "SKIPPED broken.json" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["consortia.xlsx", "dashboard.html",
                                                    "results.xml", "summary.html"]
    book = openpyxl.load_workbook(out / "consortia.xlsx")
    sheet = book["Consortia"]
    assert sheet["A1"].value.startswith("NOTE: Invented for teaching")
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["consortium", "country", "product", "phase reached"]
    assert sheet.max_row == 2 + 9
    assert book["Indicators"].max_row == 1 + 27


def test_monitor_refuses_a_folder_without_plans(tmp_path, capsys):
    assert cli.main(["monitor", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "holds no plan file" in capsys.readouterr().err


def test_a_plan_without_a_start_date_is_on_the_dashboard_but_not_in_iati(tmp_path):
    folder = tmp_path / "plans"
    save_plan(reviewed_plan(), folder / "a.json")
    save_plan(reviewed_plan().updated(start_date=None, consortium="Undated"), folder / "b.json")
    built = build_monitoring(folder, tmp_path / "out", tmp_path / "out" / "iati.xml", on=ON)
    assert built.skipped == ["b.json: not in the IATI file, it has no start date"]
    assert "Undated" in (tmp_path / "out" / "dashboard.html").read_text()
    assert "Undated" not in (tmp_path / "out" / "iati.xml").read_text()
    assert json.loads((folder / "b.json").read_text())["schema_version"] == 2
