"""What a case-study notebook shows: one call per view, each taking the case's slug.

The twelve notebooks in ``case_studies/`` all present their case the same way: a
summary card, the figures with their sources, the strengths, weaknesses,
opportunities and threats (SWOT), and a chart of where the case stood on the ten
phases. Keeping those views here, not in the notebooks, means that a notebook cell
stays one short line a non-programmer can read (``case_views.stage_chart(slug)``),
that the twelve notebooks cannot drift apart, and that a correction to a case's YAML
file shows up everywhere at once.

Every view reads the validated case data through :mod:`consortia.content.cases` and never
adds a fact of its own: where the data holds nothing (no figures, no threats), the
view says so plainly instead of leaving a blank. HTML views escape all text, since
case files are edited by hand. Charts follow :mod:`consortia.figures`: the same
colour for a phase everywhere (``PHASE_COLOURS``), large fonts for a projector, and
figures that display themselves without pyplot.
"""

from __future__ import annotations

import re
import textwrap
from html import escape
from typing import TYPE_CHECKING

from consortia import figures
from consortia.content import cases, methodology
from consortia.content.facts import is_date, value_text
from consortia.content.programme import work_programme
from consortia.display import HTMLBlock

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    from consortia.content.models import Case, Fact

#: How the kit describes each kind of case, with where the report presents it.
KIND_LABELS = {
    "caribbean-proposal": (
        "Caribbean proposal presented at the 2014 SELA/UNIDO meeting (SELA 2014 §11-§19)"
    ),
    "peruvian-reference": (
        "Peruvian reference visited on the meeting's field trips (SELA 2014 §22-§23)"
    ),
}

#: The four SWOT headings, in the order they are shown, with a singular label.
SWOT_KINDS = {
    "strengths": "Strength",
    "weaknesses": "Weakness",
    "opportunities": "Opportunity",
    "threats": "Threat",
}

#: Columns of :func:`facts_frame`, in the order the facts table shows them.
FACT_COLUMNS = ["what", "qualifier", "value", "unit", "year", "source"]

#: The meeting the Caribbean cases were presented at, as a fractional year (May 2014).
MEETING_YEAR = 2014.35
MEETING_LABEL = "Meeting in Piura and Lima, May 2014 (SELA 2014 §1)"

_FONT = figures.FONT_SIZE


# --- the summary card ------------------------------------------------------------------


def _stage_heading(case_: Case) -> str:
    if case_.stage.phase is None:
        return "Not placed on the ten phases"
    p = methodology.phase(case_.stage.phase)
    return f"Phase {p.numeral}: {p.title}"


_CELL = ("text-align: left; vertical-align: top; padding: 0.25em 0.8em 0.25em 0; "
         "border-bottom: 1px solid #d0d7de")


def _rows(cells: list[list[str]]) -> str:
    return "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{escape(c)}</td>' for c in row) + "</tr>"
        for row in cells
    )


def _table(headers: list[str], cells: list[list[str]]) -> str:
    head = "".join(f'<th style="{_CELL}">{escape(h)}</th>' for h in headers)
    return (f'<table style="border-collapse: collapse; margin: 0.3em 0 0.8em 0">'
            f"<thead><tr>{head}</tr></thead><tbody>{_rows(cells)}</tbody></table>")


def summary_card(slug: str) -> HTMLBlock:
    """The case at a glance: name, country, kind, products, organisations and stage.

    Each product comes with its sector and territory, each organisation with its role,
    and the stage with its phase, its label and its source, so a learner sees in one
    box what the case is about and where every line comes from.
    """
    c = cases.case(slug)
    colour = "#0072B2" if c.kind == "caribbean-proposal" else "#009E73"
    products = _table(
        ["Product", "Sector", "Territory", "Source"],
        [[p.name, p.sector, p.territory, p.source] for p in c.products],
    )
    organisations = _table(
        ["Organisation", "Role", "Source"],
        [[o.name, o.role, o.source] for o in c.organisations],
    )
    html = (
        f'<div style="border-left: 6px solid {colour}; padding: 0.5em 1em; '
        'background: #f7f9fb; color: #1b1f23">'
        f'<p style="font-size: 1.3em; margin: 0.2em 0"><b>{escape(c.name)}</b></p>'
        f"<p><b>Country:</b> {escape(c.country)}<br>"
        f"<b>Kind of case:</b> {escape(KIND_LABELS.get(c.kind, c.kind))}</p>"
        f"<p><b>Products</b></p>{products}"
        f"<p><b>Organisations</b></p>{organisations}"
        f"<p><b>Stage reached:</b> {escape(_stage_heading(c))}<br>"
        f"{escape(c.stage.label)} <i>({escape(c.stage.source)})</i></p>"
        f"<p><b>Sources of this case:</b> {escape('; '.join(c.sources))}</p>"
        "</div>"
    )
    return HTMLBlock(html)


# --- figures -----------------------------------------------------------------------------


def facts_frame(slug: str) -> pd.DataFrame:
    """The case's figures as a table: ``what, qualifier, value, unit, year, source``.

    Values keep their own type (``9000`` stays a whole number, ``1.38`` a decimal)
    so that a year such as 2012 is never printed as "2,012".
    """
    import pandas as pd

    rows = [{column: getattr(f, column) for column in FACT_COLUMNS} for f in cases.case(slug).facts]
    return pd.DataFrame(rows, columns=FACT_COLUMNS, dtype=object)


def _empty_state(title: str, text: str) -> HTMLBlock:
    return HTMLBlock(
        '<div style="border: 2px dashed #999999; padding: 0.5em 1em; color: #1b1f23; '
        f'background: #fafafa"><p><b>{escape(title)}</b></p><p>{escape(text)}</p></div>'
    )


def facts_table(slug: str) -> Styler | HTMLBlock:
    """The case's figures in full, each with its source; a plain notice if there are none.

    The ``qualifier`` column keeps the source's own hedging ("over 800 farmers" is
    ``over`` and ``800``), so nobody reads an estimate as an exact count.
    """
    from consortia.display import show

    c = cases.case(slug)
    frame = facts_frame(slug)
    if frame.empty:
        return _empty_state(
            "No figures for this case",
            f"The kit's data holds no numbers for {c.name}: the passages it draws on "
            f"({'; '.join(c.sources)}) describe the case in words only. The kit does not "
            "invent figures. What the sources do say is in the summary card and in the "
            "strengths and weaknesses below.",
        )
    return show(
        frame,
        caption=f"{c.name}: figures as the sources give them ('over', 'about' and "
        "'average' are the sources' own words)",
    )


def shared_units(slug: str) -> list[str]:
    """Units that two or more of the case's figures share (calendar years left out).

    Figures in the same unit can be drawn side by side with :func:`figures_chart`.
    """
    counts: dict[str, int] = {}
    for f in cases.case(slug).facts:
        if not is_date(f):
            counts[f.unit] = counts.get(f.unit, 0) + 1
    return [unit for unit, n in counts.items() if n >= 2]


def figures_chart(slug: str, unit: str | None = None) -> Figure:
    """Bars for the case's figures that share one unit, each labelled with its source.

    ``unit`` defaults to the first of :func:`shared_units`. Percentages are drawn on a
    0-100 scale over a pale bar for the whole, so a share reads as a part of
    something. Raises :class:`ValueError` when fewer than two figures use the unit.
    """
    c = cases.case(slug)
    available = shared_units(slug)
    unit = unit if unit is not None else (available[0] if available else None)
    chosen = [f for f in c.facts if f.unit == unit]
    if unit is None or len(chosen) < 2:
        raise ValueError(
            f"{slug!r} has no two figures in the unit {unit!r}; units shared by two or "
            f"more figures: {', '.join(available) or 'none'}"
        )
    percent = unit == "%"
    height = 1.9 + 1.15 * len(chosen)
    fig = figures.new_figure(figsize=(12, height))
    ax = fig.subplots()
    rows = list(range(len(chosen)))
    top = 100 if percent else max(f.value for f in chosen) * 1.35
    if percent:
        ax.barh(rows, [100] * len(chosen), color="#eeeeee", edgecolor="#999999", height=0.6)
    ax.barh(rows, [f.value for f in chosen], color="#0072B2", edgecolor="black", height=0.6)
    for row, f in zip(rows, chosen, strict=True):
        ax.text(f.value + top * 0.01, row - 0.1, f"  {value_text(f)}", va="center",
                fontsize=_FONT + 1, fontweight="bold")
        ax.text(f.value + top * 0.01, row + 0.2, f"   {short_source(f.source)}", va="center",
                fontsize=_FONT - 3, color="#444444")
    ax.set_yticks(rows)
    ax.set_yticklabels([textwrap.fill(f.what, 34) for f in chosen], fontsize=_FONT - 1)
    ax.invert_yaxis()
    ax.set_xlim(0, top)
    ax.set_xlabel("per cent (%) of the whole" if percent else unit, fontsize=_FONT)
    ax.tick_params(axis="x", labelsize=_FONT - 1)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    hedged = any(f.qualifier for f in chosen)
    ax.set_title(f"{c.name}: figures in {unit}"
                 + ("\n(bars show the figure given; 'over' means at least that)"
                    if hedged else ""), fontsize=_FONT + 2)
    return fig


# --- dates ---------------------------------------------------------------------------------


def _event_text(f: Fact) -> str:
    if is_date(f):
        text = f.what
        if text.casefold().startswith("year "):
            text = text[5:]
            text = text[0].upper() + text[1:]
        return text
    return f"{f.what}: {value_text(f)}"


def short_source(source: str) -> str:
    """A source without its web address, short enough for a chart label.

    The full citation, address included, stays in the tables; a chart only needs
    enough to recognise it.
    """
    return re.sub(r",?\s*https?://\S+", "", source).strip()


def dated_facts(slug: str) -> pd.DataFrame:
    """The case's dated events, oldest first: ``year, event, source``.

    An event is a figure whose value is a calendar year (unit ``year``) or a figure
    the source ties to a year (for example a number of authorisations in 2008).
    """
    import pandas as pd

    events = []
    for f in cases.case(slug).facts:
        if is_date(f):
            events.append({"year": int(f.value), "event": _event_text(f), "source": f.source})
        elif f.year is not None:
            events.append({"year": f.year, "event": _event_text(f), "source": f.source})
    frame = pd.DataFrame(events, columns=["year", "event", "source"])
    return frame.sort_values("year", kind="stable").reset_index(drop=True)


def dates_chart(slug: str) -> Figure:
    """The case's dated events on a time line, with the 2014 meeting marked for reference.

    One row per event, oldest at the top, each labelled with its source; a dashed line
    shows May 2014, when the meeting heard the Caribbean proposals and visited the
    Peruvian consortia (SELA 2014 §1). Raises :class:`ValueError` for a case with
    fewer than two dated events.
    """
    c = cases.case(slug)
    events = dated_facts(slug)
    if len(events) < 2:
        raise ValueError(f"{slug!r} has {len(events)} dated event(s); a time line needs two")
    years = [*events["year"], MEETING_YEAR]
    first, last = min(years), max(years)
    span = max(last - first, 3)
    middle = first + span / 2
    height = 2.2 + 1.05 * len(events)
    fig = figures.new_figure(figsize=(13, height))
    ax = fig.subplots()
    ax.axvline(MEETING_YEAR, color="#D55E00", linestyle="--", linewidth=1.6, zorder=1)
    ax.text(MEETING_YEAR, -0.75, MEETING_LABEL, color="#D55E00", fontsize=_FONT - 2,
            ha="right" if middle < MEETING_YEAR else "left", va="center")
    for row, event in events.iterrows():
        ax.plot(event["year"], row, "o", markersize=13, color="#0072B2",
                markeredgecolor="black", zorder=3)
        right = event["year"] <= middle
        label = (f"{event['year']}: {textwrap.fill(event['event'], 44)}\n"
                 + textwrap.fill(f"({short_source(event['source'])})", 50))
        ax.annotate(label, (event["year"], row), xytext=(14 if right else -14, 0),
                    textcoords="offset points", ha="left" if right else "right",
                    va="center", fontsize=_FONT - 2, zorder=4,
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                          "edgecolor": "none", "alpha": 0.9})
    ax.set_ylim(len(events) - 0.4, -1.2)
    ax.set_yticks([])
    ax.set_xlim(first - span * 0.08, first + span * 1.08)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelsize=_FONT)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"{c.name}: dates the sources give", fontsize=_FONT + 2)
    return fig


# --- SWOT ------------------------------------------------------------------------------------


def swot_table(slug: str) -> Styler | HTMLBlock:
    """Strengths, weaknesses, opportunities and threats, one per row, each with its source.

    Headings the sources give nothing for are named in the caption, so an empty
    heading reads as "the sources say nothing here", not as "no problems".
    """
    from consortia.display import show

    c = cases.case(slug)
    frame = cases.swot_frame(slug)
    if frame.empty:
        return _empty_state(
            "No strengths, weaknesses, opportunities or threats recorded",
            f"The kit's data lists none for {c.name}; its sources are "
            f"{'; '.join(c.sources)}.",
        )
    missing = [kind for kind in SWOT_KINDS if not getattr(c, kind)]
    frame = frame.assign(kind=frame["kind"].map(SWOT_KINDS)).rename(
        columns={"kind": "heading", "text": "what the sources say"}
    )
    caption = f"{c.name}: strengths, weaknesses, opportunities and threats"
    if missing:
        caption += f" (the sources give no {_join(missing)} for this case)"
    return show(frame, caption=caption)


def _join(words: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b or c"``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


# --- the stage chart ---------------------------------------------------------------------------


def stage_chart(slug: str) -> Figure:
    """The ten phases as a road from I to X, with the stage the case had reached.

    Phases up to the stage are drawn in full colour and the ones still ahead faded;
    an arrow names the stage and its source. The 2014 work programme (phases III to
    V in about six months, SELA 2014 §8) is shaded, so a team sees how far its next
    commitment lies from where it stands. A case its sources do not place on the
    methodology gets all ten phases faded and a framed notice saying so, with the
    reason and its source: the chart never guesses a stage.
    """
    from matplotlib.patches import FancyBboxPatch, Rectangle

    c = cases.case(slug)
    stage = c.stage.phase
    fig = figures.new_figure(figsize=(14, 5.2))
    ax = fig.subplots()

    programme = work_programme()
    early = programme.early_phases.phases
    first, last = early[0], early[-1]
    ax.add_patch(Rectangle((first - 1 - 0.04, -1.12), last - first + 1.08, 2.27,
                           facecolor=figures.PROGRAMME_COLOUR, alpha=0.18, edgecolor="none",
                           zorder=0))
    ax.text((first - 1 + last) / 2, -1.05, f"2014 work programme:\n{programme.label()}",
            ha="center", va="bottom", fontsize=_FONT - 2, color="#7a5200")

    for p in methodology.phases():
        reached = stage is not None and p.number <= stage
        x = p.number - 1
        ax.add_patch(FancyBboxPatch(
            (x + 0.06, 0.05), 0.88, 0.9, boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=figures.PHASE_COLOURS[p.number], alpha=1.0 if reached else 0.25,
            edgecolor="black" if reached else "#888888", linewidth=1.8 if reached else 1,
            linestyle="-" if reached else "--", zorder=2))
        dark = reached and p.number in figures.DARK_PHASES
        ax.text(x + 0.5, 0.5, p.numeral, ha="center", va="center", fontsize=_FONT + 7,
                fontweight="bold", color="white" if dark else "#1b1f23",
                alpha=1.0 if reached or stage is None else 0.6, zorder=3)
        ax.text(x + 0.5, -0.05, textwrap.fill(p.short_title, 12), ha="center", va="top",
                fontsize=_FONT - 1, color="#1b1f23" if reached else "#555555")

    if stage is not None:
        p = methodology.phase(stage)
        ax.annotate(
            f"Stage reached: phase {p.numeral}\n({c.stage.source})",
            xy=(stage - 0.5, 1.0), xytext=(min(max(stage - 0.5, 1.2), 8.8), 1.75),
            ha="center", va="center", fontsize=_FONT + 1, fontweight="bold",
            arrowprops={"arrowstyle": "-|>", "linewidth": 2.2, "color": "#1b1f23",
                        "mutation_scale": 22},
            bbox={"boxstyle": "round,pad=0.35", "facecolor": "white", "edgecolor": "#1b1f23"},
            zorder=5)
        reading = "Full colour: phases reached; faded: phases still ahead"
    else:
        ax.add_patch(FancyBboxPatch(
            (0.9, 1.2), 8.2, 1.1, boxstyle="round,pad=0,rounding_size=0.1",
            facecolor="white", edgecolor="#D55E00", linewidth=2.5, zorder=4))
        ax.text(5, 2.05, "Not placed on the methodology", ha="center", va="center",
                fontsize=_FONT + 2, fontweight="bold", color="#D55E00", zorder=5)
        ax.text(5, 1.58, textwrap.fill(f"{c.stage.label} ({c.stage.source})", 90),
                ha="center", va="center", fontsize=_FONT - 1, zorder=5)
        reading = "All phases faded: the sources do not place this case on them"

    ax.set_xlim(-0.1, 10.1)
    ax.set_ylim(-1.15, 2.45)
    ax.axis("off")
    ax.set_title(f"{c.name}: where the case stood in 2014\n{reading}",
                 fontsize=_FONT + 3)
    return fig
