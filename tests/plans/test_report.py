"""Tests of consortia.plans.report and the PDF helper of consortia.pages."""

from __future__ import annotations

import pytest

from chromium_fixtures import pdf_required
from consortia import cli, pages
from consortia.plans.files import save_plan
from consortia.plans.model import IndicatorPeriod
from consortia.plans.report import render_progress_report
from plan_fixtures import ON, reviewed_plan


def test_the_report_shows_the_review_its_figures_and_states():
    plan = reviewed_plan().with_indicator_period(IndicatorPeriod(
        indicator="I2", period=2, actual=500, reported_by="<b>Treasurer</b>"))
    page = render_progress_report(plan, on=ON)
    assert "Period 2 (2014-12-01 to 2015-06-01)" in page
    assert "2015-06-12" in page and "Keep the plan as it is." in page
    assert "off track" in page and "50%" in page  # 500 of the 1,000 expected by month 12
    assert "&lt;b&gt;Treasurer&lt;/b&gt;" in page  # typed text is escaped
    assert "has an actual for period 2 but no evidence" in page  # a concern
    assert "A6 Apply for a collective mark" in page  # runs on into the next period
    assert "invented" not in page


def test_an_illustrative_plan_says_so():
    plan = reviewed_plan().updated(illustrative_note="Invented for teaching.")
    assert "⚠ Invented for teaching." in render_progress_report(plan, period=1, on=ON)


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="periods 1 to 4"):
        render_progress_report(reviewed_plan(), period=9, on=ON)


def test_the_report_prints_to_a_one_page_pdf(tmp_path, capsys):
    pdf_required()
    plan_file = save_plan(reviewed_plan(), tmp_path / "plan.json")
    out = tmp_path / "report.pdf"
    assert cli.main(["plan", "report", str(plan_file), "--out", str(out), "--on",
                     "2015-07-15"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert pages.pdf_page_count(data) == 1
    assert "1 page(s)" in capsys.readouterr().out


def test_a_missing_chromium_gives_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv(pages.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    with pytest.raises(pages.PdfError, match="apt-get install chromium"):
        pages.html_to_pdf("<p>x</p>", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
