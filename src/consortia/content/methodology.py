"""The ten phases of the UNIDO origin-consortium methodology and the product criteria.

The content lives in ``data/phases.yaml`` and ``data/criteria.yaml`` inside this
package; this module loads and validates it once and offers it in the shapes the
lessons, widgets and checks need: a list of :class:`~consortia.content.models.Phase`, one
phase looked up by number, numeral or title, or a pandas DataFrame.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from consortia._paths import DATA_DIR
from consortia.content.models import CriteriaFile, Criterion, Methodology, Phase
from consortia.datafiles import load_yaml_model
from consortia.errors import InputError
from consortia.sources import KIT_OWN

if TYPE_CHECKING:
    import pandas as pd


@cache
def methodology(path: Path | None = None) -> Methodology:
    """Load and validate the methodology file (cached: it is read once per session)."""
    return load_yaml_model(path or DATA_DIR / "phases.yaml", Methodology)


def phases() -> list[Phase]:
    """Return the ten phases in order, phase I first."""
    return list(methodology().phases)


def _valid_values() -> str:
    return (
        "a number from 1 to 10, a roman numeral from I to X, or a title: "
        + "; ".join(f"{p.numeral} {p.title}" for p in phases())
    )


def phase(key: int | str) -> Phase:
    """Return one phase, given as ``3``, ``"3"``, ``"III"`` or a title (any case).

    Both the methodology's title and the wording of the SELA 2014 report are
    accepted, as is the short title used on charts. An unknown phase raises
    :class:`~consortia.errors.InputError` (a ``ValueError``) listing the
    valid values.
    """
    all_phases = phases()
    if isinstance(key, bool):
        raise InputError(f"Unknown phase {key!r}. Give {_valid_values()}.")
    if isinstance(key, int):
        if 1 <= key <= len(all_phases):
            return all_phases[key - 1]
        raise InputError(f"Unknown phase {key!r}. Give {_valid_values()}.")
    if isinstance(key, str):
        text = key.strip()
        if text.isdigit():
            return phase(int(text))
        wanted = " ".join(text.casefold().split())
        for p in all_phases:
            names = {p.numeral.casefold(), p.title.casefold(), p.short_title.casefold()}
            if p.report_title:
                names.add(p.report_title.casefold())
            if wanted in names:
                return p
    raise InputError(f"Unknown phase {key!r}. Give {_valid_values()}.")


def numeral(number: int) -> str:
    """The roman numeral of a phase number (``3`` -> ``"III"``)."""
    return phase(number).numeral


def is_phase(number: object) -> bool:
    """True if ``number`` is the number of one of the phases (plans may hold others)."""
    return isinstance(number, int) and not isinstance(number, bool) and any(
        p.number == number for p in methodology().phases)


def phase_label(number: int, short: bool = True) -> str:
    """``"III Initial group"`` (or the full title with ``short=False``) for charts and
    pages; a number that is no phase is labelled as such rather than refused, so that
    a mistaken plan can still be shown."""
    if not is_phase(number):
        return f"{number} (not a phase)"
    p = phase(number)
    return f"{p.numeral} {p.short_title if short else p.title}"


def phase_starts() -> dict[int, int]:
    """Typical start month of each phase when the phases run one after another.

    The data gives a typical duration per phase; laying them end to end gives the
    simple schedule drawn in the lessons. Real consortia overlap phases.
    """
    starts, month = {}, 0
    for p in phases():
        starts[p.number] = month
        month += p.duration_months
    return starts


def phases_frame() -> pd.DataFrame:
    """The phases as a table: one row per phase, in order.

    Columns: ``number``, ``numeral``, ``title``, ``short_title``, ``purpose``,
    ``purpose_source``, ``activities`` (count), ``duration_months``, ``start_month``,
    ``depends_on``, ``sources`` (joined with "; ").
    """
    import pandas as pd

    starts = phase_starts()
    rows = [
        {
            "number": p.number,
            "numeral": p.numeral,
            "title": p.title,
            "short_title": p.short_title,
            "purpose": p.purpose.text,
            "purpose_source": p.purpose.source,
            "activities": len(p.activities),
            "duration_months": p.duration_months,
            "start_month": starts[p.number],
            "depends_on": ", ".join(phase(d).numeral for d in p.depends_on),
            "sources": "; ".join(p.sources),
        }
        for p in phases()
    ]
    return pd.DataFrame(rows)


def activities_frame() -> pd.DataFrame:
    """Every activity of every phase, with its source and whether the kit added it."""
    import pandas as pd

    rows = [
        {
            "phase": p.number,
            "numeral": p.numeral,
            "activity": a.text,
            "source": a.source,
            "kit_own": a.source == KIT_OWN,
        }
        for p in phases()
        for a in p.activities
    ]
    return pd.DataFrame(rows)


@cache
def _criteria_file(path: Path | None = None) -> CriteriaFile:
    return load_yaml_model(path or DATA_DIR / "criteria.yaml", CriteriaFile)


def criteria() -> list[Criterion]:
    """The product-selection criteria, each scored 0 (no) to 10 (fully yes)."""
    return list(_criteria_file().criteria)


def criteria_frame() -> pd.DataFrame:
    """The criteria as a table with columns ``key``, ``question``, ``explanation``, ``source``."""
    import pandas as pd

    return pd.DataFrame([c.model_dump() for c in criteria()])
