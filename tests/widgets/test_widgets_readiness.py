"""Tests of consortia.widgets.readiness: the ProductReadiness widget as a user drives it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from consortia.content import cases, methodology, readiness
from consortia.widgets.readiness import NO_CASE, START_SCORE, ProductReadiness, chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> list[tuple[float, str]]:
    """The width and colour of each criterion's bar, top to bottom."""
    root = ET.fromstring(svg)
    return [(float(r.get("width")), r.get("fill")) for r in root.iter(f"{SVG}rect")
            if r.get("class") == "bar"]


def test_one_slider_per_criterion_starting_in_the_middle():
    widget = ProductReadiness()
    assert list(widget.sliders) == [c.key for c in methodology.criteria()]
    for slider in widget.sliders.values():
        assert (slider.min, slider.max, slider.value) == (0, 10, START_SCORE)
    assert widget.case_picker.value is None
    assert widget.chart_html.value.startswith("<svg")


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
    svg = widget.chart_html.value
    start = readiness.total(widget.scores)
    assert f"Total {start} of {readiness.max_total()}" in widget.reading_html.value
    widget.sliders["consistent_quality_feasible"].value = 10
    assert widget.scores["consistent_quality_feasible"] == 10
    new_total = start - readiness.case_scores("belize")["consistent_quality_feasible"] + 10
    assert f"Total {new_total} of {readiness.max_total()}" in widget.reading_html.value
    assert widget.chart_html.value != svg
    assert f"Total {new_total} of {readiness.max_total()}" in widget.chart_html.value
    assert "(with your changes)" in widget.chart_html.value


def test_the_chart_shows_every_criterion_its_score_level_and_the_aim():
    scores = dict(readiness.case_scores("belize"))
    scores["local_outlets"] = 0
    svg = chart_svg(scores, title="Belize")
    drawn = bars(svg)
    assert len(drawn) == len(scores)
    for (width, colour), (key, score) in zip(drawn, scores.items(), strict=True):
        assert colour == readiness.LEVEL_COLOURS[readiness.level(score)], key
        assert (width == 0) == (score == 0), key
    widths = dict(zip(scores, (width for width, _ in drawn), strict=True))
    top = max(scores, key=scores.get)
    unit = widths[top] / scores[top]  # bar lengths are proportional to the scores
    for key, score in scores.items():
        assert widths[key] == pytest.approx(score * unit, abs=0.2), key
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    for key, label in readiness.labels().items():
        assert label in texts, key
    assert [t for t in texts if re.fullmatch(r"\d+", t or "")][11:] == [
        str(v) for v in scores.values()]
    result = readiness.assess(scores)
    total = f"Total {result.total} of {result.max_total} ({result.share:.0%}): {result.band}"
    assert total in texts
    assert f"aim: {readiness.STRONG_FROM} or more" in texts
    assert all(readiness.LEVEL_LEGEND[k] in texts for k in ("gap", "middle", "strength"))


def test_the_chart_escapes_the_title():
    svg = chart_svg(readiness.case_scores("belize"), title="Cacao <&> co")
    assert "Cacao &lt;&amp;&gt; co" in svg
    ET.fromstring(svg)  # still well-formed


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


def test_a_long_title_is_wrapped_onto_lines_that_fit():
    from consortia.widgets.readiness import TITLE_CHARS

    title = "Agro-processing and wood craft clusters of Barbados (with your changes)"
    svg = chart_svg(readiness.case_scores("barbados"), title=title)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    heading = texts[:2]
    assert " ".join(heading) == title and all(len(line) <= TITLE_CHARS for line in heading)
    assert texts[2].startswith("Total ")
