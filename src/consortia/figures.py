"""Figure plumbing shared by every chart of the kit: colours, fonts, figures that show themselves.

Charts are drawn by the module of their domain (the phase timeline in
:mod:`consortia.content.phase_overview`, a plan's Gantt chart in
:mod:`consortia.plans.timeline`, the cohort report's charts in
:mod:`consortia.grading.report`); what they share lives here, so that a phase has
the same colour everywhere and every figure is readable on a projector. A figure
from :func:`new_figure` displays itself in a notebook and never goes through
``pyplot`` (which keeps every figure alive in global state).
"""

from __future__ import annotations

import io
from functools import cache

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

#: Phases whose colour is dark enough to need white text on top of it.
DARK_PHASES = frozenset({6, 7, 10})

#: The shade that marks the 2014 work programme (phases III to V) on charts.
PROGRAMME_COLOUR = "#E69F00"

#: Font size for labels; large enough to read from the back of a training room.
FONT_SIZE = 13


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


def style_axis(ax, axis: str = "x") -> None:
    """The kit's look for a value axis: readable tick labels and a light grid behind bars."""
    ax.tick_params(axis=axis, labelsize=FONT_SIZE - 1)
    ax.grid(axis=axis, alpha=0.3)
    ax.set_axisbelow(True)
