"""The case studies: nine Caribbean proposals of SELA 2014 and three Peruvian references.

Each case is one YAML file in ``case_studies/data/`` (readable and editable by a
trainer without touching code). This module finds that folder, validates every file
against :class:`~consortia.content.models.Case`, and offers the cases as models or as pandas
DataFrames. A broken file stops loading with a :class:`CaseDataError` that names the
file and the field: the kit never works on half-loaded data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from consortia._paths import CASES_DIR_ENV, cases_dir
from consortia.content.models import Case
from consortia.datafiles import DataFileError, Problem, load_yaml_folder
from consortia.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CASES_DIR_ENV", "CaseDataError", "all_cases", "case", "cases_dir", "load_cases",
           "load_facts", "reload", "swot_frame"]


class CaseDataError(DataFileError):
    """A case file is broken. The message names every file and field at fault."""


def _load_all(folder: Path) -> tuple[Case, ...]:
    if not folder.is_dir():
        raise CaseDataError([Problem(folder, None, "folder of case files does not exist")])
    loaded, problems = load_yaml_folder(folder, Case, named_by="slug")
    if not loaded and not problems:
        raise CaseDataError([Problem(folder, None, "holds no case files (*.yaml)")])
    if problems:
        raise CaseDataError(problems)
    return tuple(case_ for _, case_ in loaded)


@cache
def _cached(folder: Path) -> tuple[Case, ...]:
    return _load_all(folder)


def all_cases(folder: Path | str | None = None) -> list[Case]:
    """Every case, validated, ordered by slug. Raises :class:`CaseDataError` if any is broken."""
    return list(_cached(Path(folder) if folder else cases_dir()))


def case(slug: str, folder: Path | str | None = None) -> Case:
    """One case by its slug, e.g. ``case("belize")``; unknown slugs list the valid ones."""
    everything = all_cases(folder)
    for item in everything:
        if item.slug == slug:
            return item
    valid = ", ".join(c.slug for c in everything)
    raise InputError(f"Unknown case {slug!r}. Valid cases: {valid}.")


def load_cases(folder: Path | str | None = None) -> pd.DataFrame:
    """One row per case.

    Columns: ``slug``, ``name``, ``country``, ``kind``, ``stage`` (phase number, or
    missing when the source does not place the case), ``stage_label``,
    ``stage_source``, ``sectors``, ``products``, ``n_facts``, ``sources``.
    """
    import pandas as pd

    rows = [
        {
            "slug": c.slug,
            "name": c.name,
            "country": c.country,
            "kind": c.kind,
            "stage": c.stage.phase,
            "stage_label": c.stage.label,
            "stage_source": c.stage.source,
            "sectors": ", ".join(sorted({p.sector for p in c.products})),
            "products": "; ".join(p.name for p in c.products),
            "n_facts": len(c.facts),
            "sources": "; ".join(c.sources),
        }
        for c in all_cases(folder)
    ]
    frame = pd.DataFrame(rows)
    frame["stage"] = frame["stage"].astype("Int64")
    return frame


def load_facts(folder: Path | str | None = None) -> pd.DataFrame:
    """One row per fact: ``slug``, ``country``, ``what``, ``value``, ``qualifier``,
    ``unit``, ``year``, ``source``."""
    import pandas as pd

    rows = [
        {
            "slug": c.slug,
            "country": c.country,
            "what": f.what,
            "value": f.value,
            "qualifier": f.qualifier,
            "unit": f.unit,
            "year": f.year,
            "source": f.source,
        }
        for c in all_cases(folder)
        for f in c.facts
    ]
    columns = ["slug", "country", "what", "value", "qualifier", "unit", "year", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def swot_frame(slug: str, folder: Path | str | None = None) -> pd.DataFrame:
    """A case's strengths, weaknesses, opportunities and threats as one long table."""
    import pandas as pd

    c = case(slug, folder)
    rows = [
        {"kind": kind, "text": item.text, "source": item.source}
        for kind in ("strengths", "weaknesses", "opportunities", "threats")
        for item in getattr(c, kind)
    ]
    return pd.DataFrame(rows, columns=["kind", "text", "source"])


def reload() -> None:
    """Forget the cached cases, so edits to the YAML files are seen in this session."""
    _cached.cache_clear()
