"""A review recorded in the no-code planner page, then the programme dashboard, in Chromium.

A team opens its plan with ``consortia planner`` (Voilà), goes to the Progress tab,
records a figure with its evidence and the review meeting; the plan file must hold
them at once. Then ``consortia monitor`` builds the dashboard from the team's folder
and the page shows the team with its next review and the illustrative notice.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from consortia import cli
from consortia.plans import followup
from consortia.plans.files import load_plan, save_plan

pytestmark = pytest.mark.browser


def wait_for(predicate, what: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_record_a_review_in_the_planner_page_then_open_the_dashboard(
        page, voila_app, planner_form, screenshot, tmp_path):
    plan_file = tmp_path / "team" / "plan.json"
    save_plan(followup.followup_plans()["belize"], plan_file)
    app = voila_app()
    page.goto(app.url)
    form = planner_form()
    form.wait_until_rendered()
    assert page.get_by_text("Invented for teaching").first.is_visible()

    form.open_tab("Progress")
    form.control("Review period", "select").select_option(index=2)  # period 3
    form.control("Indicator", "select").select_option(index=0)
    form.control("Actual").fill("45")
    form.control("Evidence", "textarea").fill("Attendance list | attendance-2015-12.pdf")
    form.control("Reported by").fill("TCGA secretary")
    screenshot("figure-filled")
    page.get_by_role("button", name="Save figure").click()
    page.get_by_text("Saved the figure").first.wait_for()
    form.control("Review held on").fill("2015-12-10")
    form.control("What it decided", "textarea").fill("Ask two more hotels to stock the bar.")
    page.get_by_role("button", name="Record review").click()
    page.get_by_text("Recorded the review of period 3").first.wait_for()
    screenshot("review-recorded")

    wait_for(lambda: load_plan(plan_file).review(3) is not None, "the review was not saved")
    saved = load_plan(plan_file)
    figure = saved.indicator_period("I1", 3)
    assert (figure.actual, figure.evidence[0].where, figure.reported_by) == (
        45, "attendance-2015-12.pdf", "TCGA secretary")
    assert saved.review(3).held_on == dt.date(2015, 12, 10)

    out = tmp_path / "dashboard"
    assert cli.main(["monitor", str(plan_file.parent), "--out", str(out),
                     "--on", "2015-12-20"]) == 0
    page.goto((out / "dashboard.html").as_uri())
    page.get_by_role("heading", name="Programme dashboard").wait_for()
    screenshot("dashboard", full_page=True)
    body = page.locator("body").inner_text()
    assert "Invented for teaching" in body
    assert saved.consortium in body and "review 4, due 2016-06-01" in body
    assert page.locator("svg.chart").count() == len(saved.indicators)
