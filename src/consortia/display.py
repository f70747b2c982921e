"""Display helpers for notebooks: tables shown in full, and blocks of ready HTML.

Tables: no cut-off text, no index column, wrapped cells. Every lesson and case
notebook shows its tables with :func:`show`.

pandas shortens long text to 50 characters when it prints a DataFrame, which hides
exactly what a learner needs to read (a phase's purpose, a case's stage). ``show``
returns a styled view of the table that the notebook renders as HTML, without
changing any pandas option for the rest of the session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler


class HTMLBlock:
    """A block of HTML a notebook displays as such (and a test can read as text)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def show(frame: pd.DataFrame, caption: str | None = None) -> Styler:
    """A read-only, full-text view of ``frame`` for display in a notebook.

    Numbers keep their own format (whole numbers without decimals), missing values
    show as an empty cell, and long text wraps inside its cell.
    """
    styler = frame.style.hide(axis="index")
    styler = styler.format(_format_cell, na_rep="")
    styler = styler.set_properties(
        **{"text-align": "left", "white-space": "normal", "vertical-align": "top"}
    )
    styler = styler.set_table_styles(
        [{"selector": "th", "props": [("text-align", "left")]}], overwrite=False
    )
    if caption:
        styler = styler.set_caption(caption)
    return styler


def _format_cell(value: object) -> str:
    # whole numbers print without decimals; separators only from 10,000 up, so that
    # years (2013) and small counts read as written in the sources
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(value)
