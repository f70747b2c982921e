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
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return KitFigure


def new_figure(**kwargs):
    """A new, unmanaged figure (no pyplot) that displays itself in a notebook."""
    return _figure_class()(layout="constrained", **kwargs)


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
