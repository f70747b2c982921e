"""The product-readiness widget in a JupyterLab notebook: its chart drawn in the page.

The chart is inline SVG in an HTML widget (built from the scores, no image): it must
show one bar per criterion and follow a slider moved with the keyboard, as a
participant moves it.
"""

from __future__ import annotations

import pytest

from consortia.content import methodology, readiness

pytestmark = pytest.mark.browser

CELL = ('from consortia.widgets.readiness import ProductReadiness\n'
        'ProductReadiness(case="belize")')


def test_the_chart_is_drawn_and_follows_a_slider(notebook, jupyter_lab, screenshot):
    import nbformat

    path = jupyter_lab.root / "readiness" / "score.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)], metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}})
    nbformat.write(nb, path)
    opened = notebook("readiness/score.ipynb")
    opened.run_all()
    chart = opened.panel.locator(".widget-html svg").first
    chart.wait_for()
    screenshot("rendered")
    assert opened.errors() == []
    assert chart.locator("rect.bar").count() == len(methodology.criteria())
    start = readiness.assess(readiness.case_scores("belize")).total
    assert f"Total {start} of 100" in chart.inner_html()
    assert chart.bounding_box()["height"] > 200  # drawn at a readable size

    opened.panel.locator(".noUi-handle").first.focus()  # the first criterion's slider
    opened.page.keyboard.press("ArrowRight")
    opened.panel.locator(".widget-html svg", has_text=f"Total {start + 1} of 100").wait_for()
    screenshot("moved")
