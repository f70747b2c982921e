"""Tests of consortia.widgets.plan_sharing: print or download the plan from the planner page.

Driven in-process like the planner's own tests; what the browser does with the
links (a download, a print dialog) is tested in tests/browser/test_voila_app.py.
"""

from __future__ import annotations

import base64
import re
from html import unescape

from consortia.plans.files import plan_to_json, save_plan
from consortia.plans.page import render_plan_page
from consortia.widgets import PhasePlanner
from consortia.widgets.plan_sharing import PRINT_SCRIPT, PlanSharing
from plan_fixtures import good_plan


def downloads(links: str) -> dict[str, str]:
    """The files the links offer, by the name they download as, decoded."""
    found = {}
    for name, address in re.findall(r"download='([^']+)' href='([^']+)'", links):
        found[name] = base64.b64decode(address.split(",", 1)[1]).decode("utf-8")
    return found


def test_nothing_is_offered_before_the_button_is_pressed(tmp_path):
    sharing = PlanSharing(PhasePlanner(save_plan(good_plan(), tmp_path / "plan.json")))
    assert sharing.links.value == ""


def test_the_page_and_the_file_are_those_of_the_plan_as_it_stands(tmp_path):
    planner = PhasePlanner(save_plan(good_plan(), tmp_path / "team.json"))
    sharing = PlanSharing(planner)
    planner.plan_country.value = "Guatemala"  # a change after the box was made
    sharing.prepared_by.value = "Toledo <chamber>"
    sharing.prepare_button.click()
    offered = downloads(sharing.links.value)
    assert sorted(offered) == ["team.html", "team.json"]
    assert offered["team.json"] == plan_to_json(planner.plan)
    assert "Guatemala" in offered["team.json"]
    page = offered["team.html"]
    assert page == render_plan_page(planner.plan, prepared_by="Toledo <chamber>")
    assert "Prepared by <b>Toledo &lt;chamber&gt;</b>" in page


def test_the_print_button_reads_the_page_beside_it(tmp_path):
    sharing = PlanSharing(PhasePlanner(save_plan(good_plan(), tmp_path / "plan.json")))
    sharing.prepare()
    links = sharing.links.value
    handler = unescape(re.search(r'onclick="([^"]+)"', links).group(1))
    assert handler == PRINT_SCRIPT and "print()" in handler
    assert "<a data-plan-page" in links  # what the script looks for
    assert "<script" not in links
