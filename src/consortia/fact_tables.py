"""One case's facts as a table to read: each figure written as its source gives it.

:func:`consortia.cases.load_facts` keeps every value as a number in one float
column, which is right for computing but reads badly: a year shows as "2,006" and
the source's hedging ("over 800") sits in a separate column. :func:`fact_table`
returns the same facts for display, with each figure written out in words and
digits ("over 800", "9,000 on average", "2006", "1.38") next to its unit, year and
source, so that a lesson can show a case's figures in one short call::

    from consortia.fact_tables import fact_table
    from consortia.tables import show

    show(fact_table("belize"))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from consortia import cases
from consortia.models import Fact

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the table :func:`fact_table` returns, in order.
COLUMNS = ["what", "figure", "unit", "year", "source"]

#: Units whose values are calendar years: written without a thousands separator.
YEAR_UNITS = {"year"}


def figure_text(fact: Fact) -> str:
    """The fact's value as the source states it, with its qualifier.

    Years are written plainly (``2006``), whole numbers with a thousands separator
    (``9,000``), other numbers as they are (``1.38``); the qualifier is kept
    (``over 800``, ``about 266,000``, ``9,000 on average``, ``up to 40``).
    """
    value = fact.value
    if fact.unit.strip().lower() in YEAR_UNITS:
        number = str(int(value)) if float(value).is_integer() else str(value)
    elif float(value).is_integer():
        number = f"{int(value):,}"
    else:
        number = f"{value:,}"
    if fact.qualifier == "average":
        return f"{number} on average"
    if fact.qualifier:
        return f"{fact.qualifier} {number}"
    return number


def fact_table(slug: str, folder: Path | str | None = None) -> pd.DataFrame:
    """The facts of the case ``slug``, one row each, ready for :func:`consortia.tables.show`.

    Columns: ``what``, ``figure`` (text, see :func:`figure_text`), ``unit``,
    ``year`` (the year the figure refers to, as text; empty when the source gives
    none) and ``source``. A case without facts gives an empty table with these
    columns; an unknown slug raises :class:`ValueError` listing the valid ones.
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
