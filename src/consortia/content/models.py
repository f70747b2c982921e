"""Models of what the course teaches: the phases, the selection criteria and the cases.

``data/phases.yaml``, ``data/criteria.yaml`` and ``case_studies/data/*.yaml`` are
validated against these models when they are loaded, so a typo in a file is caught
with a message that names the field, and the rest of the kit can trust the types it
receives.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from consortia.sources import (
    KitModel,
    NonEmpty,
    PhaseNumber,
    Source,
    SourcedText,
    require_unique,
)

# --- methodology: data/phases.yaml and data/criteria.yaml ------------------------


class Phase(KitModel):
    """One of the ten phases of the UNIDO origin-consortium methodology."""

    number: PhaseNumber
    numeral: Literal["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    title: NonEmpty
    short_title: NonEmpty
    report_title: str | None = Field(
        default=None, description="The wording the SELA 2014 report uses, where it differs."
    )
    purpose: SourcedText
    activities: list[SourcedText] = Field(min_length=1)
    outputs: list[SourcedText] = Field(min_length=1)
    duration_months: Annotated[int, Field(ge=1, le=36)]
    duration_source: Source
    depends_on: list[PhaseNumber] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _numeral_matches_number(self) -> Phase:
        expected = ROMAN[self.number]
        if self.numeral != expected:
            raise ValueError(f"phase {self.number} has numeral {expected}, not {self.numeral}")
        if any(dep >= self.number for dep in self.depends_on):
            raise ValueError(f"phase {self.number} can only depend on earlier phases")
        return self


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


class Criterion(KitModel):
    """A product-selection criterion, scored from 0 (no) to 10 (fully yes)."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    question: NonEmpty
    explanation: NonEmpty
    source: Source


class Methodology(KitModel):
    """The content of ``data/phases.yaml``."""

    name: NonEmpty
    sources: list[Source] = Field(min_length=1)
    phases: list[Phase] = Field(min_length=10, max_length=10)

    @model_validator(mode="after")
    def _phases_in_order(self) -> Methodology:
        numbers = [p.number for p in self.phases]
        if numbers != list(range(1, 11)):
            raise ValueError(f"phases must be numbered 1 to 10 in order, got {numbers}")
        return self


class CriteriaFile(KitModel):
    """The content of ``data/criteria.yaml``."""

    scale: NonEmpty
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> CriteriaFile:
        require_unique([c.key for c in self.criteria], "criterion keys")
        return self


# --- case studies ------------------------------------------------------------------

Sector = Literal["agro-food", "crafts", "fisheries", "minerals", "multi-sector"]
CaseKind = Literal["caribbean-proposal", "peruvian-reference"]


class Organisation(KitModel):
    """An organisation named in a case (never a person's contact details)."""

    name: NonEmpty
    role: NonEmpty
    source: Source


class Product(KitModel):
    """A product a case proposes or works with."""

    name: NonEmpty
    sector: Sector
    territory: NonEmpty
    source: Source


class Stage(KitModel):
    """How far along the methodology a case had got, as its source reports it.

    ``phase`` is ``None`` when the source does not place the case on the methodology.
    """

    phase: PhaseNumber | None
    label: NonEmpty
    source: Source


class Fact(KitModel):
    """One figure about a case, with its value exactly as the source reports it.

    ``qualifier`` keeps the source's hedging: "over 800 farmers" is
    ``value: 800, qualifier: over``.
    """

    what: NonEmpty
    value: int | float
    unit: NonEmpty
    qualifier: Literal["over", "about", "average", "up to"] | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    source: Source


class Case(KitModel):
    """A case study: a Caribbean proposal of SELA 2014 or a Peruvian reference."""

    slug: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    name: NonEmpty
    country: NonEmpty
    kind: CaseKind
    summary: NonEmpty
    organisations: list[Organisation] = Field(min_length=1)
    products: list[Product] = Field(min_length=1)
    stage: Stage
    strengths: list[SourcedText] = Field(default_factory=list)
    weaknesses: list[SourcedText] = Field(default_factory=list)
    opportunities: list[SourcedText] = Field(default_factory=list)
    threats: list[SourcedText] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)


