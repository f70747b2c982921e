"""Tests of consortia.content.cases: the shipped case files and what broken files produce."""

from __future__ import annotations

import pytest

from consortia.content import cases
from consortia.content.cases import CaseDataError
from consortia.content.models import Case

CARIBBEAN = {
    "bahamas", "barbados", "belize", "guyana", "oecs-vincy-klus",
    "dominican-republic-casabe", "haiti-grand-anse", "jamaica", "suriname",
}
PERUVIAN = {"chulucanas-ceramics", "catacaos-jewellery", "algarrobina"}


def test_every_shipped_case_file_validates():
    loaded = cases.all_cases()
    assert {c.slug for c in loaded} == CARIBBEAN | PERUVIAN
    for c in loaded:
        assert isinstance(c, Case)
        path = cases.cases_dir() / f"{c.slug}.yaml"
        assert path.is_file(), f"{c.slug} has no file of its own"


def test_kinds_match_the_report():
    frame = cases.load_cases()
    kinds = dict(zip(frame["slug"], frame["kind"], strict=True))
    assert {s for s, k in kinds.items() if k == "caribbean-proposal"} == CARIBBEAN
    assert {s for s, k in kinds.items() if k == "peruvian-reference"} == PERUVIAN


def test_stages_follow_sela_paragraphs_40_and_41():
    """§40: DR, Belize, Haiti, Jamaica, Guyana at identification; §41: the others at promotion.

    The phase numbers are the kit's reading of those words; the report itself counts
    phases I and II as done for every team (§7-§8), and each label and source says so.
    """
    frame = cases.load_cases().set_index("slug")
    by_slug = {c.slug: c for c in cases.all_cases()}
    for slug in ["dominican-republic-casabe", "belize", "haiti-grand-anse", "jamaica", "guyana"]:
        assert frame.loc[slug, "stage"] == 1, slug
        assert frame.loc[slug, "stage_source"] == "kit's reading of SELA 2014 §40 and §7-§8"
    for slug in ["barbados", "bahamas", "suriname", "oecs-vincy-klus"]:
        assert frame.loc[slug, "stage"] == 2, slug
        assert frame.loc[slug, "stage_source"] == "kit's reading of SELA 2014 §41 and §7-§8"
    for slug in frame.index[frame["kind"] == "caribbean-proposal"]:
        label = by_slug[slug].stage.label
        assert "(§7-§8)" in label and "phase III" in label, slug
        assert "phases I and II done" not in label, slug


def test_load_cases_has_the_documented_columns():
    frame = cases.load_cases()
    assert {"slug", "country", "stage"} <= set(frame.columns)
    assert len(frame) == 12
    assert frame["slug"].is_unique


def test_every_fact_has_a_source_and_a_unit():
    facts = cases.load_facts()
    assert {"slug", "what", "value", "unit", "source"} <= set(facts.columns)
    assert len(facts) >= 30
    assert facts["source"].str.len().gt(0).all()
    assert facts["unit"].str.len().gt(0).all()
    # the report gives figures for every Caribbean proposal but Barbados (§12) and Haiti (§17)
    assert set(facts["slug"]) >= CARIBBEAN - {"haiti-grand-anse", "barbados"}


@pytest.mark.parametrize(
    ("slug", "value", "unit_word"),
    [
        ("dominican-republic-casabe", 38, "processor"),
        ("dominican-republic-casabe", 9000, "bread"),
        ("dominican-republic-casabe", 1372, "worker"),
        ("dominican-republic-casabe", 1.38, "US$"),
        ("belize", 800, "farmer"),
        ("bahamas", 3000, ""),
        ("bahamas", 80, "US$"),
        ("guyana", 266000, ""),
        ("oecs-vincy-klus", 40, ""),
        ("oecs-vincy-klus", 2010, "year"),
        ("chulucanas-ceramics", 50, "km"),
    ],
)
def test_report_figures_are_recorded_exactly(slug, value, unit_word):
    facts = cases.load_facts()
    rows = facts[(facts["slug"] == slug) & (facts["value"] == value)]
    assert not rows.empty, f"{slug}: no fact with value {value}"
    assert rows["unit"].str.contains(unit_word, case=False, regex=False).any()


def test_case_lookup_and_unknown_slug():
    assert cases.case("belize").country == "Belize"
    with pytest.raises(ValueError, match=r"Valid cases: .*belize"):
        cases.case("atlantis")


def test_swot_frame_lists_strengths_and_weaknesses():
    frame = cases.swot_frame("dominican-republic-casabe")
    assert set(frame["kind"]) >= {"weaknesses"}
    assert frame["source"].str.startswith("SELA 2014").all()


# --- broken files -------------------------------------------------------------------


def test_valid_fixture_loads(write_case, valid_case):
    folder = write_case(valid_case)
    assert cases.case("test-case", folder).facts[0].value == 800


def test_bad_yaml_names_the_file_and_line(write_case):
    folder = write_case("slug: test-case\nname: [unclosed\n")
    with pytest.raises(CaseDataError, match=r"test-case\.yaml.*not valid YAML at line"):
        cases.all_cases(folder)


def test_missing_field_names_file_and_field(write_case, valid_case):
    del valid_case["country"]
    folder = write_case(valid_case)
    with pytest.raises(CaseDataError) as info:
        cases.all_cases(folder)
    assert info.value.field == "country"
    assert info.value.path.name == "test-case.yaml"
    assert "field 'country': is missing" in str(info.value)


def test_wrong_type_names_the_nested_field(write_case, valid_case):
    valid_case["facts"][0]["value"] = "eight hundred"
    folder = write_case(valid_case)
    with pytest.raises(CaseDataError) as info:
        cases.all_cases(folder)
    assert info.value.field.startswith("facts.0.value")
    assert "eight hundred" in str(info.value)


def test_unknown_phase_is_refused(write_case, valid_case):
    valid_case["stage"]["phase"] = 12
    folder = write_case(valid_case)
    with pytest.raises(CaseDataError, match=r"field 'stage\.phase'.*10"):
        cases.all_cases(folder)


def test_fact_without_source_is_refused(write_case, valid_case):
    del valid_case["facts"][0]["source"]
    folder = write_case(valid_case)
    with pytest.raises(CaseDataError, match=r"facts\.0\.source"):
        cases.all_cases(folder)


@pytest.mark.parametrize("source", ["SELA 2014 §99", "SELA §16", "SELA 2014 Annex III", "x"])
def test_unfindable_sources_are_refused(write_case, valid_case, source):
    valid_case["facts"][0]["source"] = source
    folder = write_case(valid_case)
    with pytest.raises(CaseDataError, match=r"facts\.0\.source"):
        cases.all_cases(folder)


def test_unknown_field_is_refused(write_case, valid_case):
    valid_case["contact"] = "someone"
    folder = write_case(valid_case)
    with pytest.raises(CaseDataError, match="field 'contact': is not a known field"):
        cases.all_cases(folder)


def test_slug_must_match_file_name(write_case, valid_case):
    folder = write_case(valid_case, name="other-name.yaml")
    with pytest.raises(CaseDataError, match="make them match"):
        cases.all_cases(folder)


def test_one_broken_file_stops_the_whole_load(write_case, valid_case):
    """Never half-loaded data: a good file beside a broken one still raises."""
    write_case(valid_case)
    broken = dict(valid_case, slug="broken")
    del broken["products"]
    folder = write_case(broken, name="broken.yaml")
    with pytest.raises(CaseDataError) as info:
        cases.all_cases(folder)
    assert [p.path.name for p in info.value.problems] == ["broken.yaml"]


def test_every_problem_is_reported_at_once(write_case, valid_case):
    del valid_case["country"]
    valid_case["stage"]["phase"] = 0
    folder = write_case(valid_case)
    with pytest.raises(CaseDataError) as info:
        cases.all_cases(folder)
    assert {p.field for p in info.value.problems} == {"country", "stage.phase"}
    assert str(info.value).startswith("2 problems")


def test_empty_and_non_mapping_files(write_case):
    folder = write_case("")
    with pytest.raises(CaseDataError, match="is empty"):
        cases.all_cases(folder)


def test_list_instead_of_mapping(write_case):
    folder = write_case("- a\n- b\n")
    with pytest.raises(CaseDataError, match="must hold a mapping of fields, not a list"):
        cases.all_cases(folder)


def test_missing_folder(tmp_path):
    with pytest.raises(CaseDataError, match="does not exist"):
        cases.all_cases(tmp_path / "nowhere")


def test_environment_variable_points_at_another_folder(write_case, valid_case, monkeypatch):
    folder = write_case(valid_case)
    monkeypatch.setenv(cases.CASES_DIR_ENV, str(folder))
    assert cases.cases_dir() == folder
    assert list(cases.load_cases()["slug"]) == ["test-case"]


# --- the case a team names for its own plan ---------------------------------------------------


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_no_case_typed_yet_is_not_ready_and_says_what_to_write(typed):
    choice = cases.team_case(typed)
    assert not choice.ready and choice.slug is None
    assert "Choose your case first" in choice.message
    assert "belize" in choice.message and '"none"' in choice.message
    assert "No plan file has been made yet" in str(choice)


def test_a_known_case_is_ready_whatever_its_case_or_spaces():
    choice = cases.team_case("  Belize ")
    assert choice.ready and choice.slug == "belize"
    assert cases.case("belize").name in choice._repr_html_()


def test_own_product_is_ready_without_a_case():
    choice = cases.team_case("none")
    assert choice.ready and choice.slug is None and "empty plan" in choice.message


def test_an_unknown_name_is_refused_with_the_valid_names():
    choice = cases.team_case("Guyanna")
    assert not choice.ready and choice.slug is None
    assert "'Guyanna' is not one of the kit's cases" in choice.message
    assert "guyana" in choice.message
