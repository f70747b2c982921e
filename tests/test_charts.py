"""Tests of consortia.charts: figures a trainer projects."""

from __future__ import annotations

from consortia import charts, methodology


def test_phase_timeline_draws_every_phase_in_order():
    fig = charts.phase_timeline()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{p.numeral}  {p.short_title}" for p in methodology.phases()]
    bars = [container.patches[0] for container in ax.containers]
    assert [round(b.get_width()) for b in bars] == [p.duration_months for p in methodology.phases()]
    starts = methodology.phase_starts()
    assert [round(b.get_x()) for b in bars] == [starts[n] for n in range(1, 11)]


def test_phase_timeline_marks_the_work_programme_with_its_source():
    fig = charts.phase_timeline()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "SELA 2014 §8" in texts
    plain = charts.phase_timeline(highlight_work_programme=False)
    assert "SELA 2014 §8" not in " ".join(t.get_text() for t in plain.axes[0].texts)


def test_phase_timeline_saves_as_png(tmp_path):
    out = tmp_path / "timeline.png"
    charts.phase_timeline().savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000


def test_figures_display_in_a_notebook_without_pyplot():
    fig = charts.phase_timeline()
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
