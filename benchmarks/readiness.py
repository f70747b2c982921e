"""Time how long the product-readiness widget takes to redraw after one slider move.

Run: .venv/bin/python benchmarks/readiness.py
Prints figures; asserts nothing. Target: a median of 50 ms or less per slider move.

"widget" is a slider move in :class:`consortia.widgets.readiness.ProductReadiness` as
it is now, from the new value to the redrawn chart and reading. "matplotlib PNG" is
how the widget drew its chart before (the figure of
:func:`consortia.content.readiness.chart` rendered to PNG on every move), timed the
same way, so one run gives both figures.
"""

from __future__ import annotations

import statistics
import time

MOVES = 40
WARM_UP = 3


def widget_moves() -> list[float]:
    """Seconds per slider move in the widget as it is now."""
    from consortia.widgets.readiness import ProductReadiness

    widget = ProductReadiness(case="belize")
    keys = list(widget.sliders)
    times = []
    for move in range(MOVES + WARM_UP):
        slider = widget.sliders[keys[move % len(keys)]]
        before = widget.chart_html.value
        start = time.perf_counter()
        slider.value = (slider.value + 3) % 11
        elapsed = time.perf_counter() - start
        if widget.chart_html.value == before:
            raise SystemExit("the slider move did not redraw the chart")
        if move >= WARM_UP:
            times.append(elapsed)
    return times


def matplotlib_png_moves() -> list[float]:
    """Seconds per move when the chart is a matplotlib PNG and the reading is rebuilt."""
    from consortia.content import readiness
    from consortia.widgets.readiness import reading_to_html

    scores = dict(readiness.case_scores("belize"))
    keys = list(scores)
    times = []
    for move in range(MOVES // 4 + WARM_UP):  # slow: fewer runs
        key = keys[move % len(keys)]
        start = time.perf_counter()
        scores[key] = (scores[key] + 3) % 11
        reading_to_html(readiness.reading(scores))
        readiness.chart(scores, title="Belize")._repr_png_()
        elapsed = time.perf_counter() - start
        if move >= WARM_UP:
            times.append(elapsed)
    return times


def line(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (f"{name:<28} median {statistics.median(values) * 1000:6.1f} ms   "
            f"p90 {p90 * 1000:6.1f} ms   ({len(values)} moves)")


def main() -> None:
    print("Product readiness: one slider move to a redrawn chart and reading")
    print(line("widget (now)", widget_moves()) + "   target: median <= 50 ms")
    print(line("matplotlib PNG (before)", matplotlib_png_moves()))


if __name__ == "__main__":
    main()
