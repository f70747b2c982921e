"""``ProductReadiness``: score a candidate product on the selection criteria, live.

One slider (0-10) per criterion of ``data/criteria.yaml``, with the criterion's
question above it and its explanation as small help text below. "Start from a
case" fills the sliders with the kit's worked scores for one of the twelve case
studies and shows, beside each slider, why the kit gave that score and where the
evidence comes from. A bar chart and a short reading of the result (total, share,
band, what to work on first) follow every change.

All the scoring logic lives in :mod:`consortia.content.readiness`; this module only lays out
the controls. In a notebook::

    from consortia.widgets.readiness import ProductReadiness
    ProductReadiness(case="belize")
"""

from __future__ import annotations

import html

from consortia.content import cases, methodology, readiness
from consortia.errors import InputError
from consortia.widgets._view import WidgetView

#: Where every slider starts when no case is picked: the middle of the scale.
START_SCORE = 5
#: The first entry of the case list, for scoring a product of one's own.
NO_CASE = "— none —"


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


class ProductReadiness(WidgetView):
    """Sliders, a live chart and a plain reading for one candidate product.

    ``case`` (a slug such as ``"belize"``) pre-fills the sliders from the kit's
    worked scores. Useful attributes: ``sliders`` (criterion key -> slider),
    ``reason_notes`` (criterion key -> the case's reason shown beside the slider),
    ``case_picker``, ``scores``, ``reading_html``, ``chart_image`` and ``widget``
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
        self.chart_image = w.Image(format="png", layout=w.Layout(width="100%"))
        self.reading_html = w.HTML()

        note = w.HTML(
            "<small>Scores run from 0 (no, not at all) to 10 (yes, fully). A case's scores "
            "are the kit's own teaching judgements, each with its reason and source; "
            f"a {readiness.NO_EVIDENCE_SCORE} marked \"{html.escape(readiness.NO_EVIDENCE)}\" "
            "means unknown, not average.</small>"
        )
        left = w.VBox(rows, layout=w.Layout(flex="1 1 480px", min_width="360px"))
        right = w.VBox(
            [self.chart_image, self.reading_html],
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
        self.chart_image.value = readiness.chart(scores, title=self._title(scores))._repr_png_()

