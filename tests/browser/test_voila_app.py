"""The Voilà planner app (``consortia planner``) in Chromium: widgets only, and they work.

The app is served as ``consortia planner`` serves it (the command line and the
environment come from :mod:`consortia.planner_app`), for a plan file in a
temporary folder. The page must show the planner without any code, and an activity
added through the form must reach the plan file.
"""

from __future__ import annotations

import time

import pytest

from consortia.plans.files import load_plan

pytestmark = pytest.mark.browser

TITLE = "Stand at the Belize chocolate festival"
OWNER = "Belize chamber of commerce"


def test_planner_app_renders_without_code_and_saves_an_activity(
        page, voila_app, planner_form, screenshot):
    app = voila_app(case="belize")
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
