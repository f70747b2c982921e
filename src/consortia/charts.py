"""Matplotlib figures of the kit, drawn to be readable on a projector.

Each function returns a :class:`matplotlib.figure.Figure` (so a notebook shows it and
a script can save it) and never calls ``plt.show()`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consortia import methodology

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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


def phase_timeline(highlight_work_programme: bool = True) -> Figure:
    """A timeline of the ten phases laid end to end with their typical durations.

    With ``highlight_work_programme`` the span of phases III-V is shaded and labelled
    with the 6-month target of the SELA 2014 meeting (§8), so a learner sees where
    the country teams' first commitment sits in the whole journey.
    """
    from matplotlib.figure import Figure

    all_phases = methodology.phases()
    starts = methodology.phase_starts()
    total = max(starts[p.number] + p.duration_months for p in all_phases)

    fig = Figure(figsize=(12, 6.5), layout="constrained")
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
        ax.axvspan(begin, end, color="#E69F00", alpha=0.12, zorder=0)
        ax.annotate(
            f"Work programme agreed in 2014:\nphases III-V in about {months} months "
            "(SELA 2014 §8)",
            xy=(end, first - 1),
            xytext=(end + 1.5, 0.2),
            fontsize=FONT_SIZE - 1,
            arrowprops={"arrowstyle": "->"},
        )
    return fig
