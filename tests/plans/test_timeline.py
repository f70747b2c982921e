"""Tests of consortia.plans.timeline: a plan's Gantt chart, as a figure and as SVG."""

from __future__ import annotations

import pytest

from consortia import figures
from consortia.plans import timeline


def test_plan_gantt_draws_one_bar_per_activity_coloured_by_phase():
    from plan_fixtures import good_plan

    plan = good_plan()
    fig = timeline.plan_gantt(plan)
    ax = fig.axes[0]
    bars = ax.containers[0].patches
    assert len(bars) == len(plan.activities)
    ordered = sorted(plan.activities, key=lambda a: (a.start_month, a.phase, a.id))
    for bar, activity in zip(bars, ordered, strict=True):
        assert round(bar.get_x()) == activity.start_month
        assert round(bar.get_width()) == activity.duration_months
        expected = figures.PHASE_COLOURS[activity.phase]
        assert bar.get_facecolor()[:3] == pytest.approx(
            tuple(int(expected[i:i + 2], 16) / 255 for i in (1, 3, 5)), abs=0.01)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "National Chocolate Festival" in texts  # milestones are labelled
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("III")


def test_plan_gantt_shows_mistakes_instead_of_hiding_them():
    from plan_fixtures import good_plan

    plan = good_plan()
    broken = plan.with_activity(plan.activity("A4").model_copy(update={"phase": 12,
                                                                       "duration_months": 0}))
    fig = timeline.plan_gantt(broken)
    hatched = [b for b in fig.axes[0].containers[0].patches if b.get_hatch()]
    assert len(hatched) == 1


def test_plan_gantt_of_an_empty_plan_invites_to_add():
    from consortia.plans.model import ActionPlan

    fig = timeline.plan_gantt(ActionPlan(consortium="New"))
    assert "No activities yet" in " ".join(t.get_text() for t in fig.axes[0].texts)


def test_phase_coverage_marks_the_phases_left_out():
    from plan_fixtures import good_plan

    fig = timeline.phase_coverage(good_plan())
    ax = fig.axes[0]
    widths = [round(b.get_width()) for b in ax.containers[0].patches]
    assert widths == [0, 0, 2, 2, 2, 0, 3, 3, 6, 0]
    assert ax.get_title() == "Phases covered: 6 of 10"
    assert sum(t.get_text().strip() == "not planned" for t in ax.texts) == 4


def test_svg_gantt_matches_the_matplotlib_layout():
    import xml.etree.ElementTree as ET

    from plan_fixtures import good_plan

    plan = good_plan()
    svg = timeline.plan_gantt_svg(plan)
    root = ET.fromstring(svg)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    layout = timeline.gantt_layout(plan)
    for row in layout.rows:
        assert row.label in texts
    bar_fills = [r.get("fill") for r in root.iter(f"{ns}rect") if r.get("stroke") == "black"
                 and r.get("height") == "18"]
    assert bar_fills == [row.colour for row in layout.rows]
    assert "National Chocolate Festival…" in texts or any(
        t and t.startswith("National Chocolate Festival") for t in texts)


def test_svg_gantt_escapes_text_and_flags_mistakes():
    import xml.etree.ElementTree as ET

    from plan_fixtures import good_plan

    plan = good_plan().updated(consortium="Tom & Jerry <cacao>")
    plan = plan.with_activity(plan.activity("A4").model_copy(update={"phase": 12}))
    svg = timeline.plan_gantt_svg(plan)
    ET.fromstring(svg)
    assert "Tom &amp; Jerry &lt;cacao&gt;" in svg
    assert svg.count('fill="url(#flag)"') == 1


def test_milestone_labels_at_the_end_of_the_plan_stay_inside():
    from consortia.plans.model import Milestone
    from plan_fixtures import good_plan

    plan = good_plan().with_milestone(Milestone(title="Final review", month=24, kind="review"))
    ax = timeline.plan_gantt(plan).axes[0]
    (label,) = [t for t in ax.texts if t.get_text().strip() == "Final review"]
    assert label.get_horizontalalignment() == "right"
    assert 'text-anchor="end" y=' in timeline.plan_gantt_svg(plan)
