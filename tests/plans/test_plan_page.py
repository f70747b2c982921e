"""Tests of consortia.plans.page: the HTML page of a plan."""

from __future__ import annotations

import datetime as dt

from consortia.plans.page import render_plan_page
from plan_fixtures import good_plan


def test_page_has_every_part():
    html = render_plan_page(good_plan(), generated=dt.datetime(2026, 11, 29, 10, 0))
    for part in ["<h2>Timeline</h2>", "<h2>Activities</h2>", "<h2>Indicators</h2>",
                 "<h2>Milestones</h2>", "<h2>Findings of the plan check</h2>",
                 "Check: 0 errors, 0 warnings, 0 advice", "2026-11-29 10:00"]:
        assert part in html
    assert html.count("data:image/png;base64,") == 2  # timeline and coverage
    assert "III Creation of the initial group" in html


def test_findings_are_listed_with_their_severity():
    plan = good_plan().updated(review_every_months=12)
    html = render_plan_page(plan)
    assert '<tr class="warning"><td>warning</td><td>review-cadence</td>' in html


def test_participant_text_cannot_inject_markup():
    plan = good_plan().updated(consortium="<script>alert('x')</script>",
                               objectives=["<img src=x onerror=alert(1)>"])
    html = render_plan_page(plan)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_a_plan_invented_for_teaching_says_so_on_its_page():
    from consortia.plans import followup
    from consortia.plans.page import render_plan_page

    page = render_plan_page(followup.followup_plans()["guyana"])
    assert '<p class="illustrative">⚠ Invented for teaching' in page
