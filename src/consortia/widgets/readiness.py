"""``ProductReadiness``: score a candidate product on the selection criteria, live.

One slider (0-10) per criterion of ``data/criteria.yaml``, with the criterion's
question above it and its explanation as small help text below. "Start from a
case" fills the sliders with the kit's worked scores for one of the twelve case
studies and shows, beside each slider, why the kit gave that score and where the
evidence comes from. A bar chart and a short reading of the result (total, share,
band, what to work on first) follow every change.

The chart here is :func:`chart_svg`: the same bars, colours, aim line and legend as
:func:`consortia.content.readiness.chart`, written as SVG straight from the scores.
Rendering the matplotlib figure to PNG took about 300 ms per slider move, which a
participant feels as lag; the SVG takes well under a millisecond, and its labels
stay text (sharp at any zoom, and translated with the page by the browser).

All the scoring logic lives in :mod:`consortia.content.readiness`; this module only lays out
the controls. In a notebook::

    from consortia.widgets.readiness import ProductReadiness
    ProductReadiness(case="belize")
"""

from __future__ import annotations

import html
import textwrap

from consortia.content import cases, methodology, readiness
from consortia.errors import InputError
from consortia.figures import FONT_SIZE
from consortia.widgets._view import WidgetView

#: Where every slider starts when no case is picked: the middle of the scale.
START_SCORE = 5
#: The first entry of the case list, for scoring a product of one's own.
NO_CASE = "— none —"
#: Longest line of the chart's title; a longer title is wrapped (case names run long).
TITLE_CHARS = 52


def _reason_html(item: readiness.CriterionScore) -> str:
    return (
        f"<div style='line-height:1.3'><b>Case score {item.score}:</b> "
        f"{html.escape(item.reason)} <i>({html.escape(item.source)})</i></div>"
    )


def reading_to_html(text: str) -> str:
    """Lay out a :func:`consortia.content.readiness.reading` as HTML: paragraphs and a list."""
    parts: list[str] = []
    items: list[str] = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("- "):
            items.append(f"<li>{html.escape(line[2:])}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        escaped = html.escape(line)
        parts.append(f"<p><b>{escaped}</b></p>" if number == 0 else f"<p>{escaped}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "<div style='font-size:1.05em;line-height:1.4'>" + "".join(parts) + "</div>"


def chart_svg(scores: dict[str, int], title: str | None = None) -> str:
    """Horizontal bars of the scores as an inline SVG (what the widget shows).

    It shows what :func:`consortia.content.readiness.chart` shows: one bar per
    criterion coloured by level with its score, the dashed aim line, the 0-10 scale,
    a title with the total, share and band, and the legend of the levels.
    """
    values = readiness.validate_scores(scores)
    result = readiness.assess(values)
    names = readiness.labels()
    keys = list(values)
    size = FONT_SIZE + 2
    # narrow enough that the text stays legible in the widget's half-width column
    lines = textwrap.wrap(title or "Product readiness", TITLE_CHARS) or [""]
    row_h, left, plot_w, top = 34, 220, 320, 40 + 22 * len(lines)
    width = left + plot_w + 36
    bottom = top + len(keys) * row_h
    height = bottom + 122
    span = readiness.MAX_SCORE - readiness.MIN_SCORE + 0.9

    def x(score: float) -> float:
        return left + (score - readiness.MIN_SCORE) / span * plot_w

    heading = html.escape(" ".join(lines))
    summary = html.escape(f"Total {result.total} of {result.max_total} ({result.share:.0%}): "
                          f"{result.band}")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" role="img" aria-label="{heading}. {summary}" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="{size}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        *(f'<text x="{width / 2}" y="{22 * (n + 1)}" text-anchor="middle" '
          f'font-size="{size + 2}">{html.escape(line)}</text>' for n, line in enumerate(lines)),
        f'<text x="{width / 2}" y="{22 * (len(lines) + 1)}" text-anchor="middle" '
        f'font-size="{size + 2}">{summary}</text>',
    ]
    for tick in range(readiness.MIN_SCORE, readiness.MAX_SCORE + 1):
        out.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" y2="{bottom}" '
                   f'stroke="#ddd"/><text x="{x(tick):.1f}" y="{bottom + 18}" '
                   f'text-anchor="middle" font-size="{size - 1}">{tick}</text>')
    for row, key in enumerate(keys):
        y = top + row * row_h
        value = values[key]
        colour = readiness.LEVEL_COLOURS[readiness.level(value)]
        out.append(
            f'<text x="{left - 8}" y="{y + row_h / 2 + 5}" text-anchor="end">'
            f"{html.escape(names[key])}</text>"
            f'<rect class="bar" x="{x(0):.1f}" y="{y + 5}" width="{x(value) - x(0):.1f}" '
            f'height="{row_h - 10}" fill="{colour}" stroke="black"/>'
            f'<text x="{x(value) + 5:.1f}" y="{y + row_h / 2 + 5}" font-weight="bold">'
            f"{value}</text>"
        )
    aim = x(readiness.STRONG_FROM)
    out.append(f'<line x1="{aim:.1f}" x2="{aim:.1f}" y1="{top}" y2="{bottom}" stroke="black" '
               'stroke-dasharray="6,4" stroke-width="1.5"/>')
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{bottom - top}" '
               'fill="none" stroke="black"/>')
    out.append(f'<text x="{left + plot_w / 2}" y="{bottom + 42}" text-anchor="middle">'
               "Score: 0 = no, not at all; 10 = yes, fully</text>")
    legend = [(readiness.LEVEL_COLOURS[k], readiness.LEVEL_LEGEND[k])
              for k in ("gap", "middle", "strength")]
    lx, ly = 20, bottom + 68
    for colour, label in legend:
        out.append(f'<rect x="{lx}" y="{ly}" width="18" height="14" fill="{colour}" '
                   f'stroke="black"/><text x="{lx + 24}" y="{ly + 12}">'
                   f"{html.escape(label)}</text>")
        lx += 36 + 8 * len(label)
    lx, ly = 20, ly + 24
    out.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{ly + 7}" y2="{ly + 7}" stroke="black" '
               f'stroke-dasharray="6,4" stroke-width="1.5"/><text x="{lx + 24}" '
               f'y="{ly + 12}">aim: {readiness.STRONG_FROM} or more</text>')
    out.append("</svg>")
    return "".join(out)


class ProductReadiness(WidgetView):
    """Sliders, a live chart and a plain reading for one candidate product.

    ``case`` (a slug such as ``"belize"``) pre-fills the sliders from the kit's
    worked scores. Useful attributes: ``sliders`` (criterion key -> slider),
    ``reason_notes`` (criterion key -> the case's reason shown beside the slider),
    ``case_picker``, ``scores``, ``reading_html``, ``chart_html`` (the chart, as
    inline SVG) and ``widget``
    (the whole layout, shown when the object is the last line of a cell).
    """

    def __init__(self, case: str | None = None):
        import ipywidgets as w

        worked = readiness.scored_cases()
        if case is not None and case not in worked:
            raise InputError(
                f"No worked scores for case {case!r}. Pick one of: {', '.join(worked)}, "
                "or leave it out to start from the middle of every scale."
            )
        names = {c.slug: c.name for c in cases.all_cases()}
        self._updating = False
        self.sliders: dict[str, w.IntSlider] = {}
        self.reason_notes: dict[str, w.HTML] = {}

        rows = []
        for criterion in methodology.criteria():
            slider = w.IntSlider(
                value=START_SCORE,
                min=readiness.MIN_SCORE,
                max=readiness.MAX_SCORE,
                step=1,
                continuous_update=False,
                tooltip=" ".join(criterion.explanation.split()),
                layout=w.Layout(width="260px", min_width="220px"),
            )
            reason = w.HTML(layout=w.Layout(flex="1 1 auto", margin="0 0 0 12px"))
            self.sliders[criterion.key] = slider
            self.reason_notes[criterion.key] = reason
            rows.append(
                w.VBox(
                    [
                        w.HTML(f"<b>{html.escape(' '.join(criterion.question.split()))}</b>"),
                        w.HBox([slider, reason], layout=w.Layout(align_items="center")),
                        w.HTML(
                            "<small style='color:#555'>"
                            f"{html.escape(' '.join(criterion.explanation.split()))}</small>"
                        ),
                    ],
                    layout=w.Layout(margin="0 0 14px 0"),
                )
            )

        self._names = {slug: names.get(slug, slug) for slug in worked}
        by_name = sorted((name, slug) for slug, name in self._names.items())
        options = [(NO_CASE, None), *by_name]
        self.case_picker = w.Dropdown(
            options=options,
            value=None,
            description="Start from a case",
            style={"description_width": "initial"},
            layout=w.Layout(width="max-content"),
        )
        self.chart_html = w.HTML(layout=w.Layout(width="100%"))
        self.reading_html = w.HTML()

        note = w.HTML(
            "<small>Scores run from 0 (no, not at all) to 10 (yes, fully). A case's scores "
            "are the kit's own teaching judgements, each with its reason and source; "
            f"a {readiness.NO_EVIDENCE_SCORE} marked \"{html.escape(readiness.NO_EVIDENCE)}\" "
            "means unknown, not average.</small>"
        )
        left = w.VBox(rows, layout=w.Layout(flex="1 1 480px", min_width="360px"))
        right = w.VBox(
            [self.chart_html, self.reading_html],
            layout=w.Layout(flex="1 1 420px", min_width="360px"),
        )
        self.widget = w.VBox(
            [
                self.case_picker,
                note,
                w.HBox([left, right], layout=w.Layout(flex_flow="row wrap", width="100%")),
            ]
        )

        for slider in self.sliders.values():
            slider.observe(self._on_slider, names="value")
        self.case_picker.observe(self._on_case, names="value")
        if case is not None:
            self.case_picker.value = case
        else:
            self._refresh()

    # -- state ---------------------------------------------------------------------------

    @property
    def scores(self) -> dict[str, int]:
        """The current score of every criterion, criterion key -> 0-10."""
        return {key: slider.value for key, slider in self.sliders.items()}

    @property
    def case(self) -> str | None:
        """The slug of the case the sliders started from, or ``None``."""
        return self.case_picker.value

    # -- events --------------------------------------------------------------------------

    def _on_slider(self, _change: dict) -> None:
        if not self._updating:
            self._refresh()

    def _on_case(self, change: dict) -> None:
        slug = change["new"]
        if slug is None:
            for reason in self.reason_notes.values():
                reason.value = ""
            self._refresh()
            return
        worked = readiness.reasons(slug)
        self._updating = True
        try:
            for key, slider in self.sliders.items():
                slider.value = worked[key].score
                self.reason_notes[key].value = _reason_html(worked[key])
        finally:
            self._updating = False
        self._refresh()

    def _title(self, scores: dict[str, int]) -> str:
        slug = self.case
        if slug is None:
            return "Your product"
        name = self._names[slug]
        if scores != readiness.case_scores(slug):
            return f"{name} (with your changes)"
        return name

    def _refresh(self) -> None:
        scores = self.scores
        self.reading_html.value = reading_to_html(readiness.reading(scores))
        self.chart_html.value = chart_svg(scores, title=self._title(scores))

