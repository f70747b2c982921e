"""The case studies: nine Caribbean proposals of SELA 2014 and three Peruvian references.

Each case is one YAML file in ``case_studies/data/`` (readable and editable by a
trainer without touching code). This module finds that folder, validates every file
against :class:`~consortia.content.models.Case`, and offers the cases as models or as pandas
DataFrames. A broken file stops loading with a :class:`CaseDataError` that names the
file and the field: the kit never works on half-loaded data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from consortia._paths import CASES_DIR_ENV, cases_dir
from consortia.content.models import Case
from consortia.datafiles import DataFileError, Problem, load_yaml_folder
from consortia.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CASES_DIR_ENV", "OWN_PRODUCT", "CaseDataError", "TeamCase", "all_cases", "case",
           "cases_dir", "load_cases", "load_facts", "reload", "swot_frame", "team_case"]

#: What a team writes when its product is not among the kit's cases.
OWN_PRODUCT = "none"


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


@dataclass(frozen=True)
class TeamCase:
    """The case a team has named for its own plan, read from what it typed.

    ``ready`` is True once the team has named a known case, or :data:`OWN_PRODUCT`
    for a product of its own (then ``slug`` is None). Until then ``message`` says
    what to write, so that a notebook run from top to bottom stops short of starting
    a plan from a case the team never chose. Displayed in a notebook, it shows that
    message or the case chosen.
    """

    typed: str
    ready: bool
    slug: str | None
    message: str

    def _repr_html_(self) -> str:
        colour = "#009E73" if self.ready else "#D55E00"
        return (f'<p style="border-left: 6px solid {colour}; padding: 0.4em 1em">'
                f"{escape(self.message)}</p>")

    def __str__(self) -> str:
        return self.message


def team_case(typed: str | None, folder: Path | str | None = None) -> TeamCase:
    """Read the case a team typed: a slug such as ``"belize"``, ``"none"``, or nothing yet.

    Nothing typed, or a name that is no case, gives ``ready=False`` and a message that
    says what to write (listing the valid names); it never raises, so a lesson run
    from top to bottom shows the message instead of an error.
    """
    text = (typed or "").strip().lower()
    known = [c.slug for c in all_cases(folder)]
    names = ", ".join(known)
    if not text:
        return TeamCase(typed or "", False, None,
                        "Choose your case first. In the cell above, write your case's short "
                        f'name between the quotes (one of: {names}), or "{OWN_PRODUCT}" if '
                        "your product is not among them, then run that cell and this one "
                        "again. No plan file has been made yet.")
    if text == OWN_PRODUCT:
        return TeamCase(typed, True, None,
                        "Your own product: the planner will start from an empty plan. Type "
                        "country, product and territory in its Plan tab.")
    if text not in known:
        return TeamCase(typed, False, None,
                        f"{typed.strip()!r} is not one of the kit's cases. Write one of: "
                        f'{names}, or "{OWN_PRODUCT}" for a product of your own. No plan '
                        "file has been made yet.")
    chosen = case(text, folder)
    return TeamCase(typed, True, text,
                    f"Your case: {chosen.name} ({text}). The planner will start from it "
                    "the first time it runs.")
