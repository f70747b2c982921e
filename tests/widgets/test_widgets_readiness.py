"""Tests of consortia.widgets.readiness: the ProductReadiness widget as a user drives it."""

from __future__ import annotations

import pytest

from consortia.content import cases, methodology, readiness
from consortia.widgets.readiness import NO_CASE, START_SCORE, ProductReadiness


def test_one_slider_per_criterion_starting_in_the_middle():
    widget = ProductReadiness()
    assert list(widget.sliders) == [c.key for c in methodology.criteria()]
    for slider in widget.sliders.values():
        assert (slider.min, slider.max, slider.value) == (0, 10, START_SCORE)
    assert widget.case_picker.value is None
    assert widget.chart_image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_case_list_offers_none_and_every_case_by_name():
    widget = ProductReadiness()
    labels = [label for label, _ in widget.case_picker.options]
    assert labels[0] == NO_CASE
    names = {c.slug: c.name for c in cases.all_cases()}
    assert sorted(labels[1:]) == sorted(names[s] for s in readiness.scored_cases())


def test_picking_a_case_fills_the_sliders_and_shows_its_reasons():
    widget = ProductReadiness()
    before = widget.reading_html.value
    widget.case_picker.value = "dominican-republic-casabe"
    assert widget.scores == readiness.case_scores("dominican-republic-casabe")
    assert widget.reading_html.value != before
    reason = readiness.reasons("dominican-republic-casabe")["enough_volume"]
    assert reason.reason in widget.reason_notes["enough_volume"].value
    assert reason.source in widget.reason_notes["enough_volume"].value


def test_switching_cases_changes_the_reading():
    widget = ProductReadiness(case="belize")
    belize = widget.reading_html.value
    widget.case_picker.value = "barbados"
    assert widget.scores == readiness.case_scores("barbados")
    assert widget.reading_html.value != belize


def test_moving_a_slider_updates_scores_total_and_chart():
    widget = ProductReadiness(case="belize")
    png = widget.chart_image.value
    start = readiness.total(widget.scores)
    assert f"Total {start} of {readiness.max_total()}" in widget.reading_html.value
    widget.sliders["consistent_quality_feasible"].value = 10
    assert widget.scores["consistent_quality_feasible"] == 10
    new_total = start - readiness.case_scores("belize")["consistent_quality_feasible"] + 10
    assert f"Total {new_total} of {readiness.max_total()}" in widget.reading_html.value
    assert widget.chart_image.value != png


def test_html_panel_shows_the_reading_of_the_current_scores():
    widget = ProductReadiness()
    for slider in widget.sliders.values():
        slider.value = 10
    assert "strong candidate" in widget.reading_html.value
    assert "(100%)" in widget.reading_html.value
    widget.sliders["local_outlets"].value = 0
    assert "cannot count as a strong candidate" in widget.reading_html.value


def test_case_argument_prefills_belize():
    widget = ProductReadiness(case="belize")
    assert widget.case_picker.value == "belize"
    assert widget.scores == readiness.case_scores("belize")
    assert readiness.band(widget.scores) in widget.reading_html.value


def test_unknown_case_argument_lists_the_valid_cases():
    with pytest.raises(ValueError, match="belize"):
        ProductReadiness(case="atlantis")


def test_going_back_to_none_keeps_the_scores_and_clears_the_reasons():
    widget = ProductReadiness(case="belize")
    widget.case_picker.value = None
    assert widget.scores == readiness.case_scores("belize")
    assert all(reason.value == "" for reason in widget.reason_notes.values())


def test_widget_displays_in_a_notebook():
    widget = ProductReadiness()
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
