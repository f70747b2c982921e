"""Tests of consortia.content.phase_overview: phase timeline, purposes, case positions."""

from __future__ import annotations

import pytest

from consortia.content import methodology, phase_overview


def test_purposes_frame_has_one_sourced_purpose_per_phase():
    frame = phase_overview.purposes_frame()
    assert list(frame.columns) == ["numeral", "title", "purpose", "source"]
    assert list(frame["numeral"]) == [p.numeral for p in methodology.phases()]
    for row, p in zip(frame.itertuples(), methodology.phases(), strict=True):
        assert row.purpose == p.purpose.text
        assert row.source == p.purpose.source
    assert frame["source"].str.len().min() > 0


@pytest.mark.parametrize(("stage", "expected"), [(1, 2), (2, 3), (9, 10), (10, None),
                                                 (None, None)])
def test_next_phase(stage, expected):
    assert phase_overview.next_phase(stage) == expected


@pytest.mark.parametrize("stage", [0, 11, -3])
def test_next_phase_refuses_a_stage_outside_the_ten_phases(stage):
    with pytest.raises(ValueError, match="1 to 10"):
        phase_overview.next_phase(stage)


def test_case_positions_of_the_shipped_cases():
    frame = phase_overview.case_positions()
    assert list(frame.columns) == ["country", "name", "stage", "stage_title", "next_phase",
                                   "stage_source"]
    assert len(frame) == 12
    by_name = frame.set_index("name")
    # SELA 2014 §40: the Dominican Republic was developing an origin consortium (phase I)
    casabe = by_name.loc["Casabe of Monción"]
    assert casabe["stage"] == "I" and casabe["next_phase"].startswith("II ")
    assert casabe["stage_source"] == "kit's reading of SELA 2014 §40 and §7-§8"
    # SELA 2014 §41: the OECS proposal was promoting the methodology (phase II)
    assert by_name.loc["Vincy Klus agribusiness cluster", "next_phase"].startswith("III ")
    # Peruvian references already hold a collective sign (phase IX, Annex I)
    assert by_name.loc["Ceramics of Chulucanas", "next_phase"].startswith("X ")


def test_case_positions_order_stages_and_put_unplaced_cases_last():
    frame = phase_overview.case_positions()
    placed = frame[frame["stage"] != ""]
    numbers = [methodology.phase(n).number for n in placed["stage"]]
    assert numbers == sorted(numbers)
    unplaced = frame[frame["stage"] == ""]
    assert list(unplaced.index) == list(range(len(placed), len(frame)))
    assert (unplaced["next_phase"] == "").all()


def test_case_positions_reads_another_folder(write_case, valid_case):
    valid_case["stage"] = {"phase": 3, "label": "initial group", "source": "SELA 2014 §8"}
    frame = phase_overview.case_positions(write_case(valid_case))
    assert frame.loc[0, "stage"] == "III"
    assert frame.loc[0, "next_phase"] == f"IV {methodology.phase(4).short_title}"


def test_phase_timeline_draws_every_phase_in_order():
    fig = phase_overview.phase_timeline()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{p.numeral}  {p.short_title}" for p in methodology.phases()]
    bars = [container.patches[0] for container in ax.containers]
    assert [round(b.get_width()) for b in bars] == [p.duration_months for p in methodology.phases()]
    starts = methodology.phase_starts()
    assert [round(b.get_x()) for b in bars] == [starts[n] for n in range(1, 11)]


def test_phase_timeline_marks_the_work_programme_with_its_source():
    fig = phase_overview.phase_timeline()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "SELA 2014 §8" in texts
    plain = phase_overview.phase_timeline(highlight_work_programme=False)
    assert "SELA 2014 §8" not in " ".join(t.get_text() for t in plain.axes[0].texts)


def test_phase_timeline_saves_as_png(tmp_path):
    out = tmp_path / "timeline.png"
    phase_overview.phase_timeline().savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000


def test_figures_display_in_a_notebook_without_pyplot():
    fig = phase_overview.phase_timeline()
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
