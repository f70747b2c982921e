"""The action plan a country team builds: its model, validated and frozen.

A plan is what a country team builds, checks and hands in. Plans are frozen like
the rest of the kit's data: every edit makes a new, validated plan (see the
``with_*`` methods), which keeps undo simple and means a plan object is never
half-edited.

The model checks types and sane bounds only. Domain rules (a phase that does not
exist, a duration of zero, phases in the wrong order...) are left to the plan
validator in :mod:`consortia.plans.rules`, which explains each problem and how to
fix it instead of refusing to open the file.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from consortia.sources import KitModel

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


class Members(KitModel):
    """Who is in the consortium: how many members, and of which kinds (SELA 2014 §39)."""

    count: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    kinds: list[MemberKind] = Field(default_factory=list, max_length=4)


class Activity(KitModel):
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


class Indicator(KitModel):
    """Something the team measures to see progress (SELA 2014 §41)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: IndicatorKind
    unit: ShortText = ""
    baseline: Annotated[float, Field(allow_inf_nan=False)] = 0
    target: Annotated[float, Field(allow_inf_nan=False)] = 0
    phase: Annotated[int, Field(ge=-1000, le=1000)] = 10


class Milestone(KitModel):
    """A dated event the team aims at, such as a fair or a local launch (SELA 2014 §45)."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    month: Month
    kind: MilestoneKind = "other"


class ActionPlan(KitModel):
    """A country team's action plan for its consortium.

    Stored as JSON by :mod:`consortia.plans.files`; ``schema_version`` lets later versions
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
