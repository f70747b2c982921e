"""Tests of consortia.content.readiness_compare: two cases' worked scores side by side."""

from __future__ import annotations

import pytest

from consortia.content import cases, methodology, readiness, readiness_compare

CASABE, BAHAMAS = "dominican-republic-casabe", "bahamas"


def test_reasons_frame_has_one_row_per_criterion_with_its_source():
    frame = readiness_compare.reasons_frame(BAHAMAS)
    assert list(frame.columns) == ["criterion", "score", "level", "reason", "source"]
    assert list(frame["criterion"]) == list(readiness.labels().values())
    assert len(frame) == len(methodology.criteria())
    assert frame["score"].sum() == readiness.total(readiness.case_scores(BAHAMAS))
    unknown = frame[frame["reason"] == readiness.NO_EVIDENCE]
    assert set(unknown["source"]) == {"kit's own"}
    assert set(unknown["score"]) == {readiness.NO_EVIDENCE_SCORE}
    assert set(frame["level"]) <= {"gap", "middle", "strength"}


def test_compare_frame_gives_scores_differences_and_totals():
    frame = readiness_compare.compare_frame(CASABE, BAHAMAS)
    name_a, name_b = cases.case(CASABE).name, cases.case(BAHAMAS).name
    assert list(frame.columns) == ["criterion", name_a, name_b, "difference"]
    body, last = frame.iloc[:-1], frame.iloc[-1]
    assert len(body) == len(methodology.criteria())
    assert (body["difference"] == body[name_a] - body[name_b]).all()
    assert last["criterion"] == "Total"
    assert last[name_a] == readiness.total(readiness.case_scores(CASABE))
    assert last[name_b] == readiness.total(readiness.case_scores(BAHAMAS))
    assert last["difference"] == last[name_a] - last[name_b]


def test_compare_frame_order_sets_the_sign_of_the_difference():
    one = readiness_compare.compare_frame(CASABE, BAHAMAS)["difference"]
    other = readiness_compare.compare_frame(BAHAMAS, CASABE)["difference"]
    assert (one == -other).all()


@pytest.mark.parametrize("func", [readiness_compare.compare_frame,
                                  readiness_compare.compare_chart])
def test_comparing_a_case_with_itself_or_an_unknown_case_is_refused(func):
    with pytest.raises(ValueError, match="two different cases"):
        func(CASABE, CASABE)
    with pytest.raises(ValueError, match="belize"):
        func(CASABE, "atlantis")


def test_compare_chart_draws_two_bars_per_criterion_and_hatches_unknowns():
    fig = readiness_compare.compare_chart(CASABE, BAHAMAS)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 2 * len(methodology.criteria())
    hatched = sum(bool(bar.get_hatch()) for bar in bars)
    unknown = sum(item.reason == readiness.NO_EVIDENCE
                  for slug in (CASABE, BAHAMAS)
                  for item in readiness.reasons(slug).values())
    assert hatched == unknown
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert cases.case(CASABE).name in legend and "strong candidate" in legend
    assert fig._repr_png_().startswith(b"\x89PNG")
