"""Case facts in words: the one place that writes a figure the way its source gives it.

:func:`consortia.content.cases.load_facts` keeps every value as a number, which is
right for computing but reads badly: a year shows as "2,006" and the source's
hedging ("over 800") sits in a separate column. Every view of the kit that shows a
figure (the case tables, the case charts, the comparison of the proposals, the
``consortia case`` command) writes it with :func:`figure_text` or
:func:`value_text`, so "2012" is never printed as "2,012 year"::

    from consortia.content.facts import fact_table
    from consortia.display import show

    show(fact_table("belize"))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from consortia.content import cases

if TYPE_CHECKING:
    import pandas as pd

    from consortia.content.models import Fact

#: Columns of the table :func:`fact_table` returns, in order.
COLUMNS = ["what", "figure", "unit", "year", "source"]

#: Units whose values are calendar years: such a fact is a date, not a quantity, and
#: its value is written without a thousands separator.
YEAR_UNITS = {"year"}


def is_date(fact: Fact) -> bool:
    """True if the fact's value is itself a calendar year (a date, not a quantity)."""
    return fact.unit.strip().lower() in YEAR_UNITS


def number_text(fact: Fact) -> str:
    """The bare number: years plainly (``2006``), whole numbers with a thousands
    separator (``9,000``), other numbers as they are (``1.38``)."""
    value = fact.value
    if is_date(fact):
        return str(int(value)) if float(value).is_integer() else str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def figure_text(fact: Fact) -> str:
    """The fact's value as the source states it, with its qualifier.

    ``over 800``, ``about 266,000``, ``9,000 on average``, ``up to 40``, ``2006``.
    """
    number = number_text(fact)
    if fact.qualifier == "average":
        return f"{number} on average"
    if fact.qualifier:
        return f"{fact.qualifier} {number}"
    return number


def value_text(fact: Fact) -> str:
    """The figure with its unit, as a sentence would say it: ``over 800 farmers``,
    ``35%``, ``1.38 US$ million``; a year alone, never ``2012 year``."""
    figure = figure_text(fact)
    if is_date(fact):
        return figure
    if fact.unit == "%":
        return f"{figure}%"
    return f"{figure} {fact.unit}"


def fact_table(slug: str, folder: Path | str | None = None) -> pd.DataFrame:
    """The facts of the case ``slug``, one row each, ready for :func:`consortia.display.show`.

    Columns: ``what``, ``figure`` (text, see :func:`figure_text`), ``unit``,
    ``year`` (the year the figure refers to, as text; empty when the source gives
    none) and ``source``. A case without facts gives an empty table with these
    columns; an unknown slug raises :class:`~consortia.errors.InputError` listing the
    valid ones.
    """
    import pandas as pd

    item = cases.case(slug, folder)
    rows = [
        {
            "what": f.what,
            "figure": figure_text(f),
            "unit": f.unit,
            "year": "" if f.year is None else str(f.year),
            "source": f.source,
        }
        for f in item.facts
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
