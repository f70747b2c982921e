"""Tests of consortia.content.methodology: the ten phases and the selection criteria."""

from __future__ import annotations

import copy

import pytest
import yaml

from consortia.content import methodology
from consortia.content.models import Methodology
from consortia.datafiles import DataFileError
from consortia.sources import KIT_OWN

NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def test_ten_phases_in_order():
    phases = methodology.phases()
    assert [p.number for p in phases] == list(range(1, 11))
    assert [p.numeral for p in phases] == NUMERALS
    for p in phases:
        assert p.purpose.text and p.activities and p.outputs and p.sources
        assert p.duration_months >= 1


@pytest.mark.parametrize("key", [3, "3", "III", "iii", " III "])
def test_phase_lookup_by_number_and_numeral(key):
    assert methodology.phase(key).number == 3


def test_phase_lookup_by_title_ignores_case():
    for p in methodology.phases():
        assert methodology.phase(p.title.upper()) == p
        assert methodology.phase(p.short_title.lower()) == p
        if p.report_title:
            assert methodology.phase(p.report_title) == p


@pytest.mark.parametrize("key", [0, 11, -1, "XI", "Phase three", "", True, 3.0])
def test_unknown_phase_lists_the_valid_values(key):
    with pytest.raises(ValueError) as info:
        methodology.phase(key)
    message = str(info.value)
    assert "1 to 10" in message and "I to X" in message
    assert methodology.phases()[0].title in message


def test_group_work_table_of_sela_21_is_in_the_phases():
    """The §21 table covered phases III, IV, V, VI, VII and X; each must cite it."""
    for number in (3, 4, 5, 6, 7, 10):
        cited = [a for a in methodology.phase(number).activities if a.source == "SELA 2014 §21"]
        assert cited, f"phase {number} has no activity from the SELA 2014 §21 table"
    # the table has six items for phase III and six for phase VI
    assert len([a for a in methodology.phase(3).activities if a.source == "SELA 2014 §21"]) >= 6
    assert len([a for a in methodology.phase(6).activities if a.source == "SELA 2014 §21"]) >= 6


def test_phases_three_to_five_fit_the_six_month_programme():
    """SELA 2014 §8: phases III-V in a 6-month period; the split among them is the kit's."""
    total = sum(methodology.phase(n).duration_months for n in (3, 4, 5))
    assert total <= 6
    for n in (3, 4, 5):
        source = methodology.phase(n).duration_source
        assert "SELA 2014 §8" in source and source.startswith("kit's own")


def test_kit_additions_are_marked():
    frame = methodology.activities_frame()
    assert frame["kit_own"].any(), "the kit adds activities; they must be marked as its own"
    assert (frame.loc[frame["kit_own"], "source"] == KIT_OWN).all()
    assert frame["source"].str.len().gt(0).all()


def test_dependencies_point_backwards():
    for p in methodology.phases():
        assert all(d < p.number for d in p.depends_on)
    assert methodology.phase(1).depends_on == []


def test_phases_frame_shape():
    frame = methodology.phases_frame()
    assert list(frame["number"]) == list(range(1, 11))
    assert {"numeral", "title", "purpose", "duration_months", "start_month", "sources"} <= set(
        frame.columns
    )
    # start months are the running total of durations
    assert frame["start_month"].iloc[0] == 0
    assert (frame["start_month"].diff().dropna() == frame["duration_months"].iloc[:-1].values).all()


def test_criteria_are_sourced_and_unique():
    criteria = methodology.criteria()
    assert len(criteria) >= 7
    keys = [c.key for c in criteria]
    assert len(keys) == len(set(keys))
    frame = methodology.criteria_frame()
    assert list(frame["key"]) == keys
    assert frame["source"].str.len().gt(0).all()


# --- broken methodology files ---------------------------------------------------------


@pytest.fixture
def phases_document():
    return copy.deepcopy(methodology.methodology().model_dump(mode="json"))


def _write(tmp_path, document):
    path = tmp_path / "phases.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_document_round_trips(tmp_path, phases_document):
    loaded = methodology.methodology(_write(tmp_path, phases_document))
    assert loaded == methodology.methodology()


def test_missing_phase_is_an_error(tmp_path, phases_document):
    del phases_document["phases"][4]
    with pytest.raises(DataFileError, match="phases"):
        methodology.methodology(_write(tmp_path, phases_document))


def test_wrong_numeral_is_an_error(tmp_path, phases_document):
    phases_document["phases"][2]["numeral"] = "IV"
    with pytest.raises(DataFileError, match=r"phases\.2.*numeral III"):
        methodology.methodology(_write(tmp_path, phases_document))


def test_activity_without_source_is_an_error(tmp_path, phases_document):
    del phases_document["phases"][0]["activities"][0]["source"]
    with pytest.raises(DataFileError, match=r"field 'phases\.0\.activities\.0\.source'"):
        methodology.methodology(_write(tmp_path, phases_document))


def test_dependency_on_a_later_phase_is_an_error(tmp_path, phases_document):
    phases_document["phases"][2]["depends_on"] = [7]
    with pytest.raises(DataFileError, match="earlier phases"):
        methodology.methodology(_write(tmp_path, phases_document))


def test_model_accepts_the_shipped_data_directly():
    data = yaml.safe_load((methodology.DATA_DIR / "phases.yaml").read_text(encoding="utf-8"))
    assert len(Methodology.model_validate(data).phases) == 10
