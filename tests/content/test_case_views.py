"""Tests of consortia.case_views and of the case notebooks that call it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from consortia import figures
from consortia.content import case_views, cases, methodology
from consortia.content.cases import CASES_DIR_ENV

REPO = Path(__file__).resolve().parents[2]
CASE_STUDIES = REPO / "case_studies"
SLUGS = sorted(c.slug for c in cases.all_cases())

#: Notebooks in case_studies/ that present several cases, not one.
OVERVIEW_NOTEBOOKS = {"compare_caribbean"}


def _texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts) + " " + " ".join(
        ax.get_title() for ax in fig.axes)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


@pytest.fixture
def hostile_case(valid_case, write_case, monkeypatch):
    """A case whose text holds HTML, loaded through CONSORTIA_CASES_DIR."""
    valid_case["name"] = "<script>alert('x')</script> & co"
    valid_case["organisations"][0]["role"] = "makes <b>bold</b> claims"
    valid_case["strengths"] = []
    valid_case["facts"] = []
    monkeypatch.setenv(CASES_DIR_ENV, str(write_case(valid_case)))
    cases.reload()
    yield valid_case["slug"]
    cases.reload()


# --- summary card ----------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_summary_card_shows_every_product_organisation_and_the_stage(slug):
    from html import escape

    c = cases.case(slug)
    html = case_views.summary_card(slug)._repr_html_()
    for text in [c.name, c.country, c.stage.label, c.stage.source,
                 *(p.name for p in c.products), *(p.territory for p in c.products),
                 *(p.sector for p in c.products), *(o.name for o in c.organisations),
                 *(o.role for o in c.organisations)]:
        assert escape(text) in html, text
    assert escape(case_views.KIND_LABELS[c.kind]) in html


def test_summary_card_names_the_phase_or_says_the_case_is_not_placed():
    assert "Phase I: Analysis of the potential" in str(case_views.summary_card("belize"))
    assert "Phase IX: Obtaining a collective label" in str(
        case_views.summary_card("chulucanas-ceramics"))
    assert "Not placed on the ten phases" in str(case_views.summary_card("algarrobina"))


def test_summary_card_escapes_all_text(hostile_case):
    html = str(case_views.summary_card(hostile_case))
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html and "&amp; co" in html


# --- figures ---------------------------------------------------------------------------


def test_facts_frame_keeps_values_as_given_with_their_columns():
    frame = case_views.facts_frame("dominican-republic-casabe")
    assert list(frame.columns) == case_views.FACT_COLUMNS
    assert len(frame) == len(cases.case("dominican-republic-casabe").facts)
    assert 1.38 in list(frame["value"]) and 9000 in list(frame["value"])
    assert frame.set_index("value").loc[9000, "qualifier"] == "average"


def test_facts_table_shows_every_fact_with_its_source_and_plain_years():
    html = case_views.facts_table("bahamas").to_html()
    for fact in cases.case("bahamas").facts:
        assert fact.what in html and fact.source in html
    assert ">2012<" in html and "2,012" not in html  # a year is not a quantity
    assert ">over<" in html
    chulucanas = case_views.facts_table("chulucanas-ceramics").to_html()
    assert ">2008<" in chulucanas and "IP Tango blog" in chulucanas


@pytest.mark.parametrize("slug", ["barbados", "haiti-grand-anse", "algarrobina",
                                  "catacaos-jewellery"])
def test_facts_table_says_honestly_when_there_are_no_figures(slug):
    view = case_views.facts_table(slug)
    assert isinstance(view, case_views.HTMLBlock)
    assert "No figures for this case" in view._repr_html_()
    assert "does not invent figures" in str(view)


def test_empty_states_escape_text(hostile_case):
    assert "<script>" not in str(case_views.facts_table(hostile_case))
    assert "<script>" not in str(case_views.swot_table(hostile_case))


def test_shared_units_leave_calendar_years_out():
    assert case_views.shared_units("dominican-republic-casabe") == ["%"]
    assert case_views.shared_units("guyana") == ["years"]
    assert case_views.shared_units("jamaica") == []  # two facts, both calendar years
    assert case_views.shared_units("belize") == []


def test_figures_chart_draws_one_bar_per_figure_on_a_percent_scale():
    fig = case_views.figures_chart("dominican-republic-casabe")
    ax = fig.axes[0]
    assert ax.get_xlim() == (0, 100)
    values = sorted(round(p.get_width()) for p in ax.containers[-1].patches)
    assert values == [18, 18]
    assert "SELA 2014 §16" in _texts(fig)


def test_figures_chart_keeps_the_qualifier():
    text = _texts(case_views.figures_chart("guyana"))
    assert "over 5 years" in text and "over 4 years" in text


def test_figures_chart_refuses_a_unit_without_two_figures():
    with pytest.raises(ValueError, match="no two figures"):
        case_views.figures_chart("belize")
    with pytest.raises(ValueError, match="'%'"):
        case_views.figures_chart("guyana", unit="%")


def test_dated_facts_are_sorted_and_include_figures_tied_to_a_year():
    frame = case_views.dated_facts("chulucanas-ceramics")
    assert list(frame["year"]) == [2006, 2008, 2008, 2013]
    assert frame["event"].str.contains("6 authorisations").any()
    assert not frame["event"].str.startswith("Year ").any()


def test_dates_chart_marks_the_meeting_and_names_sources():
    fig = case_views.dates_chart("jamaica")
    text = _texts(fig)
    assert case_views.MEETING_LABEL in text
    assert "1999" in text and "2004" in text and "SELA 2014 §18" in text
    with pytest.raises(ValueError, match="time line needs two"):
        case_views.dates_chart("belize")


def test_short_source_drops_web_addresses():
    source = "IP Tango blog, 13 May 2013, 'More DO', https://iptango.blogspot.com/x.html"
    assert case_views.short_source(source) == "IP Tango blog, 13 May 2013, 'More DO'"
    assert case_views.short_source("SELA 2014 §16") == "SELA 2014 §16"


# --- SWOT --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_swot_table_lists_every_item_with_its_source(slug):
    c = cases.case(slug)
    html = case_views.swot_table(slug).to_html()
    for kind in case_views.SWOT_KINDS:
        for item in getattr(c, kind):
            assert item.source in html
    assert html.count("<tr>") - 1 == sum(len(getattr(c, k)) for k in case_views.SWOT_KINDS)


def test_swot_table_names_the_headings_the_sources_leave_empty():
    html = case_views.swot_table("chulucanas-ceramics").to_html()
    assert "no weaknesses, opportunities or threats" in html
    assert "the sources give no" not in case_views.swot_table("bahamas").to_html()


def test_swot_table_without_any_item_says_so(hostile_case):
    view = case_views.swot_table(hostile_case)
    assert isinstance(view, case_views.HTMLBlock)
    assert "No strengths, weaknesses, opportunities or threats" in str(view)


# --- stage chart ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_stage_chart_marks_the_stage_with_its_source_and_the_work_programme(slug):
    c = cases.case(slug)
    text = _texts(case_views.stage_chart(slug))
    assert "SELA 2014 §8" in text  # the shaded phases III-V
    assert c.stage.source in text
    if c.stage.phase is None:
        assert "Not placed on the methodology" in text and "Stage reached" not in text
    else:
        numeral = methodology.numeral(c.stage.phase)
        assert f"Stage reached: phase {numeral}" in text


def _phase_boxes(fig):
    from matplotlib.patches import FancyBboxPatch

    boxes = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    return boxes[:10]


def test_stage_chart_fills_the_phases_reached_and_fades_the_rest():
    boxes = _phase_boxes(case_views.stage_chart("bahamas"))  # phase II
    assert len(boxes) == 10
    for number, box in enumerate(boxes, start=1):
        assert box.get_facecolor()[:3] == pytest.approx(_rgb(figures.PHASE_COLOURS[number]),
                                                       abs=0.01)
        assert box.get_alpha() == (1.0 if number <= 2 else 0.25)


def test_stage_chart_fades_every_phase_when_the_case_is_not_placed():
    assert all(box.get_alpha() == 0.25
               for box in _phase_boxes(case_views.stage_chart("algarrobina")))


@pytest.mark.parametrize("draw", [
    lambda: case_views.stage_chart("belize"),
    lambda: case_views.stage_chart("algarrobina"),
    lambda: case_views.figures_chart("dominican-republic-casabe"),
    lambda: case_views.dates_chart("chulucanas-ceramics"),
], ids=["stage", "stage-not-placed", "figures", "dates"])
def test_every_chart_renders_to_png(draw):
    png = figures.to_png(draw())
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


# --- the case notebooks ----------------------------------------------------------------------


def _case_notebooks() -> list[Path]:
    return sorted(p for p in CASE_STUDIES.glob("*.ipynb") if p.stem not in OVERVIEW_NOTEBOOKS)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_every_case_has_its_notebook():
    missing = [slug for slug in SLUGS if not (CASE_STUDIES / f"{slug}.ipynb").is_file()]
    assert not missing, f"cases without a notebook in case_studies/: {missing}"


def test_every_case_notebook_has_a_case():
    orphans = [p.name for p in _case_notebooks() if p.stem not in SLUGS]
    assert not orphans, (f"notebooks named after no case in case_studies/data: {orphans} "
                         f"(add overview notebooks to OVERVIEW_NOTEBOOKS)")


@pytest.mark.parametrize("path", _case_notebooks(), ids=lambda p: p.stem)
def test_case_notebook_presents_its_own_case(path):
    cells = _cells(path)
    code = [_source(c) for c in cells if c["cell_type"] == "code"]
    assert re.search(rf'^slug = "{re.escape(path.stem)}"', code[0], re.MULTILINE), (
        f"the first code cell of {path.name} must set slug = {path.stem!r}")
    quoted = set(re.findall(r'case_views\.\w+\("([a-z0-9-]+)"', "\n".join(code)))
    assert not quoted, f"{path.name} names cases directly instead of using slug: {quoted}"
    calls = "\n".join(code)
    for view in ("summary_card(slug)", "facts_table(slug)", "swot_table(slug)",
                 "stage_chart(slug)"):
        assert f"case_views.{view}" in calls, f"{path.name} does not show {view}"


@pytest.mark.parametrize("path", _case_notebooks(), ids=lambda p: p.stem)
def test_case_notebook_follows_the_kit_conventions(path):
    cells = _cells(path)
    assert _source(cells[0]).startswith("# Case study: ")
    for index, cell in enumerate(cells):
        slide = cell["metadata"].get("slideshow", {}).get("slide_type")
        assert slide in {"slide", "subslide", "fragment", "-", "notes"}, (
            f"cell {index} of {path.name} has no slide type")
    trainer = [c for c in cells if "trainer" in c["metadata"].get("tags", [])]
    assert trainer, f"{path.name} has no trainer notes"
    for cell in trainer:
        assert cell["metadata"]["slideshow"]["slide_type"] == "notes"
        assert _source(cell).startswith("**Trainer note")
    text = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    assert "SELA 2014 report, §" in text
    assert "$" not in text, "a dollar sign starts LaTeX maths in Jupyter markdown"
    questions = next(_source(c) for c in cells if c.get("id") == "questions")
    assert 4 <= len(re.findall(r"^\d+\. \(Phase [IVX]+\)", questions, re.MULTILINE)) <= 6
    assert "starter.new_plan(" in "\n".join(_source(c) for c in cells)
