"""The Voilà planner app (``consortia planner``) in Chromium: widgets only, and they work.

The app is served as ``consortia planner`` serves it (the command line and the
environment come from :mod:`consortia.plans.app`), for a plan file in a temporary
folder, once for the module (``shared_planner_app``): each test opens its own page.
The page must show the planner without any code, an activity added through the form
must reach the plan file, and the plan can be printed and downloaded from the page.
"""

from __future__ import annotations

import json
import time
from html import escape
from pathlib import Path

import pytest

from consortia.plans.files import load_plan, parse_plan

pytestmark = pytest.mark.browser

TITLE = "Stand at the Belize chocolate festival"
OWNER = "Belize chamber of commerce"


def test_planner_app_renders_without_code_and_saves_an_activity(
        page, shared_planner_app, planner_form, screenshot):
    app = shared_planner_app
    plan_file = app.extra["plan"]
    page.goto(app.url)
    form = planner_form()
    form.wait_until_rendered()
    screenshot("rendered")

    # widgets only: no code cell, no source text, no error
    code = (".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-CodeMirrorEditor, .cm-editor, "
            ".highlight")
    assert page.locator(code).count() == 0
    assert "planner_from_environment" not in page.content()
    assert "Traceback" not in page.locator("body").inner_text()
    assert page.get_by_text("Plan your consortium").count() == 1

    before = load_plan(plan_file)  # the app started the plan from the case
    assert before.case == "belize"
    svg_before = form.timeline_svg()

    form.add_activity(TITLE, phase=7, owner=OWNER)
    form.click_add_activity()
    form.timeline.scroll_into_view_if_needed()
    screenshot("added")

    assert TITLE in form.timeline_svg() != svg_before
    deadline = time.monotonic() + 20
    while len(load_plan(plan_file).activities) == len(before.activities):
        assert time.monotonic() < deadline, "the plan file did not change"
        time.sleep(0.2)
    added = [a for a in load_plan(plan_file).activities if a.title == TITLE]
    assert [(a.phase, a.owner) for a in added] == [(7, OWNER)]


PREPARED_BY = "Belize Chamber of Commerce"
#: Counts the calls of window.print in every page and tab of the context, instead of
#: opening a print dialog that a headless browser cannot show.
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"


def test_the_plan_can_be_printed_and_downloaded_from_the_page(
        page, shared_planner_app, planner_form, screenshot):
    page.context.add_init_script(COUNT_PRINTS)
    page.goto(shared_planner_app.url)
    planner_form().wait_until_rendered()
    page.get_by_placeholder("your name, or your chamber's").fill(PREPARED_BY)
    page.get_by_role("button", name="Make the page to print or send").click()
    page.get_by_text("Ready: the page of").wait_for()
    page.get_by_role("button", name="Print the plan").scroll_into_view_if_needed()
    screenshot("ready")
    plan = load_plan(shared_planner_app.extra["plan"])

    with page.expect_popup() as opened:
        page.get_by_role("button", name="Print the plan").click()
    tab = opened.value
    tab.wait_for_function("() => window.__prints === 1")
    assert tab.locator("h1").inner_text() == plan.consortium
    assert f"Prepared by {PREPARED_BY} on" in tab.locator("p.prepared").inner_text()
    assert tab.get_by_role("heading", name="Activities and timeline").count() == 1

    with page.expect_download() as got:
        page.get_by_role("link", name="Download the page (HTML)").click()
    assert got.value.suggested_filename == "plan.html"
    saved = Path(got.value.path()).read_text(encoding="utf-8")
    assert saved.startswith("<!DOCTYPE html>") and PREPARED_BY in saved
    assert f"<h1>{escape(plan.consortium)}</h1>" in saved

    with page.expect_download() as got:
        page.get_by_role("link", name="Download the plan file (JSON)").click()
    assert got.value.suggested_filename == "plan.json"
    text = Path(got.value.path()).read_text(encoding="utf-8")
    assert parse_plan(text) == plan and json.loads(text)["consortium"] == plan.consortium
