"""Tests of consortia.content.comparison: the nine Caribbean proposals side by side."""

from __future__ import annotations

import pytest
from matplotlib.patches import FancyBboxPatch

from consortia import figures
from consortia.content import cases, comparison, methodology, readiness, themes
from consortia.content.cases import CASES_DIR_ENV

CARIBBEAN = [c for c in cases.all_cases() if c.kind == "caribbean-proposal"]


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")))


@pytest.fixture
def two_cases(valid_case, write_case, monkeypatch):
    """Two proposals that share one paragraph on packaging; one also has its own."""
    first = dict(valid_case, slug="aland", country="Aland", weaknesses=[
        {"text": "Packaging is costly.", "source": "SELA 2014 §31"},
        {"text": "Imported labels are dear.", "source": "SELA 2014 §13"}])
    second = dict(valid_case, slug="bland", country="Bland", weaknesses=[],
                  threats=[{"text": "Packaging is costly.", "source": "SELA 2014 §31"}],
                  stage={"phase": 2, "label": "promotion", "source": "SELA 2014 §41"})
    write_case(first, "aland.yaml")
    folder = write_case(second, "bland.yaml")
    monkeypatch.setenv(CASES_DIR_ENV, str(folder))
    cases.reload()
    yield folder


# --- the proposals -------------------------------------------------------------------------


def test_the_nine_proposals_are_ordered_by_stage():
    ordered = comparison.caribbean_cases()
    assert len(ordered) == 9 == len(CARIBBEAN)
    stages = [c.stage.phase for c in ordered]
    assert stages == sorted(stages)
    assert {c.kind for c in ordered} == {"caribbean-proposal"}


@pytest.mark.parametrize(("source", "short"), [("SELA 2014 §29", "§29"),
                                               ("SELA 2014 Annex IV", "SELA 2014 Annex IV"),
                                               ("kit's own", "kit's own")])
def test_paragraph_shortens_only_report_paragraphs(source, short):
    assert comparison.paragraph(source) == short


def test_stage_text():
    assert comparison.stage_text(2) == f"II {methodology.phase(2).short_title}"
    assert comparison.stage_text(None) == "not placed"


def test_proposals_frame_names_products_with_their_territory_and_the_stage_source():
    frame = comparison.proposals_frame()
    assert list(frame.columns) == ["country", "name", "products", "sectors", "stage",
                                   "stage_source"]
    assert len(frame) == 9
    casabe = frame.set_index("country").loc["Dominican Republic"]
    assert "Monción" in casabe["products"]  # SELA 2014 §16
    assert casabe["stage"].startswith("I ")
    assert casabe["stage_source"] == "kit's reading of SELA 2014 §40 and §7-§8"
    bahamas = frame.set_index("country").loc["The Bahamas"]
    assert bahamas["sectors"] == "crafts, fisheries, minerals"  # SELA 2014 §11


def test_sector_stage_frame_places_every_proposal_and_puts_crafts_at_phase_two():
    frame = comparison.sector_stage_frame()
    assert frame.columns[0] == "sector" and frame.columns[-1] == "proposals"
    assert frame.loc[0, "sector"] == "agro-food" and frame.loc[0, "proposals"] == 8
    stage_columns = list(frame.columns[1:-1])
    assert stage_columns == ["I Product analysis (kit's reading of SELA 2014 §40 and §7-§8)",
                             "II Promotion (kit's reading of SELA 2014 §41 and §7-§8)"]
    crafts = frame.set_index("sector").loc["crafts"]
    assert crafts[stage_columns[0]] == ""
    assert crafts[stage_columns[1]] == "Barbados; The Bahamas"
    named = {name.strip() for col in stage_columns for cell in frame[col]
             for name in cell.split(";") if name.strip()}
    assert named == {c.country for c in CARIBBEAN}


def test_stage_chart_draws_the_phases_reached_in_full_colour():
    fig = comparison.stage_chart()
    boxes = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 10 * len(CARIBBEAN)
    reached = [p for p in boxes if p.get_linestyle() == "-" or p.get_linestyle() == "solid"]
    assert len(reached) == sum(c.stage.phase for c in CARIBBEAN)
    text = _texts(fig)
    for needed in ("SELA 2014 §40", "SELA 2014 §41", "SELA 2014 §8", "Jamaica"):
        assert needed in text
    assert figures.to_png(fig)[:4] == b"\x89PNG"


# --- what each lacked, and the figures --------------------------------------------------------


def test_lacks_frame_lists_every_weakness_with_its_source():
    frame = comparison.lacks_frame()
    assert list(frame.columns) == ["country", "stage", "weakness", "source"]
    assert len(frame) == sum(len(c.weaknesses) for c in CARIBBEAN)
    assert frame["source"].str.startswith("SELA 2014 §").all()


def test_a_proposal_without_weaknesses_still_shows(two_cases):
    frame = comparison.lacks_frame().set_index("country")
    assert frame.loc["Bland", "weakness"] == "(the sources name no weakness)"


def test_figures_frame_keeps_the_source_wording_and_tells_dates_from_quantities():
    frame = comparison.figures_frame()
    assert len(frame) == sum(len(c.facts) for c in CARIBBEAN)
    straw = frame[frame["what"] == "Bahamians producing straw craft"].iloc[0]
    assert straw["figure"] == "over 3,000" and straw["kind"] == "quantity"  # SELA 2014 §11
    assert set(frame.loc[frame["unit"] == "year", "kind"]) == {"date"}
    assert set(frame["kind"]) == {"date", "quantity"}


# --- shared constraints -------------------------------------------------------------------------


def test_energy_rests_on_one_shared_remark_and_one_own_paragraph():
    found = comparison.constraint_mentions(["energy"])
    shared = found[found["voice"] == "shared"]
    assert set(shared["source"]) == {"SELA 2014 §29"} and len(shared) == 8
    own = found[found["voice"] == "own"]
    assert list(own["country"]) == ["Guyana"] and list(own["source"]) == ["SELA 2014 §14"]


def test_packaging_was_raised_separately_by_four_delegations():
    found = comparison.constraint_mentions(["packaging"])
    assert set(found["voice"]) == {"own"}
    assert found["slug"].nunique() == 4


def test_voice_counts_agree_with_the_theme_counts():
    counts = comparison.voice_counts().set_index("theme")
    plain = themes.theme_counts().set_index("theme")
    for key in plain.index:
        assert counts.loc[key, "cases"] == plain.loc[key, "cases"]
        assert counts.loc[key, "own"] + counts.loc[key, "shared_only"] == \
            counts.loc[key, "cases"]
    assert (counts.loc["energy", "own"], counts.loc["energy", "shared_only"]) == (1, 8)
    assert (counts.loc["monitoring", "own"], counts.loc["monitoring", "shared_only"]) == (0, 4)
    assert counts.loc["energy", "shared_sources"] == "§29"
    assert counts.loc["packaging", "own_sources"] == "§12, §13, §16, §31"


def test_voice_counts_keep_the_order_of_the_keys_given():
    counts = comparison.voice_counts(["finance", "packaging"])
    assert list(counts["theme"]) == ["finance", "packaging"]


@pytest.mark.parametrize("keys", [["happiness"], []])
def test_unknown_or_no_theme_keys_are_refused(keys):
    with pytest.raises(ValueError):
        comparison.constraint_matrix(keys)


def test_constraint_matrix_names_paragraphs_and_marks_shared_remarks():
    matrix = comparison.constraint_matrix().set_index("country")
    assert matrix.loc["Guyana", "energy"] == "§14"
    assert matrix.loc["Belize", "energy"] == "§29 (shared)"
    assert matrix.loc["Dominican Republic", "markets"] == "§16 §30"
    assert (matrix["partnerships"] == "").all()
    assert list(matrix["stage"]) == [comparison.stage_text(c.stage.phase)
                                     for c in comparison.caribbean_cases()]


def test_constraint_chart_totals_each_column_as_own_plus_shared():
    fig = comparison.constraint_chart(["energy", "packaging", "monitoring"])
    text = _texts(fig)
    for total in ("1 + 8", "4 + 0", "0 + 4"):
        assert total in text
    assert "Energy costs and efficiency" in text.replace("\n", " ")
    assert figures.to_png(fig)[:4] == b"\x89PNG"


def test_a_paragraph_used_by_two_cases_is_shared(two_cases):
    found = comparison.constraint_mentions(["packaging"])
    voices = dict(zip(found["source"] + found["slug"], found["voice"], strict=True))
    assert voices["SELA 2014 §31aland"] == "shared" == voices["SELA 2014 §31bland"]
    assert voices["SELA 2014 §13aland"] == "own"
    matrix = comparison.constraint_matrix(["packaging"]).set_index("country")
    assert matrix.loc["Aland", "packaging"] == "§13 §31"  # one own paragraph is enough
    assert matrix.loc["Bland", "packaging"] == "§31 (shared)"


# --- the comparison table, pairs, readiness -------------------------------------------------------


def test_comparison_frame_sums_up_each_proposal():
    frame = comparison.comparison_frame().set_index("country")
    assert list(frame.columns) == ["products", "stage", "stage_source", "own_constraints",
                                   "shared_constraints", "quantities", "dates"]
    casabe = frame.loc["Dominican Republic"]
    assert "packaging §16" in casabe["own_constraints"]
    assert casabe["shared_constraints"] == "energy §29"
    assert (casabe["quantities"], casabe["dates"]) == (6, 1)
    assert frame.loc["Guyana", "shared_constraints"] == ""
    assert (frame.loc["Haiti", "quantities"], frame.loc["Haiti", "dates"]) == (0, 0)


def test_pairings_of_the_packaging_proposals_put_mixed_stages_first():
    pairs = comparison.pairings("packaging")
    assert list(pairs.columns) == ["pair", "stages", "first_evidence", "second_evidence"]
    assert len(pairs) == 6  # four proposals, every pair once
    mixed = [s.split(" + ")[0] != s.split(" + ")[1] for s in pairs["stages"]]
    assert mixed == sorted(mixed, reverse=True) and any(mixed)
    first = pairs.iloc[0]
    assert first["pair"] == "Barbados + Belize"
    assert "(SELA 2014 §12)" in first["first_evidence"]
    assert "(SELA 2014 §13)" in first["second_evidence"]


def test_pairings_own_voice_or_any():
    assert comparison.pairings("energy").empty  # only Guyana raised it on its own
    assert len(comparison.pairings("energy", voice="any")) == 36  # 9 choose 2
    with pytest.raises(ValueError, match="voice"):
        comparison.pairings("energy", voice="loud")


def test_readiness_by_stage_uses_the_kits_worked_scores():
    frame = comparison.readiness_by_stage()
    assert len(frame) == 9
    by_country = {c.country: c.slug for c in CARIBBEAN}
    for row in frame.itertuples():
        assert row.total == readiness.total(readiness.case_scores(by_country[row.country]))
    first_group = frame[frame["stage_source"] == "SELA 2014 §40"]
    assert list(first_group.index) == list(range(len(first_group)))
    assert list(first_group["total"]) == sorted(first_group["total"], reverse=True)
