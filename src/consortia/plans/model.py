"""The action plan a country team builds: its model, validated and frozen.

A plan is what a country team builds, checks and hands in. Plans are frozen like
the rest of the kit's data: every edit makes a new, validated plan (see the
``with_*`` methods), which keeps undo simple and means a plan object is never
half-edited.

The model checks types and sane bounds only. Domain rules (a phase that does not
exist, a duration of zero, phases in the wrong order...) are left to the plan
validator in :mod:`consortia.plans.rules`, which explains each problem and how to
fix it instead of refusing to open the file.

Schema version 2 adds what happens after the plan is handed in, modelled on the
results part of the IATI activity standard 2.03 (``result/indicator/period`` with a
``target``, an ``actual``, ``dimension`` for breakdowns and ``document-link`` for
evidence) plus what IATI leaves out and monitoring tools such as Akvo RSR and DHIS2
keep: who reported a figure, when, and whether it was accepted. A plan gains a
``start_date`` (month 0 on the calendar), its ``reviews``, one
:class:`IndicatorPeriod` per indicator and review period, and one
:class:`ActivityUpdate` per activity and review. Indicators gain a stable ``id``
(``I1``, ``I2``...) so that reports and workbook rows survive a renamed indicator.
Files of version 1 are migrated when they are read (:mod:`consortia.plans.files`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from consortia.sources import KitModel

#: Version of the plan file format written by this kit.
PLAN_SCHEMA_VERSION = 2

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
Id = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
Period = Annotated[int, Field(ge=1, le=120)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]

#: How a figure reported for a period stands (Akvo RSR and DHIS2 keep the same steps).
ReportStatus = Literal["draft", "submitted", "accepted", "sent back"]
REPORT_STATUSES: tuple[str, ...] = ("draft", "submitted", "accepted", "sent back")
#: Where an activity stands at a review.
ActivityState = Literal["not started", "under way", "done", "late", "dropped"]
ACTIVITY_STATES: tuple[str, ...] = ("not started", "under way", "done", "late", "dropped")
#: A team's own reading of a qualitative indicator (a text cannot be measured).
Assessment = Literal["on track", "at risk", "off track"]
#: ``number``: measured in its unit; ``text``: qualitative, reported in words.
Measure = Literal["number", "text"]


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
    """Something the team measures to see progress (SELA 2014 §41).

    ``id`` is given by the plan when left out (``I1``, ``I2``...) and never changes,
    so a report or a workbook row still finds its indicator after a rename.
    ``measure`` is ``text`` for a qualitative indicator, reported in words.
    ``kind`` is ``None`` until somebody chooses one: the kit never picks it. Such a plan
    still opens, and the validator names the indicator (rule ``indicator-kind-missing``)
    rather than the kit guessing economic or non-economic for the team.
    """

    id: Id | None = None
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: IndicatorKind | None = None
    unit: ShortText = ""
    baseline: Annotated[float, Field(allow_inf_nan=False)] = 0
    target: Annotated[float, Field(allow_inf_nan=False)] = 0
    phase: Annotated[int, Field(ge=-1000, le=1000)] = 10
    measure: Measure = "number"


class Milestone(KitModel):
    """A dated event the team aims at, such as a fair or a local launch (SELA 2014 §45)."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    month: Month
    kind: MilestoneKind = "other"
    reached_on: dt.date | None = Field(
        default=None, description="The day the milestone was reached (the fair was held).")


class Breakdown(KitModel):
    """One part of an actual value, such as the women among the members trained.

    IATI calls the pair a ``dimension`` (``name="sex" value="female"``).
    """

    dimension: Annotated[str, Field(min_length=1, max_length=60)]
    category: Annotated[str, Field(min_length=1, max_length=60)]
    value: Number


class Evidence(KitModel):
    """What shows that a figure is true: a link or a file name (IATI ``document-link``)."""

    where: Annotated[str, Field(min_length=1, max_length=500)]
    title: ShortText = ""


#: Between a title and its link when evidence is typed as text (``Minutes | minutes.pdf``).
EVIDENCE_SEPARATOR = " | "


def evidence_text(items: list[Evidence]) -> str:
    """Evidence as a person types it, one per line (the planner's box, the workbook's cell)."""
    return "\n".join(f"{e.title}{EVIDENCE_SEPARATOR}{e.where}" if e.title else e.where
                     for e in items)


def parse_evidence(text: str) -> list[Evidence]:
    """Evidence typed one per line: a link or file name, optionally ``title | where``."""
    found = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        title, bar, where = line.rpartition(EVIDENCE_SEPARATOR)
        found.append(Evidence(where=where.strip(), title=title.strip()) if bar
                     else Evidence(where=line))
    return found


class IndicatorPeriod(KitModel):
    """One indicator in one review period: target, actual, evidence, and who reported it.

    ``target`` is the value aimed at by the end of the period; left empty, the plan's
    straight path from baseline to target counts (see :mod:`consortia.plans.progress`).
    A number indicator reports ``actual``; a text indicator reports ``actual_text`` and
    the team's own ``assessment``. A report ``sent back`` carries the ``reason``.
    """

    indicator: Id
    period: Period
    target: Number | None = None
    actual: Number | None = None
    actual_text: Text | None = None
    assessment: Assessment | None = None
    breakdown: list[Breakdown] = Field(default_factory=list, max_length=20)
    comment: Text = ""
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)
    reported_by: ShortText = ""
    reported_on: dt.date | None = None
    status: ReportStatus = "draft"
    reason: Text | None = None

    @model_validator(mode="after")
    def _reason_when_sent_back(self) -> IndicatorPeriod:
        if self.status == "sent back" and not (self.reason or "").strip():
            raise ValueError("a report that is sent back needs the reason, so that the team "
                             "knows what to fix")
        return self

    @property
    def has_actual(self) -> bool:
        """True if a figure (or, for a text indicator, words) was reported."""
        return self.actual is not None or bool((self.actual_text or "").strip())

    @property
    def key(self) -> tuple[str, int]:
        return (self.indicator, self.period)


class ActivityUpdate(KitModel):
    """Where one activity stands at one review, with a note."""

    activity: Id
    period: Period
    status: ActivityState
    note: Text = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.activity, self.period)


class Review(KitModel):
    """A review meeting held for one period (SELA 2014 §21), and when its report went out."""

    period: Period
    held_on: dt.date
    decisions: Text = ""
    sent_on: dt.date | None = Field(
        default=None, description="The day the progress report was sent to the partners "
        "who follow the plan (SELA 2014 §46).")


class ActionPlan(KitModel):
    """A country team's action plan for its consortium.

    Stored as JSON by :mod:`consortia.plans.files`; ``schema_version`` lets later versions
    of the kit read older files.
    """

    schema_version: Literal[2] = PLAN_SCHEMA_VERSION
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
    start_date: dt.date | None = Field(
        default=None, description="The day month 0 begins; review periods are dated from it.")
    reviews: list[Review] = Field(default_factory=list, max_length=200)
    indicator_periods: list[IndicatorPeriod] = Field(default_factory=list, max_length=10_000)
    activity_updates: list[ActivityUpdate] = Field(default_factory=list, max_length=10_000)
    illustrative_note: Text | None = Field(
        default=None, description="Set on plans invented for teaching: every view shows it.")

    @model_validator(mode="before")
    @classmethod
    def _indicator_ids(cls, data: object) -> object:
        """Give every indicator without an id the next free ``I<n>``."""
        if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
            return data
        items = data["indicators"]

        def id_of(item):
            return item.get("id") if isinstance(item, dict) else getattr(item, "id", None)

        if all(id_of(item) for item in items):
            return data
        used = {id_of(item) for item in items}
        n, filled = 0, []
        for item in items:
            if not id_of(item) and isinstance(item, dict | Indicator):
                n += 1
                while f"I{n}" in used:
                    n += 1
                used.add(f"I{n}")
                item = ({**item, "id": f"I{n}"} if isinstance(item, dict)
                        else item.model_copy(update={"id": f"I{n}"}))
            filled.append(item)
        return {**data, "indicators": filled}

    # -- lookups -----------------------------------------------------------------------

    def activity(self, activity_id: str) -> Activity:
        """The activity with this id; :class:`KeyError` naming the valid ids if none."""
        for item in self.activities:
            if item.id == activity_id:
                return item
        valid = ", ".join(a.id for a in self.activities) or "none yet"
        raise KeyError(f"No activity {activity_id!r} in the plan (activities: {valid})")

    def indicator(self, key: str) -> Indicator:
        """The indicator with this id or name; :class:`KeyError` naming them if none."""
        for item in self.indicators:
            if key in (item.id, item.name):
                return item
        valid = ", ".join(f"{i.id} ({i.name})" for i in self.indicators) or "none yet"
        raise KeyError(f"No indicator {key!r} in the plan (indicators: {valid})")

    def indicator_period(self, indicator_id: str, period: int) -> IndicatorPeriod | None:
        """What was reported for an indicator (by id) in a period, or ``None``."""
        for item in self.indicator_periods:
            if item.indicator == indicator_id and item.period == period:
                return item
        return None

    def activity_update(self, activity_id: str, period: int) -> ActivityUpdate | None:
        """Where an activity stood at a period's review, or ``None`` if nobody said."""
        for item in self.activity_updates:
            if item.activity == activity_id and item.period == period:
                return item
        return None

    def review(self, period: int) -> Review | None:
        """The review held for ``period``, or ``None``."""
        return next((r for r in self.reviews if r.period == period), None)

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
        return self._with(
            activities=[a for a in self.activities if a.id != activity_id],
            activity_updates=[u for u in self.activity_updates if u.activity != activity_id],
        )

    def with_indicator(self, indicator: Indicator, replacing: str | None = None) -> ActionPlan:
        """A copy with ``indicator`` added, or in the place of the indicator it replaces.

        It replaces the indicator named ``replacing`` (by default, the one with its own
        name). When that changes the name, activities linked to the old name follow.
        """
        old = replacing or indicator.name
        if old != indicator.name and indicator.name in {i.name for i in self.indicators}:
            raise ValueError(f"Another indicator is already called {indicator.name!r}")
        previous = next((i for i in self.indicators if i.name == old), None)
        if previous is not None and indicator.id is None:
            indicator = indicator.model_copy(update={"id": previous.id})
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
        gone = self.indicator(name).id
        activities = [
            a.model_copy(update={"indicators": [n for n in a.indicators if n != name]})
            for a in self.activities
        ]
        return self._with(
            indicators=[i for i in self.indicators if i.name != name], activities=activities,
            indicator_periods=[p for p in self.indicator_periods if p.indicator != gone],
        )

    def with_milestone(self, milestone: Milestone) -> ActionPlan:
        """A copy with ``milestone`` added."""
        return self._with(milestones=[*self.milestones, milestone])

    def without_milestone(self, title: str) -> ActionPlan:
        """A copy without the milestones titled ``title``."""
        if title not in {m.title for m in self.milestones}:
            raise KeyError(f"No milestone {title!r} in the plan")
        return self._with(milestones=[m for m in self.milestones if m.title != title])

    # -- progress: reviews, figures per period, activity updates ---------------------------

    def with_review(self, review: Review) -> ActionPlan:
        """A copy with ``review`` recorded (replacing an earlier record of its period)."""
        kept = [r for r in self.reviews if r.period != review.period]
        return self._with(reviews=sorted([*kept, review], key=lambda r: r.period))

    def without_review(self, period: int) -> ActionPlan:
        """A copy without the review of ``period`` (which must exist)."""
        if self.review(period) is None:
            raise KeyError(f"No review is recorded for period {period}")
        return self._with(reviews=[r for r in self.reviews if r.period != period])

    def with_indicator_period(self, report: IndicatorPeriod) -> ActionPlan:
        """A copy with ``report`` for its indicator and period (replacing an earlier one).

        The indicator must exist (by id); a number indicator takes no text and a text
        indicator no number, so that a figure is never stored where nobody reads it.
        """
        indicator = next((i for i in self.indicators if i.id == report.indicator), None)
        if indicator is None:
            self.indicator(report.indicator)  # raises KeyError naming the indicators
        if indicator.measure == "number" and (report.actual_text or "").strip():
            raise ValueError(f"Indicator {indicator.name!r} is measured in numbers: give the "
                             "actual as a number and put words in the comment")
        if indicator.measure == "text" and report.actual is not None:
            raise ValueError(f"Indicator {indicator.name!r} is reported in words: write the "
                             "actual as text, not as a number")
        kept = [p for p in self.indicator_periods if p.key != report.key]
        order = {i.id: n for n, i in enumerate(self.indicators)}
        items = sorted([*kept, report], key=lambda p: (p.period, order.get(p.indicator, 1e9)))
        return self._with(indicator_periods=items)

    def without_indicator_period(self, indicator_id: str, period: int) -> ActionPlan:
        """A copy without what was reported for that indicator (by id) and period."""
        if self.indicator_period(indicator_id, period) is None:
            raise KeyError(f"Nothing is reported for indicator {indicator_id} in period {period}")
        return self._with(indicator_periods=[p for p in self.indicator_periods
                                             if p.key != (indicator_id, period)])

    def with_activity_update(self, update: ActivityUpdate) -> ActionPlan:
        """A copy with ``update`` (replacing an earlier one for that activity and period)."""
        self.activity(update.activity)  # raises KeyError naming the activities
        kept = [u for u in self.activity_updates if u.key != update.key]
        order = {a.id: n for n, a in enumerate(self.activities)}
        items = sorted([*kept, update], key=lambda u: (u.period, order.get(u.activity, 1e9)))
        return self._with(activity_updates=items)
