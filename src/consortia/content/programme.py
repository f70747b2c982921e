"""The 2014 work programme as data: phases III to V first, and a review every six months.

The country teams of the 2014 meeting agreed to carry out phases III to V within
about six months (SELA 2014 §8) and to review progress every six months (§21).
These two facts shape the plan rules, the charts, the starter plan and the planner;
they live in ``data/work_programme.yaml`` and are read from there by every part of
the kit through :func:`work_programme`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from consortia._paths import DATA_DIR
from consortia.datafiles import DataFileError, Problem, load_yaml_model
from consortia.sources import KitModel, PhaseNumber, Source, require_unique

#: The work programme shipped with the kit.
DATA_PATH = DATA_DIR / "work_programme.yaml"


class EarlyPhases(KitModel):
    """The phases a consortium carries out first, and the months they should fit in."""

    phases: list[PhaseNumber] = Field(min_length=1)
    months: Annotated[int, Field(ge=1, le=36)]
    source: Source

    @model_validator(mode="after")
    def _distinct_and_ordered(self) -> EarlyPhases:
        require_unique([str(n) for n in self.phases], "early phases")
        if self.phases != sorted(self.phases):
            raise ValueError(f"list the early phases in order, e.g. [3, 4, 5]; got {self.phases}")
        return self


class ReviewCadence(KitModel):
    """How often a plan is reviewed at the least (also a new plan's cadence)."""

    every_months: Annotated[int, Field(ge=1, le=24)]
    source: Source


class WorkProgramme(KitModel):
    """The content of ``data/work_programme.yaml``."""

    early_phases: EarlyPhases
    review: ReviewCadence

    @property
    def early_months(self) -> int:
        """The months phases III to V (the early phases) should fit in."""
        return self.early_phases.months

    @property
    def review_months(self) -> int:
        """The longest time between two reviews."""
        return self.review.every_months

    def label(self) -> str:
        """``phases III-V in about 6 months (SELA 2014 §8)``: the programme on a chart."""
        values = self.placeholders()
        span = str(values["early_phases"]).replace(" to ", "-")
        return (f"phases {span} in about {self.early_phases.months} months "
                f"({self.early_phases.source})")

    def placeholders(self) -> dict[str, object]:
        """Values that texts (rule titles, help) name as ``{early_months}`` and the like."""
        from consortia.content.methodology import phase

        numerals = [phase(n).numeral for n in self.early_phases.phases]
        span = numerals[0] if len(numerals) == 1 else f"{numerals[0]} to {numerals[-1]}"
        return {
            "early_months": self.early_phases.months,
            "early_months_words": months_in_words(self.early_phases.months),
            "early_phases": span,
            "review_months": self.review.every_months,
            "review_months_words": months_in_words(self.review.every_months),
        }


_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
          8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def months_in_words(months: int) -> str:
    """``6`` -> ``"six months"``, ``1`` -> ``"one month"``, ``18`` -> ``"18 months"``."""
    number = _WORDS.get(months, str(months))
    return f"{number} month" if months == 1 else f"{number} months"


def load_programme(path: Path | str) -> WorkProgramme:
    """Load a work-programme file and check it against the phases' typical durations.

    The starter plan lays the early phases end to end with their typical durations
    (``phases.yaml``); they must fit in the programme's months, or the kit's own
    starter plan would break the programme's rule.
    """
    from consortia.content.methodology import phase

    path = Path(path)
    programme = load_yaml_model(path, WorkProgramme)
    early = programme.early_phases
    total = sum(phase(n).duration_months for n in early.phases)
    if total > early.months:
        raise DataFileError([Problem(
            path, "early_phases.months",
            f"is {early.months}, but the typical durations of these phases in phases.yaml "
            f"add up to {total} months; raise months or shorten the phases")])
    return programme


@cache
def work_programme() -> WorkProgramme:
    """The kit's work programme (read and checked once per session)."""
    return load_programme(DATA_PATH)
