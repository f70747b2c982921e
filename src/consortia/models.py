"""Pydantic models shared by the whole kit: phases, criteria, cases and their facts.

Every data file of the kit (``data/phases.yaml``, ``data/criteria.yaml`` and
``case_studies/data/*.yaml``) is validated against one of these models when it is
loaded, so a typo in a file is caught with a message that names the field, and the
rest of the kit can trust the types it receives. The models are frozen: loaded data
is shared (and cached), so nobody should change it in place.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

#: Marks material the kit adds beyond its sources (for example a typical duration
#: that no source gives). Use it as the ``source`` of such an item.
KIT_OWN = "kit's own"

#: Paragraphs of the SELA 2014 final report (the body runs from §1 to §53).
SELA_PARAGRAPHS = range(1, 54)

_SELA_REF = re.compile(
    r"^SELA 2014 (?:§(?P<a>\d+)(?:\s*-\s*§?(?P<b>\d+))?|Annex (?P<annex>I|II|IV))$"
)


def _check_source(text: str) -> str:
    """Accept a citation: a SELA 2014 paragraph, another public source, or the kit's own.

    A SELA reference must be written ``SELA 2014 §N`` (or ``§N-§M``, or ``Annex I``)
    and name a paragraph that exists, so that a reader can look it up. Annex III (the
    list of participants, with contact details) is deliberately not citable.
    """
    text = text.strip()
    if text.startswith("SELA"):
        match = _SELA_REF.match(text)
        if not match:
            raise ValueError(
                f"SELA citations are written 'SELA 2014 §N' (or '§N-§M', or 'SELA 2014 "
                f"Annex I'); got {text!r}"
            )
        for group in ("a", "b"):
            number = match.group(group)
            if number is not None and int(number) not in SELA_PARAGRAPHS:
                raise ValueError(
                    f"{text!r}: the SELA 2014 report has paragraphs §1 to §53 only"
                )
        return text
    if text == KIT_OWN:
        return text
    if len(text) < 8:
        raise ValueError(
            f"source {text!r} is too short to find again: name the publisher, year and "
            f"title, cite 'SELA 2014 §N', or write {KIT_OWN!r}"
        )
    return text


#: A citation, checked by :func:`_check_source`.
Source = Annotated[str, AfterValidator(_check_source)]
NonEmpty = Annotated[str, Field(min_length=1)]
PhaseNumber = Annotated[int, Field(ge=1, le=10)]


class KitModel(BaseModel):
    """Base for all data models: unknown keys are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourcedText(KitModel):
    """A sentence in the kit's own words plus where its content comes from."""

    text: NonEmpty
    source: Source


# --- methodology -----------------------------------------------------------------


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
        keys = [c.key for c in self.criteria]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"criterion keys must be unique; repeated: {duplicates}")
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
