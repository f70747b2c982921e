"""Themes across the cases: which constraints did the Caribbean proposals share?

The 2014 meeting asked future training to cover a set of cross-cutting levers:
financing and collective guarantees, innovation, product design and packaging,
information and exchange networks (SELA 2014 §36, §48), energy efficiency (§49)
and partnerships with public, private and university partners (§39). This module
reads the weaknesses and threats of every case study and counts, for each theme,
how many cases mention it, so a lesson can show which constraints were shared and
quote each text with its source.

The themes and their keywords are data, in ``data/themes.yaml`` (validated on load
against :class:`ThemeBook`). A text mentions a theme when one of its words starts
with one of the theme's keywords, ignoring capitals ("packag" finds "packaging"
but "train" does not find "constraint"). Counting words is crude on purpose: it is
easy to explain and to check by hand, and :func:`mentions` always shows the texts
behind a count. pandas and matplotlib are imported only where needed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from consortia._paths import DATA_DIR
from consortia.content.models import CaseKind
from consortia.datafiles import load_yaml_model
from consortia.errors import InputError
from consortia.sources import KitModel, NonEmpty, Source, require_unique, source_order

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: The theme file shipped with the kit.
DATA_PATH = DATA_DIR / "themes.yaml"

#: The parts of a case read by default: what holds it back.
CONSTRAINTS = ("weaknesses", "threats")
#: Every part of a case that holds sourced texts.
PARTS = ("strengths", "weaknesses", "opportunities", "threats")

#: Bar colours: levers the meeting named, and other themes shown for comparison.
LEVER_COLOUR = "#0072B2"
OTHER_COLOUR = "#BBBBBB"

Keyword = Annotated[str, Field(min_length=3, max_length=40, pattern=r"^[a-z][a-z -]*[a-z]$")]


class Theme(KitModel):
    """A theme to look for in the case texts, with the keywords that find it."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    label: NonEmpty
    lever: bool = Field(description="True for a cross-cutting lever the 2014 meeting named.")
    keywords: list[Keyword] = Field(min_length=1)
    description: NonEmpty
    source: Source

    @model_validator(mode="after")
    def _unique_keywords(self) -> Theme:
        require_unique(self.keywords, f"keywords of theme {self.key!r}")
        return self

    def matches(self, text: str) -> bool:
        """True if a word of ``text`` starts with one of the theme's keywords."""
        return _pattern(tuple(self.keywords)).search(text) is not None


class ThemeBook(KitModel):
    """The content of ``data/themes.yaml``."""

    themes: list[Theme] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> ThemeBook:
        require_unique([t.key for t in self.themes], "theme keys")
        return self


@cache
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(k) for k in keywords)
    return re.compile(rf"(?<![\w-])(?:{alternatives})", re.IGNORECASE)


@cache
def _book(path: Path) -> ThemeBook:
    return load_yaml_model(path, ThemeBook)


def themes(path: Path | None = None) -> list[Theme]:
    """Every theme, in the file's order (a broken file raises DataFileError)."""
    return list(_book(path or DATA_PATH).themes)


def theme(key: str, path: Path | None = None) -> Theme:
    """One theme by key, e.g. ``theme("packaging")``; unknown keys list the valid ones."""
    everything = themes(path)
    for item in everything:
        if item.key == key:
            return item
    valid = ", ".join(t.key for t in everything)
    raise InputError(f"Unknown theme {key!r}. Valid themes: {valid}.")


def _cases(case_kind: CaseKind | None):
    from consortia.content import cases

    return [c for c in cases.all_cases() if case_kind is None or c.kind == case_kind]


def _check_parts(parts: tuple[str, ...]) -> None:
    wrong = [p for p in parts if p not in PARTS]
    if wrong or not parts:
        raise InputError(f"parts must be among {', '.join(PARTS)}; got {list(parts)}")


def mentions(
    key: str | None = None,
    parts: tuple[str, ...] = CONSTRAINTS,
    case_kind: CaseKind | None = "caribbean-proposal",
) -> pd.DataFrame:
    """Every case text that mentions a theme, with its source: one row per (theme, text).

    ``key`` limits the table to one theme. ``parts`` says which parts of a case to
    read (by default its weaknesses and threats); ``case_kind`` which cases (by
    default the nine Caribbean proposals; ``None`` for all twelve). Columns:
    ``theme``, ``label``, ``country``, ``slug``, ``part``, ``text``, ``source``.
    """
    import pandas as pd

    _check_parts(tuple(parts))
    chosen = [theme(key)] if key else themes()
    rows = [
        {"theme": t.key, "label": t.label, "country": c.country, "slug": c.slug,
         "part": part, "text": item.text, "source": item.source}
        for t in chosen
        for c in _cases(case_kind)
        for part in parts
        for item in getattr(c, part)
        if t.matches(item.text)
    ]
    columns = ["theme", "label", "country", "slug", "part", "text", "source"]
    return pd.DataFrame(rows, columns=columns)


def theme_counts(
    parts: tuple[str, ...] = CONSTRAINTS,
    case_kind: CaseKind | None = "caribbean-proposal",
) -> pd.DataFrame:
    """For each theme, how many cases mention it (see :func:`mentions`), most shared first.

    Columns: ``theme``, ``label``, ``lever``, ``cases`` (how many cases mention the
    theme at least once), ``of`` (how many cases were read), ``countries`` and
    ``sources`` (the paragraphs behind the count, joined with "; ").
    """
    import pandas as pd

    _check_parts(tuple(parts))
    read = _cases(case_kind)
    found = mentions(parts=parts, case_kind=case_kind)
    rows = []
    for t in themes():
        hits = found[found["theme"] == t.key]
        sources = sorted(set(hits["source"]), key=source_order)
        rows.append({
            "theme": t.key,
            "label": t.label,
            "lever": t.lever,
            "cases": hits["slug"].nunique(),
            "of": len(read),
            "countries": "; ".join(dict.fromkeys(hits["country"])),
            "sources": "; ".join(sources),
        })
    frame = pd.DataFrame(rows, columns=["theme", "label", "lever", "cases", "of",
                                        "countries", "sources"])
    return frame.sort_values("cases", ascending=False, kind="stable").reset_index(drop=True)


def theme_chart(counts: pd.DataFrame, title: str | None = None) -> Figure:
    """A bar chart of :func:`theme_counts`: one bar per theme, levers in colour.

    Each bar is labelled "n of N" (cases mentioning the theme, out of the cases
    read). The chart is drawn with :func:`consortia.figures.new_figure`.
    """
    from matplotlib.patches import Patch

    from consortia.figures import FONT_SIZE, new_figure

    rows = len(counts)
    fig = new_figure(figsize=(12, 1.8 + 0.55 * max(rows, 1)))
    ax = fig.subplots()
    colours = [LEVER_COLOUR if lever else OTHER_COLOUR for lever in counts["lever"]]
    ax.barh(range(rows), counts["cases"], color=colours, edgecolor="black", height=0.65)
    total = int(counts["of"].max()) if rows else 0
    for row, (n, of) in enumerate(zip(counts["cases"], counts["of"], strict=True)):
        ax.text(n + total * 0.01, row, f" {n} of {of}", va="center", fontsize=FONT_SIZE - 2)
    ax.set_yticks(range(rows))
    ax.set_yticklabels(counts["label"], fontsize=FONT_SIZE - 1)
    ax.invert_yaxis()
    ax.set_xlim(0, max(total, 1) * 1.18)
    ax.set_xlabel("Cases whose texts mention the theme (keyword count, kit's own)",
                  fontsize=FONT_SIZE)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 2)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(handles=[Patch(facecolor=LEVER_COLOUR, edgecolor="black",
                             label="lever named by the meeting (SELA 2014 §36, §39, §48-§49)"),
                       Patch(facecolor=OTHER_COLOUR, edgecolor="black",
                             label="other theme, for comparison")],
              loc="lower right", fontsize=FONT_SIZE - 3)
    ax.set_title(title or "Which constraints did the Caribbean proposals share?",
                 fontsize=FONT_SIZE + 1)
    return fig
