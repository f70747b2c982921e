"""Tests of consortia.display: tables shown in full in notebooks."""

from __future__ import annotations

import pandas as pd

from consortia.content import cases
from consortia.display import show


def test_show_keeps_long_text_whole():
    frame = cases.load_cases()[["slug", "stage_label"]]
    html = show(frame).to_html()
    longest = max(frame["stage_label"], key=len)
    assert len(longest) > 50  # pandas would cut this at 50 characters
    assert longest.replace("&", "&amp;") in html


def test_show_hides_the_index_and_blanks_missing_values():
    frame = pd.DataFrame({"stage": pd.array([1, None], dtype="Int64"),
                          "value": [266000.0, 1.38], "year": [2013.0, 2010.0]})
    html = show(frame, caption="Stages").to_html()
    assert "Stages" in html
    assert "<NA>" not in html and "nan" not in html
    assert "266,000" in html and "1.38" in html
    assert "2013" in html and "2,013" not in html  # years read as years
    assert 'class="row_heading' not in html
