"""JupyterLab opens the course's notebooks and runs them, in Chromium, without errors.

This is what a learner does on day one (``make lab``, then Run > Run All Cells), so
it is checked in a real browser: every code cell gets its execution count, no cell
shows a traceback, and the phase timeline is drawn as an image in an output. The
notebooks run on a copy in a temporary folder; the saved copy is then read back
from disk to confirm what the page showed.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

#: The first notebook, and one lesson (quick to run, and it draws the timeline too).
NOTEBOOKS = ["course/00_start_here.ipynb", "course/02_ten_phases.ipynb"]


@pytest.mark.parametrize("relative", NOTEBOOKS, ids=lambda path: path.split("/")[-1][:-6])
def test_notebook_runs_in_jupyterlab_without_errors(relative, notebook, jupyter_lab,
                                                    screenshot):
    opened = notebook(relative)
    screenshot("opened")

    opened.run_all()
    screenshot("ran")

    assert opened.errors() == []
    prompts = opened.prompts()
    assert prompts and all(p[1:-2].isdigit() for p in prompts), prompts
    outputs = opened.panel.locator(".jp-OutputArea-output")
    assert outputs.count() >= len(prompts) - 1  # nearly every cell shows something
    timeline = opened.panel.locator(".jp-OutputArea-output img").first
    timeline.scroll_into_view_if_needed()
    assert timeline.evaluate("img => img.complete && img.naturalWidth > 200")
    screenshot("timeline", target=timeline)

    # what the page showed is what the kernel did: read the saved notebook back
    opened.save()
    saved = json.loads((jupyter_lab.root / relative).read_text(encoding="utf-8"))
    code = [cell for cell in saved["cells"]
            if cell["cell_type"] == "code" and "".join(cell["source"]).strip()]
    assert all(cell["execution_count"] for cell in code)
    assert not [out for cell in code for out in cell["outputs"]
                if out["output_type"] == "error"]
    assert any("image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
               for cell in code for out in cell["outputs"])


def test_rise_shows_the_start_notebook_as_slides(page, jupyter_lab, screenshot):
    page.goto(jupyter_lab.url("rise/course/00_start_here.ipynb"))
    slides = page.locator(".reveal .slides section")
    slides.first.wait_for(state="attached")
    assert slides.count() >= 2
    page.locator(".reveal .slides section.present").first.wait_for()
    screenshot("slides")
