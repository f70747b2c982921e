"""A lesson's "Going further" cells show folded in JupyterLab, and open on a click.

The fold is a ``<details>`` element written in the cell (consortia.course.cells), so
it depends on JupyterLab's markdown renderer keeping it; this checks that it does,
in Chromium, on a lesson as a learner opens it.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_going_further_cells_are_folded_until_clicked(notebook, screenshot):
    opened = notebook("course/02_ten_phases.ipynb")
    folds = opened.panel.locator(".jp-MarkdownOutput details")
    folds.first.wait_for(state="attached")
    assert folds.count() >= 5
    first = folds.first
    first.scroll_into_view_if_needed()
    summary = first.locator("summary")
    assert summary.inner_text().startswith("Going further")
    body = first.locator("p, li").first
    assert not first.evaluate("d => d.open") and not body.is_visible()
    screenshot("folded", target=first)
    summary.click()
    assert first.evaluate("d => d.open") and body.is_visible()
    screenshot("opened", target=first)
