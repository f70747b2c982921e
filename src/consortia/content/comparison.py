"""The nine Caribbean proposals of SELA 2014 side by side: stages, sectors, constraints.

The case notebooks present one proposal at a time. ``case_studies/compare_caribbean``
puts the nine together, and needs tables and charts that no single case gives:

* :func:`proposals_frame` - one row per proposal: products and territories, sectors,
  the stage reached and its source;
* :func:`sector_stage_frame` - which sectors sit at which stage;
* :func:`stage_chart` - the nine proposals on the road of the ten phases;
* :func:`lacks_frame` and :func:`figures_frame` - what each proposal lacked, and
  every figure it gave, each with its source;
* :func:`constraint_mentions`, :func:`voice_counts`, :func:`constraint_matrix` and
  :func:`constraint_chart` - which constraints (themes of :mod:`consortia.content.themes`)
  each proposal raised, telling apart a point a delegation made about its own
  proposal from one remark that the kit repeats in several cases;
* :func:`comparison_frame` - the whole comparison in one table;
* :func:`pairings` - pairs of proposals that share a constraint, for a joint action;
* :func:`readiness_by_stage` - the kit's readiness scores next to the stages.

**Own or shared.** A theme's mention in a case is *own* when the paragraph behind it
backs that theme for this case alone, and *shared* when the same paragraph backs the
same theme in several cases: one remark, counted once per case. In the shipped data
two remarks are shared: the note that high energy costs burden business across the
Caribbean (SELA 2014 §29), and the report's finding that four proposals still lacked
an origin-consortium scheme and progress indicators (§41). The rule is the kit's own,
chosen because it can be checked by hand; it looks only at paragraph numbers, so a
delegation's remark about itself *and* the region (the Bahamas in §29) counts as
shared too.

Everything here reads the validated data of :mod:`consortia.content.cases`,
:mod:`consortia.content.themes` and :mod:`consortia.content.readiness`; nothing is added that the
data does not hold. pandas and matplotlib are imported only by the functions that
need them.
"""

from __future__ import annotations

import textwrap
from itertools import combinations
from typing import TYPE_CHECKING

from consortia import figures
from consortia.content import cases, methodology, themes
from consortia.content.facts import figure_text, is_date
from consortia.content.programme import work_programme
from consortia.errors import InputError
from consortia.sources import paragraph, source_order

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from consortia.content.models import Case

#: The kind of case compared here: the proposals presented at the 2014 meeting.
CARIBBEAN = "caribbean-proposal"

#: The two kinds of mention (see the module's docstring).
OWN = "own"
SHARED = "shared"

#: Cell colours of the constraint chart: Okabe-Ito vermilion (a problem, as the "gap"
#: colour of the readiness charts), a pale tint of it, and white.
OWN_COLOUR = "#D55E00"
SHARED_COLOUR = "#F7D9C4"
NONE_COLOUR = "#FFFFFF"

_FONT = figures.FONT_SIZE


# --- the proposals ------------------------------------------------------------------------


def caribbean_cases() -> list[Case]:
    """The Caribbean proposals, ordered by the stage reached (unplaced last), then country."""
    found = [c for c in cases.all_cases() if c.kind == CARIBBEAN]
    return sorted(found, key=lambda c: (c.stage.phase or 99, c.country))


def stage_text(phase: int | None) -> str:
    """A stage as a short label: ``2`` -> ``"II Promotion"``; ``None`` -> ``"not placed"``."""
    return "not placed" if phase is None else methodology.phase_label(phase)


def proposals_frame() -> pd.DataFrame:
    """One row per proposal, ordered by stage: what was proposed, where, and how far it got.

    Columns: ``country``, ``name``, ``products`` (each product with its territory in
    brackets, joined with "; "), ``sectors``, ``stage`` (numeral and short title of
    the phase reached, see :func:`stage_text`) and ``stage_source``.
    """
    import pandas as pd

    rows = [
        {
            "country": c.country,
            "name": c.name,
            "products": "; ".join(f"{p.name} ({p.territory})" for p in c.products),
            "sectors": ", ".join(sorted({p.sector for p in c.products})),
            "stage": stage_text(c.stage.phase),
            "stage_source": c.stage.source,
        }
        for c in caribbean_cases()
    ]
    columns = ["country", "name", "products", "sectors", "stage", "stage_source"]
    return pd.DataFrame(rows, columns=columns)


def sector_stage_frame() -> pd.DataFrame:
    """Which sectors sit at which stage: one row per sector, one column per stage.

    A cell lists the countries with a product of that sector at that stage ("; "
    between them; empty when none). The column ``proposals`` counts the proposals
    with a product in the sector; a proposal with products in several sectors (the
    Bahamas, Barbados) appears in each. Sectors with most proposals come first.
    Stage columns are named like ``"I Product analysis (SELA 2014 §40)"``.
    """
    import pandas as pd

    chosen = caribbean_cases()
    stage_sources: dict[int | None, set[str]] = {}
    for c in chosen:
        stage_sources.setdefault(c.stage.phase, set()).add(c.stage.source)
    columns = {
        phase: f"{stage_text(phase)} ({'; '.join(sorted(sources))})"
        for phase, sources in stage_sources.items()
    }
    sectors = sorted({p.sector for c in chosen for p in c.products})
    rows = []
    for sector in sectors:
        holding = [c for c in chosen if any(p.sector == sector for p in c.products)]
        row: dict[str, object] = {"sector": sector}
        for phase, column in columns.items():
            row[column] = "; ".join(c.country for c in holding if c.stage.phase == phase)
        row["proposals"] = len(holding)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["sector", *columns.values(), "proposals"])
    return frame.sort_values(["proposals", "sector"], ascending=[False, True],
                             ignore_index=True)


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width, break_long_words=False)


def _group_bounds(ordered: list[Case]) -> list[tuple[int, int, int | None, str]]:
    """Runs of consecutive cases at the same stage: (first row, last row, phase, source)."""
    runs: list[tuple[int, int, int | None, str]] = []
    for row, c in enumerate(ordered):
        if runs and runs[-1][2] == c.stage.phase:
            first, _, phase, source = runs[-1]
            runs[-1] = (first, row, phase, source)
        else:
            runs.append((row, row, c.stage.phase, c.stage.source))
    return runs


def stage_chart() -> Figure:
    """The nine proposals on the road of the ten phases: one row per proposal.

    Each row shows phases I to X as boxes: full colour up to the stage the case had
    reached (colours as in every chart of the kit,
    :data:`consortia.figures.PHASE_COLOURS`), pale and dashed beyond it. A line
    separates the groups of proposals at the same stage; each group is labelled at
    the right with its phase and source. The band of phases III to V is the work
    programme the teams agreed in 2014 (about six months, SELA 2014 §8). A proposal its
    sources do not place gets ten pale boxes: the chart never guesses a stage.
    """
    from matplotlib.patches import FancyBboxPatch, Rectangle

    ordered = caribbean_cases()
    rows = len(ordered)
    height = 3.2 + 0.62 * max(rows, 1)
    fig = figures.new_figure(figsize=(14, height))
    ax = fig.subplots()

    programme = work_programme()
    first, last = programme.early_phases.phases[0], programme.early_phases.phases[-1]
    ax.add_patch(Rectangle((first - 1, -1.55), last - first + 1, rows + 1.5,
                           facecolor=figures.PROGRAMME_COLOUR, alpha=0.16, edgecolor="none",
                           zorder=0))
    ax.text((first - 1 + last) / 2, rows + 0.1, f"2014 work programme: {programme.label()}",
            ha="center", va="top", fontsize=_FONT - 2, color="#7a5200")

    for p in methodology.phases():
        x = p.number - 1
        ax.text(x + 0.5, -0.75, f"{p.numeral}\n{_wrap(p.short_title, 12)}", ha="center",
                va="center", fontsize=_FONT - 3, fontweight="bold")

    for row, c in enumerate(ordered):
        stage = c.stage.phase
        for p in methodology.phases():
            reached = stage is not None and p.number <= stage
            # phases ahead are pale and dashed, not faded phase colours: a faded
            # black (phase X) would look like a reached grey (phases I and II)
            ax.add_patch(FancyBboxPatch(
                (p.number - 1 + 0.08, row - 0.36), 0.84, 0.72,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=figures.PHASE_COLOURS[p.number] if reached else "white",
                alpha=1.0 if reached else 0.55,
                edgecolor="black" if reached else "#999999",
                linewidth=1.6 if reached else 0.9, linestyle="-" if reached else "--",
                zorder=2))
            if reached and p.number == stage:
                ax.text(p.number - 0.5, row, p.numeral, ha="center", va="center",
                        fontsize=_FONT, fontweight="bold", zorder=3,
                        color="white" if p.number in figures.DARK_PHASES else "#1b1f23")

    for start, end, phase, source in _group_bounds(ordered):
        if start:
            ax.axhline(start - 0.5, color="#1b1f23", linewidth=1.2, zorder=4)
        label = f"phase {methodology.numeral(phase)}" if phase else "not placed"
        ax.text(10.15, (start + end) / 2, f"{label}\n{source}", ha="left",
                va="center", fontsize=_FONT - 1, fontweight="bold")

    ax.set_yticks(range(rows))
    ax.set_yticklabels([_wrap(c.country, 24) for c in ordered], fontsize=_FONT - 1)
    ax.tick_params(axis="y", length=0)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlim(0, 11.9)
    ax.set_ylim(rows + 0.15, -1.45)
    ax.set_title("Where the nine Caribbean proposals stood in May 2014\n"
                 "Full colour: phases reached (the kit's reading of SELA 2014 §40-§41); "
                 "pale, dashed: phases still ahead", fontsize=_FONT + 1)
    return fig


# --- what each proposal lacked, and its figures ---------------------------------------------


def lacks_frame() -> pd.DataFrame:
    """Every weakness of every proposal, in the case's own order, grouped by proposal.

    Columns: ``country``, ``stage`` (see :func:`stage_text`), ``weakness``, ``source``.
    A proposal without weaknesses in its data gets one row saying so, so that no
    country silently drops out of the comparison.
    """
    import pandas as pd

    rows = []
    for c in caribbean_cases():
        stage = stage_text(c.stage.phase)
        if not c.weaknesses:
            rows.append({"country": c.country, "stage": stage,
                         "weakness": "(the sources name no weakness)", "source": ""})
        rows += [{"country": c.country, "stage": stage, "weakness": w.text,
                  "source": w.source} for w in c.weaknesses]
    return pd.DataFrame(rows, columns=["country", "stage", "weakness", "source"])


def figures_frame() -> pd.DataFrame:
    """Every figure the proposals gave, grouped by proposal, written as its source gives it.

    Columns: ``country``, ``what``, ``figure`` (value with its qualifier, e.g. "over
    3,000"; see :func:`consortia.content.facts.figure_text`), ``unit``, ``kind``
    ("quantity", or "date" when the value is a calendar year) and ``source``.
    """
    import pandas as pd

    rows = [
        {
            "country": c.country,
            "what": f.what,
            "figure": figure_text(f),
            "unit": f.unit,
            "kind": "date" if is_date(f) else "quantity",
            "source": f.source,
        }
        for c in caribbean_cases()
        for f in c.facts
    ]
    return pd.DataFrame(rows, columns=["country", "what", "figure", "unit", "kind", "source"])


# --- shared constraints ---------------------------------------------------------------------


def _theme_keys(keys: list[str] | tuple[str, ...] | None) -> list[str]:
    """The themes to show: the given keys (checked, in that order) or all, most shared first."""
    if keys is None:
        return list(themes.theme_counts(case_kind=CARIBBEAN)["theme"])
    if not keys:
        raise InputError("Give at least one theme key, or None for all themes.")
    return [themes.theme(k).key for k in keys]  # raises for an unknown key


def constraint_mentions(keys: list[str] | tuple[str, ...] | None = None,
                        parts: tuple[str, ...] = themes.CONSTRAINTS) -> pd.DataFrame:
    """Every text of the proposals that mentions a theme, with its source and its voice.

    As :func:`consortia.content.themes.mentions` for the Caribbean proposals (by default their
    weaknesses and threats), plus a column ``voice``: ``"own"`` when the paragraph
    backs this theme for this case alone, ``"shared"`` when the same paragraph backs
    the same theme in several cases (see the module's docstring). ``keys`` limits the
    themes. Columns: ``theme``, ``label``, ``country``, ``slug``, ``part``, ``text``,
    ``source``, ``voice``.
    """
    found = themes.mentions(parts=parts, case_kind=CARIBBEAN)
    found = found[found["theme"].isin(_theme_keys(keys))].reset_index(drop=True)
    spread = found.groupby(["theme", "source"])["slug"].transform("nunique")
    found["voice"] = [SHARED if n > 1 else OWN for n in spread]
    return found


def _cell_voice(hits: pd.DataFrame) -> str | None:
    if hits.empty:
        return None
    return OWN if (hits["voice"] == OWN).any() else SHARED


def voice_counts(keys: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """For each theme: how many proposals raise it in their own voice, and how many
    only through a shared remark.

    Columns: ``theme``, ``label``, ``cases`` (proposals mentioning the theme at all, as
    in :func:`consortia.content.themes.theme_counts`), ``own`` (proposals with at least one
    own mention), ``shared_only`` (proposals whose only mentions are shared),
    ``own_sources`` and ``shared_sources`` (the paragraphs, as "§N"). Themes come in
    the order of ``keys``, or most shared first.
    """
    import pandas as pd

    found = constraint_mentions(keys)
    rows = []
    for key in _theme_keys(keys):
        hits = found[found["theme"] == key]
        by_case = [_cell_voice(group) for _, group in hits.groupby("slug")]

        def sources(voice: str, hits: pd.DataFrame = hits) -> str:
            chosen = hits[hits["voice"] == voice]["source"]
            ordered = sorted(set(chosen), key=source_order)
            return ", ".join(paragraph(s) for s in ordered)

        rows.append({
            "theme": key,
            "label": themes.theme(key).label,
            "cases": len(by_case),
            "own": by_case.count(OWN),
            "shared_only": by_case.count(SHARED),
            "own_sources": sources(OWN),
            "shared_sources": sources(SHARED),
        })
    columns = ["theme", "label", "cases", "own", "shared_only", "own_sources",
               "shared_sources"]
    return pd.DataFrame(rows, columns=columns)


def _cell_text(hits: pd.DataFrame) -> str:
    ordered = sorted(set(hits["source"]), key=source_order)
    return " ".join(paragraph(s) for s in ordered)


def constraint_matrix(keys: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """Proposals by themes: which paragraph shows each proposal facing each constraint.

    One row per proposal (ordered by stage, as in :func:`stage_chart`), a ``country``
    and a ``stage`` column, then one column per theme key. A cell holds the
    paragraphs behind the mention (e.g. ``"§12"``), followed by ``" (shared)"`` when
    every one of them is a shared remark; it is empty when the proposal does not
    mention the theme.
    """
    import pandas as pd

    keys_ = _theme_keys(keys)
    found = constraint_mentions(keys_)
    rows = []
    for c in caribbean_cases():
        row: dict[str, str] = {"country": c.country, "stage": stage_text(c.stage.phase)}
        for key in keys_:
            hits = found[(found["slug"] == c.slug) & (found["theme"] == key)]
            voice = _cell_voice(hits)
            text = _cell_text(hits) if voice else ""
            row[key] = f"{text} (shared)" if voice == SHARED else text
        rows.append(row)
    return pd.DataFrame(rows, columns=["country", "stage", *keys_])


def constraint_chart(keys: list[str] | tuple[str, ...] | None = None,
                     title: str | None = None) -> Figure:
    """A grid of proposals (rows) by constraints (columns), each cell naming its paragraph.

    Dark (vermilion) cells are constraints a proposal raised in its own voice; pale, hatched
    cells are shared remarks only (one paragraph counted in several cases); white
    cells mean no mention. The bottom row adds up each column as "own + shared".
    Rows follow :func:`stage_chart`, with a line between stage groups.
    """
    from matplotlib.patches import Patch, Rectangle

    keys_ = _theme_keys(keys)
    found = constraint_mentions(keys_)
    ordered = caribbean_cases()
    n_rows, n_cols = len(ordered), len(keys_)
    width = 4.2 + 1.25 * n_cols
    height = 3.4 + 0.55 * (n_rows + 1)
    fig = figures.new_figure(figsize=(max(width, 10), height))
    ax = fig.subplots()

    totals = {key: {OWN: 0, SHARED: 0} for key in keys_}
    for row, c in enumerate(ordered):
        for col, key in enumerate(keys_):
            hits = found[(found["slug"] == c.slug) & (found["theme"] == key)]
            voice = _cell_voice(hits)
            colour = {OWN: OWN_COLOUR, SHARED: SHARED_COLOUR}.get(voice, NONE_COLOUR)
            ax.add_patch(Rectangle((col + 0.04, row - 0.44), 0.92, 0.88, facecolor=colour,
                                   edgecolor="#444444" if voice else "#cccccc",
                                   hatch="//" if voice == SHARED else None, linewidth=0.8))
            if voice:
                totals[key][voice] += 1
                ax.text(col + 0.5, row, _wrap(_cell_text(hits), 8), ha="center",
                        va="center", fontsize=_FONT - 3, fontweight="bold",
                        color="white" if voice == OWN else "#1b1f23",
                        bbox=None if voice == OWN else
                        {"boxstyle": "round,pad=0.15", "facecolor": "white",
                         "edgecolor": "none", "alpha": 0.85})
    for col, key in enumerate(keys_):
        ax.text(col + 0.5, n_rows + 0.1, f"{totals[key][OWN]} + {totals[key][SHARED]}",
                ha="center", va="center", fontsize=_FONT - 1, fontweight="bold")
        ax.text(col + 0.5, -0.65, _wrap(themes.theme(key).label, 13), ha="center",
                va="bottom", fontsize=_FONT - 3)
    ax.axhline(n_rows - 0.45, color="#1b1f23", linewidth=1.2)
    for start, _, _, _ in _group_bounds(ordered)[1:]:
        ax.axhline(start - 0.5, color="#1b1f23", linewidth=1.2, linestyle="--")

    labels = [f"{_wrap(c.country, 24)} ({methodology.numeral(c.stage.phase)})"
              if c.stage.phase else _wrap(c.country, 24) for c in ordered]
    ax.set_yticks([*range(n_rows), n_rows + 0.1])
    ax.set_yticklabels([*labels, "Proposals: own + shared"], fontsize=_FONT - 2)
    ax.tick_params(axis="y", length=0)
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows + 0.5, -2.1)
    fig.legend(handles=[
        Patch(facecolor=OWN_COLOUR, edgecolor="#444444",
              label="raised for this proposal alone (own)"),
        Patch(facecolor=SHARED_COLOUR, edgecolor="#444444", hatch="//",
              label="only a remark shared with other proposals"),
        Patch(facecolor=NONE_COLOUR, edgecolor="#cccccc", label="not mentioned"),
    ], loc="outside lower center", ncols=3, fontsize=_FONT - 2, frameon=False)
    ax.set_title(title or "Constraints in the weaknesses and threats of each proposal\n"
                 "Each cell names the paragraph of the SELA 2014 report behind it "
                 "(keyword count, the kit's own)", fontsize=_FONT)
    return fig


# --- the comparison in one table, pairs, readiness --------------------------------------------


def _constraint_list(found: pd.DataFrame, slug: str, voice: str) -> str:
    hits = found[(found["slug"] == slug) & (found["voice"] == voice)]
    return "; ".join(f"{key} {_cell_text(hits[hits['theme'] == key])}"
                     for key in dict.fromkeys(hits["theme"]))


def comparison_frame(keys: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """The nine proposals compared in one table, ordered by stage.

    Columns: ``country``, ``products`` (names only; territories are in
    :func:`proposals_frame`), ``stage``, ``stage_source``, ``own_constraints`` (themes
    the proposal raised in its own voice, each with its paragraphs, e.g.
    ``"packaging §12; markets §12"``), ``shared_constraints`` (themes it mentions only
    through a shared remark), ``quantities`` and ``dates`` (how many figures of each
    kind its data holds, see :func:`figures_frame`).
    """
    import pandas as pd

    found = constraint_mentions(keys)
    figures = figures_frame()
    rows = []
    for c in caribbean_cases():
        own = figures[figures["country"] == c.country]
        rows.append({
            "country": c.country,
            "products": "; ".join(p.name for p in c.products),
            "stage": stage_text(c.stage.phase),
            "stage_source": c.stage.source,
            "own_constraints": _constraint_list(found, c.slug, OWN),
            "shared_constraints": _constraint_list(found, c.slug, SHARED),
            "quantities": int((own["kind"] == "quantity").sum()),
            "dates": int((own["kind"] == "date").sum()),
        })
    columns = ["country", "products", "stage", "stage_source", "own_constraints",
               "shared_constraints", "quantities", "dates"]
    return pd.DataFrame(rows, columns=columns)


def _evidence(hits: pd.DataFrame) -> str:
    return " / ".join(f"{text} ({source})" for text, source in
                      zip(hits["text"], hits["source"], strict=True))


def pairings(key: str, voice: str = OWN) -> pd.DataFrame:
    """Every pair of proposals that face the constraint ``key``, with each one's evidence.

    ``voice="own"`` (the default) keeps the proposals that raised the theme in their
    own voice, which gives pairs with two separate pieces of evidence; ``"any"``
    keeps every mention. Columns: ``pair`` ("Belize + Dominican Republic"),
    ``stages`` (e.g. "I + II"), ``first_evidence`` and ``second_evidence`` (the texts
    with their sources). Pairs that join two stages come first, since each side has
    something different to bring; then alphabetical order.
    """
    import pandas as pd

    if voice not in (OWN, "any"):
        raise InputError(f"voice must be 'own' or 'any'; got {voice!r}")
    found = constraint_mentions([key])
    if voice == OWN:
        found = found[found["voice"] == OWN]
    by_slug = {c.slug: c for c in caribbean_cases()}
    slugs = [s for s in by_slug if s in set(found["slug"])]
    rows = []
    for first, second in combinations(slugs, 2):
        a, b = by_slug[first], by_slug[second]
        if b.country < a.country:
            a, b = b, a
        rows.append({
            "pair": f"{a.country} + {b.country}",
            "stages": " + ".join(methodology.numeral(c.stage.phase) if c.stage.phase
                                 else "-" for c in (a, b)),
            "first_evidence": _evidence(found[found["slug"] == a.slug]),
            "second_evidence": _evidence(found[found["slug"] == b.slug]),
            "_mixed": a.stage.phase != b.stage.phase,
        })
    frame = pd.DataFrame(rows, columns=["pair", "stages", "first_evidence",
                                        "second_evidence", "_mixed"])
    frame = frame.sort_values(["_mixed", "pair"], ascending=[False, True], ignore_index=True)
    return frame.drop(columns="_mixed")


def readiness_by_stage() -> pd.DataFrame:
    """The kit's readiness scores of the proposals next to the stage each had reached.

    Columns: ``country``, ``stage``, ``stage_source``, ``total`` (of
    :func:`consortia.content.readiness.max_total`), ``share`` (0-1), ``band`` and
    ``no_evidence`` (scores the report gives no evidence for). Ordered by stage, then
    best total first. Proposals without worked scores are left out. The scores are
    the kit's own teaching judgements, not the report's (see
    :mod:`consortia.content.readiness`).
    """
    import pandas as pd

    from consortia.content import readiness

    scored = readiness.readiness_frame().set_index("slug")
    rows = [
        {
            "country": c.country,
            "stage": stage_text(c.stage.phase),
            "stage_source": c.stage.source,
            "order": c.stage.phase or 99,
            "total": int(scored.loc[c.slug, "total"]),
            "share": float(scored.loc[c.slug, "share"]),
            "band": scored.loc[c.slug, "band"],
            "no_evidence": int(scored.loc[c.slug, "no_evidence"]),
        }
        for c in caribbean_cases()
        if c.slug in scored.index
    ]
    frame = pd.DataFrame(rows, columns=["country", "stage", "stage_source", "order", "total",
                                        "share", "band", "no_evidence"])
    frame = frame.sort_values(["order", "total", "country"], ascending=[True, False, True],
                              ignore_index=True)
    return frame.drop(columns="order")
