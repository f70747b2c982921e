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


def require_unique(values: list[str], what: str) -> None:
    """Raise a ValueError naming the repeated values, if any (used by model validators)."""
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{what} must be unique; repeated: {repeated}")


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
        require_unique([c.key for c in self.criteria], "criterion keys")
        return self


Severity = Literal["error", "warning", "advice"]


class Rule(KitModel):
    """One rule of the plan validator, documented with its source (``data/plan_rules.yaml``)."""

    code: Annotated[str, Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")]
    severity: Severity
    title: NonEmpty
    source: Source
    explanation: NonEmpty
    suggestion: NonEmpty


class RuleBook(KitModel):
    """The content of ``data/plan_rules.yaml``."""

    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> RuleBook:
        require_unique([r.code for r in self.rules], "rule codes")
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


# --- the course: syllabus and self-checks ------------------------------------------------


class Lesson(KitModel):
    """One lesson of the course, as listed in ``course/syllabus.yaml``."""

    id: Annotated[str, Field(pattern=r"^\d{2}$")]
    file: Annotated[str, Field(pattern=r"^\d{2}_[a-z0-9_]+\.ipynb$")]
    title: NonEmpty
    questions: list[NonEmpty] = Field(min_length=1)
    objectives: list[NonEmpty] = Field(min_length=1)
    teaching_minutes: Annotated[int, Field(ge=5, le=240)]
    exercise_minutes: Annotated[int, Field(ge=0, le=240)]
    key_points: list[NonEmpty] = Field(min_length=1)
    phases: list[PhaseNumber] = Field(default_factory=list)

    @model_validator(mode="after")
    def _file_matches_id(self) -> Lesson:
        if not self.file.startswith(self.id + "_"):
            raise ValueError(f"lesson {self.id} must live in a file named {self.id}_....ipynb")
        return self

    @property
    def minutes(self) -> int:
        """Teaching plus exercise time."""
        return self.teaching_minutes + self.exercise_minutes


class Syllabus(KitModel):
    """The content of ``course/syllabus.yaml``: the lessons in the order to take them."""

    title: NonEmpty
    lessons: list[Lesson] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_in_order(self) -> Syllabus:
        ids = [lesson.id for lesson in self.lessons]
        if ids != sorted(ids) or len(ids) != len(set(ids)):
            raise ValueError(f"lessons must be listed once each, in order; got {ids}")
        return self


class Block(KitModel):
    """A block of a workshop day: fixed (a visit, presentations), a break, or lessons."""

    kind: Literal["fixed", "break", "lessons"]
    title: NonEmpty
    minutes: Annotated[int, Field(ge=5, le=600)]


class WorkshopDay(KitModel):
    """One day of a workshop format."""

    title: NonEmpty
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    blocks: list[Block] = Field(min_length=1)


class WorkshopFormat(KitModel):
    """A workshop shape; lessons fill its ``lessons`` blocks in syllabus order."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: NonEmpty
    use_exercise_minutes: bool = True
    lessons: list[Annotated[str, Field(pattern=r"^\d{2}$")]] | None = None
    days: list[WorkshopDay] = Field(min_length=1)


class WorkshopFormats(KitModel):
    """The content of ``course/workshop_formats.yaml``."""

    formats: list[WorkshopFormat] = Field(min_length=1)


class Option(KitModel):
    """One answer offered by a self-check question, with the feedback it earns."""

    text: NonEmpty
    correct: bool = False
    feedback: NonEmpty


class SelfCheck(KitModel):
    """A self-check question: the learner answers first, then sees feedback.

    ``choice`` has exactly one correct option; ``multiple`` asks for every correct
    option; ``number`` expects a figure within ``tolerance`` of ``answer``.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    kind: Literal["choice", "multiple", "number"]
    prompt: NonEmpty
    options: list[Option] = Field(default_factory=list)
    answer: float | None = None
    tolerance: Annotated[float, Field(ge=0)] = 0
    unit: str = ""
    explanation: NonEmpty
    source: Source

    @model_validator(mode="after")
    def _answerable(self) -> SelfCheck:
        correct = sum(o.correct for o in self.options)
        if self.kind == "choice" and (len(self.options) < 2 or correct != 1):
            raise ValueError("a choice question needs two or more options, exactly one correct")
        if self.kind == "multiple" and (len(self.options) < 2 or correct < 1):
            raise ValueError("a multiple question needs two or more options, one or more correct")
        if self.kind == "number" and (self.answer is None or self.options):
            raise ValueError("a number question needs an answer and no options")
        return self


class SelfCheckFile(KitModel):
    """The content of one ``course/self_checks/<lesson>.yaml`` file."""

    lesson: Annotated[str, Field(pattern=r"^\d{2}$")]
    checks: list[SelfCheck] = Field(min_length=1)


# --- action plans ---------------------------------------------------------------------
#
# A plan is what a country team builds, checks and hands in. Plans are frozen like
# the rest: every edit makes a new, validated plan (see the ``with_*`` methods),
# which keeps undo simple and means a plan object is never half-edited.
#
# The model checks types and sane bounds only. Domain rules (a phase that does not
# exist, a duration of zero, phases in the wrong order...) are left to the plan
# validator in ``consortia.rules``, which explains each problem and how to fix it
# instead of refusing to open the file.

#: Version of the plan file format written by this kit.
PLAN_SCHEMA_VERSION = 1

#: Who can join: the partners SELA 2014 §39 and §45 name.
MemberKind = Literal["producers", "public sector", "private sector", "university"]
IndicatorKind = Literal["economic", "non-economic"]
#: Milestone kinds; "fair" and "launch" face the market (SELA 2014 §45).
MilestoneKind = Literal["fair", "launch", "review", "legal", "mark", "other"]
MARKET_MILESTONES = ("fair", "launch")

#: Bounds that only stop absurd numbers (a typo of 10**9 months); the validator
#: judges whether a value in range makes sense.
Month = Annotated[int, Field(ge=-1200, le=1200)]
Text = Annotated[str, Field(max_length=2000)]
ShortText = Annotated[str, Field(max_length=200)]


class PlanModel(BaseModel):
    """Base for plan parts: unknown keys are errors, strings are stripped, frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Members(PlanModel):
    """Who is in the consortium: how many members, and of which kinds (SELA 2014 §39)."""

    count: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    kinds: list[MemberKind] = Field(default_factory=list, max_length=4)


class Activity(PlanModel):
    """One thing the team will do, in one phase, over a span of months."""

    id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    phase: Annotated[int, Field(ge=-1000, le=1000)]
    start_month: Month = 0
    duration_months: Month = 1
    owner: ShortText = ""
    budget_usd: Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)] | None = None
    indicators: list[ShortText] = Field(default_factory=list, max_length=50)
    sets_production_rules: bool = Field(
        default=False,
        description="True if this activity agrees the rules of production that a "
        "collective mark will guarantee (SELA 2014 §10).",
    )
    justification: Text | None = Field(
        default=None,
        description="Why this activity may start before the phases it depends on.",
    )

    @property
    def end_month(self) -> int:
        """The month the activity finishes (start plus duration)."""
        return self.start_month + self.duration_months


class Indicator(PlanModel):
    """Something the team measures to see progress (SELA 2014 §41)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: IndicatorKind
    unit: ShortText = ""
    baseline: Annotated[float, Field(allow_inf_nan=False)] = 0
    target: Annotated[float, Field(allow_inf_nan=False)] = 0
    phase: Annotated[int, Field(ge=-1000, le=1000)] = 10


class Milestone(PlanModel):
    """A dated event the team aims at, such as a fair or a local launch (SELA 2014 §45)."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    month: Month
    kind: MilestoneKind = "other"


class ActionPlan(PlanModel):
    """A country team's action plan for its consortium.

    Stored as JSON by :mod:`consortia.plan`; ``schema_version`` lets later versions
    of the kit read older files.
    """

    schema_version: Literal[1] = PLAN_SCHEMA_VERSION
    consortium: Annotated[str, Field(min_length=1, max_length=200)]
    country: ShortText = ""
    product: ShortText = ""
    territory: ShortText = ""
    case: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)] | None = None
    members: Members = Field(default_factory=Members)
    objectives: list[Text] = Field(default_factory=list, max_length=100)
    activities: list[Activity] = Field(default_factory=list, max_length=500)
    indicators: list[Indicator] = Field(default_factory=list, max_length=200)
    milestones: list[Milestone] = Field(default_factory=list, max_length=200)
    review_every_months: Annotated[int, Field(ge=1, le=120)] | None = None
    horizon_months: Annotated[int, Field(ge=1, le=120)] = 24

    # -- lookups -----------------------------------------------------------------------

    def activity(self, activity_id: str) -> Activity:
        """The activity with this id; :class:`KeyError` naming the valid ids if none."""
        for item in self.activities:
            if item.id == activity_id:
                return item
        valid = ", ".join(a.id for a in self.activities) or "none yet"
        raise KeyError(f"No activity {activity_id!r} in the plan (activities: {valid})")

    def next_activity_id(self) -> str:
        """A fresh id of the form ``A<n>`` that no activity uses yet."""
        used = {a.id for a in self.activities}
        n = len(self.activities) + 1
        while f"A{n}" in used:
            n += 1
        return f"A{n}"

    # -- edits: each returns a new, validated plan -------------------------------------

    def _with(self, **changes: object) -> ActionPlan:
        data = self.model_dump()
        data.update(
            {key: [v.model_dump() if isinstance(v, BaseModel) else v for v in value]
             if isinstance(value, list) else
             (value.model_dump() if isinstance(value, BaseModel) else value)
             for key, value in changes.items()}
        )
        return ActionPlan.model_validate(data)

    def updated(self, **changes: object) -> ActionPlan:
        """A copy with top-level fields changed, validated (e.g. ``updated(country="Belize")``)."""
        return self._with(**changes)

    def with_activity(self, activity: Activity) -> ActionPlan:
        """A copy with ``activity`` added, or replacing the activity with the same id."""
        items = list(self.activities)
        for index, item in enumerate(items):
            if item.id == activity.id:
                items[index] = activity
                break
        else:
            items.append(activity)
        return self._with(activities=items)

    def without_activity(self, activity_id: str) -> ActionPlan:
        """A copy without the activity ``activity_id`` (which must exist)."""
        self.activity(activity_id)
        return self._with(activities=[a for a in self.activities if a.id != activity_id])

    def with_indicator(self, indicator: Indicator, replacing: str | None = None) -> ActionPlan:
        """A copy with ``indicator`` added, or in the place of the indicator it replaces.

        It replaces the indicator named ``replacing`` (by default, the one with its own
        name). When that changes the name, activities linked to the old name follow.
        """
        old = replacing or indicator.name
        if old != indicator.name and indicator.name in {i.name for i in self.indicators}:
            raise ValueError(f"Another indicator is already called {indicator.name!r}")
        items = [i for i in self.indicators if i.name != old]
        position = next((n for n, i in enumerate(self.indicators) if i.name == old), len(items))
        items.insert(position, indicator)
        if old == indicator.name:
            return self._with(indicators=items)
        activities = [
            a.model_copy(update={"indicators": [indicator.name if n == old else n
                                                for n in a.indicators]})
            for a in self.activities
        ]
        return self._with(indicators=items, activities=activities)

    def without_indicator(self, name: str) -> ActionPlan:
        """A copy without the indicator ``name``; activities stop referring to it."""
        if name not in {i.name for i in self.indicators}:
            raise KeyError(f"No indicator {name!r} in the plan")
        activities = [
            a.model_copy(update={"indicators": [n for n in a.indicators if n != name]})
            for a in self.activities
        ]
        return self._with(
            indicators=[i for i in self.indicators if i.name != name], activities=activities
        )

    def with_milestone(self, milestone: Milestone) -> ActionPlan:
        """A copy with ``milestone`` added."""
        return self._with(milestones=[*self.milestones, milestone])

    def without_milestone(self, title: str) -> ActionPlan:
        """A copy without the milestones titled ``title``."""
        if title not in {m.title for m in self.milestones}:
            raise KeyError(f"No milestone {title!r} in the plan")
        return self._with(milestones=[m for m in self.milestones if m.title != title])
