"""The illustrative follow-up: the nine Caribbean proposals twelve months on, INVENTED for teaching.

The SELA 2014 report records what the country teams committed to, not what they did
next. To practise running a review and reading a dashboard, the kit ships an
invented follow-up in ``data/followup.yaml``: for each of the nine Caribbean cases,
a few indicators with figures for the first two review periods, the status of each
activity and the reviews held. :func:`followup_plans` builds the nine plans from it;
each carries the file's notice in ``illustrative_note``, so that the planner, the
progress report, the workbook, the dashboard and the IATI export all say that it is
invented, never what happened.

How a plan is built (the kit's own convention): the case's starter plan (phases III
to V in the first six months), the activities listed under ``add``, every activity
owned by the team's ``owner``; activities of phases VI and later move the economic
indicators, the earlier ones the non-economic indicators; a figure reported for
period 1 is accepted, one for period 2 submitted, each with its evidence unless the
period is listed in ``no_evidence``; activity statuses are those of review 2.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from consortia._paths import DATA_DIR
from consortia.datafiles import load_yaml_model
from consortia.plans.files import save_plan
from consortia.plans.model import (
    ActionPlan,
    Activity,
    ActivityState,
    ActivityUpdate,
    Evidence,
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    MilestoneKind,
    Review,
)
from consortia.sources import KitModel, NonEmpty, Source, require_unique

DATA_PATH = DATA_DIR / "followup.yaml"


class AddedActivity(KitModel):
    """An activity a team added after the starter plan."""

    title: NonEmpty
    phase: Annotated[int, Field(ge=1, le=10)]
    start: Annotated[int, Field(ge=0, le=24)]
    months: Annotated[int, Field(ge=1, le=24)]


class FollowedIndicator(KitModel):
    """An indicator and the figures reported for periods 1 and 2 (null: not reported)."""

    name: NonEmpty
    kind: IndicatorKind
    unit: str = ""
    baseline: float
    target: float
    actuals: list[float | None] = Field(min_length=1, max_length=4)
    targets: list[float | None] = Field(default_factory=list, max_length=4)


class Fair(KitModel):
    """The team's market milestone (SELA 2014 §45) and, if it happened, the day."""

    title: NonEmpty
    month: Annotated[int, Field(ge=0, le=24)]
    kind: MilestoneKind = "fair"
    reached: dt.date | None = None


class Team(KitModel):
    """One country team of the follow-up."""

    case: NonEmpty
    product: str | None = None
    owner: NonEmpty
    add: list[AddedActivity] = Field(default_factory=list)
    indicators: list[FollowedIndicator] = Field(min_length=1)
    no_evidence: list[int] = Field(default_factory=list)
    status: dict[str, ActivityState] = Field(default_factory=dict)
    reviews: list[dt.date | None] = Field(default_factory=list, max_length=4)
    fair: Fair | None = None


class FollowUp(KitModel):
    """The content of ``data/followup.yaml``."""

    notice: NonEmpty
    source: Source
    start_date: dt.date
    as_of: dt.date
    teams: list[Team] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_team_per_case(self) -> FollowUp:
        require_unique([t.case for t in self.teams], "cases of the follow-up")
        if self.as_of <= self.start_date:
            raise ValueError("as_of must come after start_date")
        return self


@cache
def followup(path: Path | str = DATA_PATH) -> FollowUp:
    """The follow-up data (read and checked once per session)."""
    return load_yaml_model(Path(path), FollowUp)


def _period_end(data: FollowUp, period: int) -> dt.date:
    from consortia.plans.progress import add_months

    return add_months(data.start_date, 6 * period)


def team_plan(team: Team, data: FollowUp) -> ActionPlan:
    """The plan of one team of the follow-up, with its notice."""
    from consortia.plans.model import Milestone
    from consortia.plans.starter import new_plan

    plan = new_plan(team.case, product=team.product)
    activities = list(plan.activities)
    for item in team.add:
        activities.append(Activity(id=f"A{len(activities) + 1}", title=item.title,
                                   phase=item.phase, start_month=item.start,
                                   duration_months=item.months))
    indicators = [Indicator(id=f"I{n}", name=i.name, kind=i.kind, unit=i.unit,
                            baseline=i.baseline, target=i.target, phase=10)
                  for n, i in enumerate(team.indicators, start=1)]
    economic = [i.name for i in indicators if i.kind == "economic"]
    other = [i.name for i in indicators if i.kind == "non-economic"]
    activities = [a.model_copy(update={
        "owner": team.owner, "budget_usd": 500.0 * a.duration_months,
        "indicators": (economic if a.phase >= 6 else other) or economic or other,
        "sets_production_rules": a.id == "A1"}) for a in activities]
    milestones = []
    if team.fair:
        milestones.append(Milestone(title=team.fair.title, month=team.fair.month,
                                    kind=team.fair.kind, reached_on=team.fair.reached))
    reports = []
    for indicator, followed in zip(indicators, team.indicators, strict=True):
        for period, actual in enumerate(followed.actuals, start=1):
            if actual is None:
                continue
            end = _period_end(data, period)
            evidence = [] if period in team.no_evidence else [Evidence(
                where=f"{team.case}/period-{period}/{indicator.id}.pdf",
                title=f"Record of {indicator.name.lower()} (invented)")]
            own = followed.targets[period - 1] if period <= len(followed.targets) else None
            reports.append(IndicatorPeriod(
                indicator=indicator.id, period=period, target=own, actual=actual,
                evidence=evidence,
                reported_by=f"{team.owner} (invented)",
                reported_on=end + dt.timedelta(days=3),
                status="accepted" if period == 1 else "submitted"))
    updates = [ActivityUpdate(activity=key, period=2, status=value)
               for key, value in team.status.items()]
    reviews = [Review(period=n, held_on=day, decisions="Invented for teaching.",
                      sent_on=day + dt.timedelta(days=7))
               for n, day in enumerate(team.reviews, start=1) if day is not None]
    return ActionPlan.model_validate({
        **plan.model_dump(exclude={"activities", "indicators", "milestones"}),
        "objectives": [f"Show {plan.product.lower()} at a fair and win local buyers "
                       "(the 2014 commitment)."],
        "members": {"count": 10, "kinds": ["producers", "public sector"]},
        "activities": [a.model_dump() for a in activities],
        "indicators": [i.model_dump() for i in indicators],
        "milestones": [m.model_dump() for m in milestones],
        "start_date": data.start_date,
        "indicator_periods": [r.model_dump() for r in reports],
        "activity_updates": [u.model_dump() for u in updates],
        "reviews": [r.model_dump() for r in reviews],
        "illustrative_note": data.notice,
    })


def followup_plans() -> dict[str, ActionPlan]:
    """The nine plans of the follow-up, by case slug (each marked as invented)."""
    data = followup()
    return {team.case: team_plan(team, data) for team in data.teams}


def as_of() -> dt.date:
    """The day every view of the follow-up judges it on."""
    return followup().as_of


def write_followup(folder: Path | str) -> list[Path]:
    """Save the nine plans as ``<case>.json`` in ``folder`` (for the planner or ``monitor``)."""
    folder = Path(folder)
    return [save_plan(plan, folder / f"{slug}.json") for slug, plan in followup_plans().items()]


#: The team whose plan graded exercise 05 hands out, and the changes the exercise makes.
EXERCISE_TEAM = "jamaica"


def exercise_plan(on: dt.date | None = None) -> ActionPlan:
    """The plan graded exercise 05 hands out: a follow-up plan waiting for its second review.

    The Jamaican team's practice plan, moved in time so that its second review period
    ended at most a month before ``on`` (default today): its start date is the first
    day of the month a year before. Period 1 is recorded (its review, its figures, the
    early activities done), but one figure lacks its evidence and the gift shops
    figure is lower than in the follow-up; period 2 is left for the participant.
    """
    from consortia.plans.progress import add_months

    on = on or dt.date.today()
    data = followup()
    team = next(t for t in data.teams if t.case == EXERCISE_TEAM)
    plan = team_plan(team, data)
    reports = []
    for report in plan.indicator_periods:
        if report.period != 1:
            continue
        if report.indicator == "I2":
            report = report.model_copy(update={"actual": 1.0})
        if report.indicator == "I3":
            report = report.model_copy(update={"evidence": []})
        reports.append(report)
    updates = [u.model_copy(update={"period": 1}) for u in plan.activity_updates
               if u.activity in ("A1", "A2", "A3")]
    start = add_months(dt.date(on.year, on.month, 1), -12)
    shift = start - data.start_date
    return plan.updated(
        start_date=start,
        indicator_periods=[r.model_copy(update={"reported_on": r.reported_on + shift})
                           for r in reports],
        activity_updates=updates,
        reviews=[r.model_copy(update={"held_on": r.held_on + shift,
                                      "sent_on": r.sent_on + shift})
                 for r in plan.reviews if r.period == 1],
        milestones=[m.model_copy(update={"reached_on": None}) for m in plan.milestones],
    )
