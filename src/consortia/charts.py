"""Matplotlib figures of the kit, drawn to be readable on a projector.

Each function returns a :class:`matplotlib.figure.Figure` (so a notebook shows it and
a script can save it) and never calls ``plt.show()`` itself.
"""

from __future__ import annotations

import io
from functools import cache

from consortia import methodology

#: One colour per phase, from a colour-blind-safe palette (Okabe-Ito plus greys),
#: so the same phase has the same colour in every chart of the kit.
PHASE_COLOURS = {
    1: "#999999",
    2: "#bbbbbb",
    3: "#E69F00",
    4: "#56B4E9",
    5: "#009E73",
    6: "#0072B2",
    7: "#D55E00",
    8: "#CC79A7",
    9: "#F0E442",
    10: "#000000",
}

#: Font size for labels; large enough to read from the back of a training room.
FONT_SIZE = 13

#: The work programme agreed at SELA 2014 covers phases III to V in about 6 months (§8).
WORK_PROGRAMME = (3, 5, 6)


@cache
def _figure_class():
    """A Figure that shows itself in a notebook without pyplot or ``%matplotlib``.

    Jupyter draws an object through its ``_repr_png_`` method; matplotlib only
    registers a display hook once pyplot is imported, which the kit avoids (pyplot
    keeps every figure alive in global state).
    """
    from matplotlib.figure import Figure

    class KitFigure(Figure):
        def _repr_png_(self) -> bytes:
            return to_png(self)

    return KitFigure


def new_figure(layout: str | None = "constrained", **kwargs):
    """A new, unmanaged figure (no pyplot) that displays itself in a notebook.

    ``layout=None`` skips matplotlib's automatic layout, which costs more than the
    drawing itself; charts redrawn live in a widget place their margins by hand.
    """
    return _figure_class()(layout=layout, **kwargs)


def to_png(fig, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (for files, reports and notebooks)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def to_svg(fig) -> bytes:
    """The figure as SVG bytes with text kept as text.

    Several times faster than PNG for charts with many labels (glyphs are not
    rasterised), and sharp at any size: the planner widget redraws with this.
    """
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "consortia"}):
        fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def phase_timeline(highlight_work_programme: bool = True):
    """A timeline of the ten phases laid end to end with their typical durations.

    With ``highlight_work_programme`` the span of phases III-V is shaded and labelled
    with the 6-month target of the SELA 2014 meeting (§8), so a learner sees where
    the country teams' first commitment sits in the whole journey.
    """
    all_phases = methodology.phases()
    starts = methodology.phase_starts()
    total = max(starts[p.number] + p.duration_months for p in all_phases)

    fig = new_figure(figsize=(12, 6.5))
    ax = fig.subplots()
    for row, p in enumerate(all_phases):
        start = starts[p.number]
        colour = PHASE_COLOURS[p.number]
        ax.barh(row, p.duration_months, left=start, color=colour, edgecolor="black", height=0.7)
        ax.text(
            start + p.duration_months + 0.4,
            row,
            f"{p.duration_months} mo",
            va="center",
            fontsize=FONT_SIZE - 2,
        )
    ax.set_yticks(range(len(all_phases)))
    ax.set_yticklabels([f"{p.numeral}  {p.short_title}" for p in all_phases], fontsize=FONT_SIZE)
    ax.invert_yaxis()
    ax.set_xlim(0, total + 4)
    ax.set_xlabel("Months from the start (typical durations; real phases overlap)",
                  fontsize=FONT_SIZE)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 1)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_title("The ten phases of an origin consortium", fontsize=FONT_SIZE + 3)

    if highlight_work_programme:
        first, last, months = WORK_PROGRAMME
        begin = starts[first]
        end = starts[last] + methodology.phase(last).duration_months
        ax.axvspan(begin, end, color="#E69F00", alpha=0.25, zorder=0)
        ax.annotate(
            f"Work programme agreed in 2014:\nphases III-V in about {months} months "
            "(SELA 2014 §8)",
            xy=((begin + end) / 2, first - 1.6),
            xytext=(end + 1.5, 0.2),
            fontsize=FONT_SIZE - 1,
            arrowprops={"arrowstyle": "->"},
        )
    return fig


def _phase_label(number: int) -> str:
    if 1 <= number <= 10:
        p = methodology.phase(number)
        return f"{p.numeral} {p.short_title}"
    return f"phase {number} (unknown)"


def plan_gantt(plan, title: str | None = None):
    """A Gantt chart of a plan: one bar per activity, coloured by phase, on a month axis.

    Activities are listed top to bottom in start order; milestones are drawn as
    dashed vertical lines labelled at the top (market-facing ones, fairs and
    launches, in bold); the first six months, when phases III-V are due (SELA 2014
    §8), are shaded. Activities with impossible values (a phase that does not exist,
    no duration) are still drawn, hatched, so the chart never hides a mistake.
    """
    from matplotlib.patches import Patch

    from consortia.models import MARKET_MILESTONES

    activities = sorted(plan.activities, key=lambda a: (a.start_month, a.phase, a.id))
    rows = max(len(activities), 1)
    height = min(2.4 + 0.3 * rows, 16)
    fig = new_figure(layout=None, figsize=(13, height))
    # margins in inches, placed by hand (fast): labels on the left, legend on the right
    fig.subplots_adjust(left=3.6 / 13, right=1 - 2.6 / 13, bottom=0.9 / height,
                        top=1 - 0.55 / height)
    ax = fig.subplots()

    horizon = max([plan.horizon_months, *(a.end_month for a in activities),
                   *(m.month for m in plan.milestones)])
    ax.axvspan(0, 6, color="#E69F00", alpha=0.12, zorder=0)
    if activities:
        widths = [max(a.duration_months, 0.3) for a in activities]
        colours = [PHASE_COLOURS.get(a.phase, "#ffffff") for a in activities]
        bars = ax.barh(range(len(activities)), widths,
                       left=[a.start_month for a in activities],
                       color=colours, edgecolor="black", height=0.7)
        for bar, a in zip(bars, activities, strict=True):
            if a.phase not in PHASE_COLOURS or a.duration_months < 1:
                bar.set_hatch("//")
        # row labels as plain texts: much cheaper to draw than 40 axis ticks
        ax.set_yticks([])
        to_left = ax.get_yaxis_transform()
        for row, a in enumerate(activities):
            label = f"{a.id}  {a.title[:38]}" + ("…" if len(a.title) > 38 else "")
            ax.text(-0.01, row, label, transform=to_left, ha="right", va="center",
                    fontsize=FONT_SIZE - 3)
    else:
        ax.set_yticks([])
        ax.text(horizon / 2, 0, "No activities yet: add one to see it here.",
                ha="center", va="center", fontsize=FONT_SIZE)
    # milestones: dashed lines, labels on two staggered lines above the bars
    ax.set_ylim(rows - 0.5, -2.0 if plan.milestones else -0.5)
    for index, m in enumerate(sorted(plan.milestones, key=lambda m: m.month)):
        market = m.kind in MARKET_MILESTONES
        ax.axvline(m.month, color="#D55E00" if market else "#555555", linestyle="--",
                   linewidth=1.6 if market else 1)
        label = f" {m.title[:30]}" + ("…" if len(m.title) > 30 else "")
        ax.text(m.month, -0.95 - 0.7 * (index % 2), label,
                fontsize=FONT_SIZE - 3, fontweight="bold" if market else "normal",
                va="center", ha="left", clip_on=True)

    ax.set_xlim(min(0, *(a.start_month for a in activities)) if activities else 0,
                horizon + 0.5)
    ax.set_xlabel("Month of the plan", fontsize=FONT_SIZE)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 2)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_title(title or f"{plan.consortium}: action plan", fontsize=FONT_SIZE + 1)

    phases_used = sorted({a.phase for a in activities if a.phase in PHASE_COLOURS})
    if phases_used:
        ax.legend(handles=[Patch(facecolor=PHASE_COLOURS[n], edgecolor="black",
                                 label=_phase_label(n)) for n in phases_used],
                  loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=FONT_SIZE - 3,
                  title="Phase", title_fontsize=FONT_SIZE - 3, frameon=False)
    return fig


def phase_coverage(plan, title: str | None = None):
    """Which of the ten phases a plan covers: months of work planned in each phase.

    Phases with no activity show an empty row marked "not planned", so a team sees
    at a glance which parts of the methodology its plan leaves out.
    """
    months = dict.fromkeys(range(1, 11), 0)
    counts = dict.fromkeys(range(1, 11), 0)
    for a in plan.activities:
        if a.phase in months and a.duration_months > 0:
            months[a.phase] += a.duration_months
            counts[a.phase] += 1
    fig = new_figure(figsize=(10, 5.5))
    ax = fig.subplots()
    numbers = list(range(1, 11))
    ax.barh(numbers, [months[n] for n in numbers],
            color=[PHASE_COLOURS[n] for n in numbers], edgecolor="black", height=0.7)
    top = max(months.values()) or 1
    for n in numbers:
        label = (f"{counts[n]} activit{'y' if counts[n] == 1 else 'ies'}, {months[n]} mo"
                 if counts[n] else "not planned")
        ax.text(months[n] + top * 0.01, n, f" {label}", va="center", fontsize=FONT_SIZE - 2,
                style="normal" if counts[n] else "italic")
    ax.set_yticks(numbers)
    ax.set_yticklabels([_phase_label(n) for n in numbers], fontsize=FONT_SIZE - 1)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.35)
    ax.set_xlabel("Months of activity planned (sum over activities)", fontsize=FONT_SIZE)
    covered = sum(1 for n in numbers if counts[n])
    ax.set_title(title or f"Phases covered: {covered} of 10", fontsize=FONT_SIZE + 1)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return fig
