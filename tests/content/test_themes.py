"""Tests of consortia.content.themes: counting shared constraints across the case studies."""

from __future__ import annotations

import pytest
import yaml

from consortia.content import cases, themes
from consortia.datafiles import DataFileError

CARIBBEAN = [c for c in cases.all_cases() if c.kind == "caribbean-proposal"]


def test_the_shipped_theme_file_validates_with_the_levers_of_the_meeting():
    keys = [t.key for t in themes.themes()]
    for lever in ("finance", "innovation", "packaging", "energy", "networks", "partnerships"):
        assert lever in keys and themes.theme(lever).lever
    assert all(t.source for t in themes.themes())


def test_unknown_theme_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Valid themes: finance"):
        themes.theme("happiness")


@pytest.mark.parametrize(("text", "found"), [
    ("Packaging is inconsistent.", True),
    ("the packaged lobster", True),
    ("PACKAGING costs", True),
    ("no such word here", False),
])
def test_a_keyword_matches_the_start_of_a_word_ignoring_capitals(text, found):
    assert themes.theme("packaging").matches(text) is found


def test_a_keyword_inside_a_word_does_not_match():
    training = themes.theme("training")
    assert training.matches("staff must be well trained")
    assert not training.matches("capital constraints")  # "train" inside "constraints"


def test_packaging_is_found_in_the_four_proposals_that_raised_it():
    found = themes.mentions("packaging")
    assert sorted(found["slug"].unique()) == ["barbados", "belize", "dominican-republic-casabe",
                                              "jamaica"]
    assert set(found["source"]) == {"SELA 2014 §12", "SELA 2014 §13", "SELA 2014 §16",
                                    "SELA 2014 §31"}
    assert set(found["part"]) == {"weaknesses"}


def test_energy_is_shared_by_all_nine_caribbean_proposals():
    counts = themes.theme_counts().set_index("theme")
    assert counts.loc["energy", "cases"] == len(CARIBBEAN) == counts.loc["energy", "of"]
    assert "SELA 2014 §29" in counts.loc["energy", "sources"]
    assert counts.loc["energy", "lever"]


def test_counts_are_sorted_most_shared_first_and_count_cases_once():
    counts = themes.theme_counts()
    assert list(counts["cases"]) == sorted(counts["cases"], reverse=True)
    found = themes.mentions()
    for row in counts.itertuples():
        assert row.cases == found[found["theme"] == row.theme]["slug"].nunique()
    assert len(counts) == len(themes.themes())


def test_every_mention_quotes_a_text_of_the_case_with_its_source():
    found = themes.mentions()
    for row in found.itertuples():
        case = cases.case(row.slug)
        assert any(item.text == row.text and item.source == row.source
                   for item in getattr(case, row.part))


def test_parts_and_case_kind_widen_or_narrow_the_search():
    everything = themes.mentions(parts=themes.PARTS, case_kind=None)
    assert len(everything) > len(themes.mentions())
    peru = themes.theme_counts(case_kind="peruvian-reference")
    assert peru["of"].iloc[0] == 3
    with pytest.raises(ValueError, match="parts must be among"):
        themes.mentions(parts=("hopes",))


def _load_error(tmp_path, document) -> DataFileError:
    path = tmp_path / "themes.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        themes.themes(path)
    assert str(path) in str(info.value)
    return info.value


def _document() -> dict:
    return {"themes": [{"key": "energy", "label": "Energy", "lever": True,
                        "keywords": ["energy"], "description": "Costs.",
                        "source": "SELA 2014 §49"}]}


def test_a_broken_theme_file_names_the_field(tmp_path):
    document = _document()
    document["themes"][0]["keywords"] = ["Energy"]  # keywords are lower case
    assert _load_error(tmp_path, document).field == "themes.0.keywords.0"


def test_a_theme_needs_a_real_source(tmp_path):
    document = _document()
    document["themes"][0]["source"] = "SELA 2014 §99"
    assert _load_error(tmp_path, document).field == "themes.0.source"


def test_theme_keys_must_be_unique(tmp_path):
    document = _document()
    document["themes"].append(dict(document["themes"][0]))
    assert "repeated: ['energy']" in str(_load_error(tmp_path, document))


def test_chart_draws_a_bar_per_theme_labelled_n_of_n():
    counts = themes.theme_counts()
    fig = themes.theme_chart(counts)
    ax = fig.axes[0]
    bars = ax.containers[0].patches
    assert [round(b.get_width()) for b in bars] == list(counts["cases"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(counts["label"])
    assert f" {len(CARIBBEAN)} of {len(CARIBBEAN)}" in [t.get_text() for t in ax.texts]
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
