"""The phase planner widget in a JupyterLab notebook, filled in through the page.

A participant runs ``PhasePlanner("team.json", case="belize")``, types an activity
into the form and clicks *Add activity*: the timeline must be redrawn with it and
``team.json`` on disk must hold it at once (the planner saves after every change).
Once the kernel is gone and the page is reloaded, the widget cannot come back: the
cell then shows one line saying where the plan is saved and how to reopen it.
"""

from __future__ import annotations

import json
import time

import pytest

from consortia.plans.files import load_plan

pytestmark = pytest.mark.browser

CELL = 'from consortia.widgets import PhasePlanner\nPhasePlanner("team.json", case="belize")'
TITLE = "Tasting day with the cacao growers"
OWNER = "Toledo chamber of commerce"


def write_notebook(path, source: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "planner",
                   "metadata": {}, "outputs": [], "source": source}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }), encoding="utf-8")


def wait_for_file(predicate, timeout_s: float = 20):
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_adding_an_activity_in_the_notebook_updates_timeline_and_file(
        notebook, jupyter_lab, planner_form, screenshot):
    folder = jupyter_lab.root / "planner-widget"
    write_notebook(folder / "team.ipynb", CELL)
    plan_file = folder / "team.json"

    opened = notebook("planner-widget/team.ipynb")
    opened.run_all()
    form = planner_form(opened.panel)
    form.wait_until_rendered()
    screenshot("rendered")
    assert opened.errors() == []

    before = load_plan(plan_file)
    assert before.case == "belize"
    assert TITLE not in [a.title for a in before.activities]
    svg_before = form.timeline_svg()
    assert svg_before.lstrip().startswith("<svg") and TITLE not in svg_before

    form.add_activity(TITLE, phase=4, owner=OWNER)
    screenshot("form-filled")
    form.click_add_activity()
    form.timeline.scroll_into_view_if_needed()
    screenshot("added")

    # the timeline was redrawn with the new activity
    svg_after = form.timeline_svg()
    assert TITLE in svg_after and svg_after != svg_before

    # ... and the plan file beside the notebook holds it
    assert wait_for_file(lambda: len(load_plan(plan_file).activities)
                         == len(before.activities) + 1), plan_file.read_text()
    added = [a for a in load_plan(plan_file).activities if a.title == TITLE]
    assert len(added) == 1
    assert (added[0].phase, added[0].owner) == (4, OWNER)


RELOAD_LINE = "Your plan is saved in team.json. Run this cell again to reopen the planner."


def test_after_a_reload_the_cell_says_where_the_plan_is_and_how_to_reopen_it(
        notebook, jupyter_lab, planner_form, screenshot):
    write_notebook(jupyter_lab.root / "planner-reload" / "team.ipynb", CELL)
    opened = notebook("planner-reload/team.ipynb")
    opened.run_all()
    planner_form(opened.panel).wait_until_rendered()
    line = opened.panel.get_by_text(RELOAD_LINE)
    assert line.count() == 1 and not line.is_visible()  # the live planner hides it
    screenshot("live")

    opened.save()
    jupyter_lab.shut_down_kernels()  # the widget's kernel is gone ...
    opened.open()  # ... and the page is loaded again
    line.wait_for(state="visible")
    error = opened.panel.get_by_text("Error displaying widget")
    error.wait_for(state="attached")  # JupyterLab has given up on the widget ...
    screenshot("reloaded")
    assert not error.is_visible()  # ... and shows the line alone
    assert line.is_visible()
    assert opened.panel.get_by_text("Action plan: phase planner").count() == 0
