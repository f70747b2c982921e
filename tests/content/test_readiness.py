"""Tests of consortia.content.readiness: worked scores, totals, the reading and the chart."""

from __future__ import annotations

import copy

import pytest
import yaml

from consortia.content import cases, methodology, readiness
from consortia.datafiles import DataFileError
from consortia.sources import KIT_OWN

KEYS = [c.key for c in methodology.criteria()]


def all_at(value: int) -> dict[str, int]:
    return dict.fromkeys(KEYS, value)


# --- the data file ---------------------------------------------------------------------


def test_the_shipped_file_validates_and_covers_every_case_and_criterion():
    data = readiness.load_readiness(readiness.DATA_PATH)
    assert set(data.cases) == {c.slug for c in cases.all_cases()}
    for slug, entry in data.cases.items():
        assert list(readiness.case_scores(slug)) == KEYS, slug
        assert set(entry) == set(KEYS), slug
    assert set(data.criteria) == set(KEYS)


def test_every_worked_score_gives_a_reason_and_a_source():
    for slug in readiness.scored_cases():
        for key, item in readiness.reasons(slug).items():
            assert 0 <= item.score <= 10
            assert item.reason.endswith("."), (slug, key)
            if item.reason == readiness.NO_EVIDENCE:
                assert (item.score, item.source) == (readiness.NO_EVIDENCE_SCORE, KIT_OWN)
            else:
                # a real reason rests on a citable source, not on the kit alone
                assert item.source != KIT_OWN, (slug, key)


def test_case_scores_unknown_case_lists_the_valid_ones():
    with pytest.raises(ValueError, match="belize"):
        readiness.case_scores("atlantis")


@pytest.fixture
def document() -> dict:
    raw = yaml.safe_load(readiness.DATA_PATH.read_text(encoding="utf-8"))
    return copy.deepcopy(raw)


def _write(tmp_path, document):
    path = tmp_path / "readiness.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _load_error(tmp_path, document) -> DataFileError:
    path = _write(tmp_path, document)
    with pytest.raises(DataFileError) as info:
        readiness.load_readiness(path)
    assert str(path) in str(info.value)
    return info.value


def test_unknown_criterion_key_is_named_with_file_and_field(tmp_path, document):
    document["cases"]["belize"]["taste"] = {"score": 5, "reason": "Tasty.", "source": KIT_OWN}
    error = _load_error(tmp_path, document)
    assert error.field == "cases.belize.taste"
    assert "not a criterion" in str(error) and "market_potential" in str(error)


def test_unknown_case_is_named_with_file_and_field(tmp_path, document):
    document["cases"]["atlantis"] = document["cases"].pop("belize")
    error = _load_error(tmp_path, document)
    assert error.field == "cases.atlantis"
    assert "not a case" in str(error) and "belize" in str(error)


@pytest.mark.parametrize("bad", [11, -1, 7.5, "7"])
def test_a_score_outside_0_to_10_or_not_whole_is_refused(tmp_path, document, bad):
    document["cases"]["belize"]["little_known"]["score"] = bad
    error = _load_error(tmp_path, document)
    assert error.field == "cases.belize.little_known.score"


def test_a_case_missing_a_criterion_is_refused(tmp_path, document):
    del document["cases"]["jamaica"]["local_outlets"]
    error = _load_error(tmp_path, document)
    assert error.field == "cases.jamaica"
    assert "local_outlets" in str(error)


def test_no_evidence_must_be_a_middle_score_of_the_kits_own(tmp_path, document):
    document["cases"]["belize"]["little_known"]["score"] = 9
    error = _load_error(tmp_path, document)
    assert error.field == "cases.belize.little_known"
    assert "without evidence" in str(error)


def test_a_sela_source_must_name_a_real_paragraph(tmp_path, document):
    document["cases"]["belize"]["market_potential"]["source"] = "SELA 2014 §99"
    error = _load_error(tmp_path, document)
    assert error.field == "cases.belize.market_potential.source"


# --- totals, bands and the reading -------------------------------------------------------


def test_total_share_and_max_total():
    assert readiness.max_total() == 10 * len(KEYS)
    assert readiness.total(all_at(10)) == readiness.max_total()
    assert readiness.share(all_at(10)) == 1.0
    assert readiness.share(all_at(0)) == 0.0
    belize = readiness.case_scores("belize")
    assert readiness.total(belize) == sum(belize.values())
    assert readiness.share(belize) == pytest.approx(sum(belize.values()) / readiness.max_total())


def test_full_marks_read_as_a_strong_candidate_with_nothing_to_fix():
    text = readiness.reading(all_at(10))
    assert "strong candidate" in text
    assert f"{readiness.max_total()} of {readiness.max_total()} (100%)" in text
    assert "Work on these first" not in text


def test_bands_follow_the_documented_thresholds():
    assert readiness.band(all_at(7)) == "strong candidate"  # 70%
    assert readiness.band(all_at(6)) == "promising with gaps"
    assert readiness.band(all_at(5)) == "promising with gaps"  # 50%
    assert readiness.band(all_at(4)) == "weak candidate"


def test_one_missing_basic_keeps_a_product_out_of_the_top_band():
    scores = all_at(9)
    scores["market_potential"] = 1
    assert readiness.share(scores) >= 0.7
    assert readiness.band(scores) == "promising with gaps"
    assert "Market potential (1/10)" in readiness.reading(scores)


def test_reading_names_the_weakest_criteria_with_advice_and_the_strongest():
    questions = {c.key: " ".join(c.question.split()) for c in methodology.criteria()}
    scores = all_at(8)
    scores.update(consistent_quality_feasible=3, local_outlets=4, enough_volume=5,
                  little_known=6, support_institution=10)
    text = readiness.reading(scores)
    work_on = text.split("Work on these first:")[1].split("Strongest:")[0]
    # the three lowest, lowest first; the fourth weak one is not named
    positions = [work_on.index(questions[k])
                 for k in ("consistent_quality_feasible", "local_outlets", "enough_volume")]
    assert positions == sorted(positions)
    assert questions["little_known"] not in work_on
    advice = readiness.load_readiness().criteria["consistent_quality_feasible"].advice
    assert " ".join(advice.split()) in work_on
    assert f"Strongest: {questions['support_institution']} (10/10)" in text


def test_reading_of_a_case_changes_when_a_score_changes():
    belize = readiness.case_scores("belize")
    better = dict(belize, consistent_quality_feasible=9)
    assert readiness.reading(better) != readiness.reading(belize)


# --- checking scores -----------------------------------------------------------------------


def test_validate_scores_accepts_a_full_set_in_criteria_order():
    scores = dict(reversed(list(all_at(6).items())))
    assert list(readiness.validate_scores(scores)) == KEYS


def test_validate_scores_names_unknown_and_missing_criteria():
    scores = all_at(5)
    del scores["local_outlets"]
    scores["taste"] = 5
    with pytest.raises(ValueError) as info:
        readiness.validate_scores(scores)
    message = str(info.value)
    assert "'taste' is not a criterion" in message
    assert "no score for 'local_outlets'" in message


@pytest.mark.parametrize("bad", [7.5, "7", True, None])
def test_validate_scores_wants_whole_numbers(bad):
    with pytest.raises(ValueError, match=r"'market_potential' is .*whole number from 0 to 10"):
        readiness.validate_scores(dict(all_at(5), market_potential=bad))


@pytest.mark.parametrize("bad", [11, -1])
def test_validate_scores_wants_0_to_10(bad):
    with pytest.raises(ValueError, match=f"'enough_volume' is {bad}; scores run from 0 to 10"):
        readiness.validate_scores(dict(all_at(5), enough_volume=bad))


def test_totals_refuse_bad_scores_too():
    with pytest.raises(ValueError):
        readiness.total({"market_potential": 5})


# --- the comparison table and the chart ----------------------------------------------------


def test_readiness_frame_has_one_row_per_case_best_first():
    frame = readiness.readiness_frame()
    assert set(frame["slug"]) == set(readiness.scored_cases())
    assert list(frame["total"]) == sorted(frame["total"], reverse=True)
    assert frame["share"].between(0, 1).all()
    row = frame.set_index("slug").loc["belize"]
    assert row["total"] == sum(readiness.case_scores("belize").values())
    assert row["band"] == readiness.band(readiness.case_scores("belize"))


def test_chart_draws_one_bar_per_criterion_coloured_by_level():
    from matplotlib.colors import to_hex

    scores = readiness.case_scores("belize")
    fig = readiness.chart(scores, title="Belize")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(readiness.labels().values())
    bars = ax.containers[0].patches
    assert [round(b.get_width()) for b in bars] == list(scores.values())
    colours = [to_hex(b.get_facecolor()).upper() for b in bars]
    expected = [readiness.LEVEL_COLOURS[readiness.level(v)].upper() for v in scores.values()]
    assert colours == expected
    assert ax.get_xlim()[0] == 0 and ax.get_xlim()[1] >= 10
    assert "Belize" in ax.get_title() and "strong candidate" in ax.get_title()
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_refuses_bad_scores():
    with pytest.raises(ValueError):
        readiness.chart(dict(all_at(5), market_potential=12))
