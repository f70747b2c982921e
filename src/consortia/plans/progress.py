"""A plan after it is handed in: review periods, indicator states, late activities, reviews due.

The 2014 teams were to review their plans every six months (SELA 2014 §21), send
progress information to SELA and UNIDO (§46), show the product at a fair with local
market acceptance (§45) and meet in 2015 to evaluate progress (§53). The plan holds
what the team reported (:class:`~consortia.plans.model.IndicatorPeriod`,
:class:`~consortia.plans.model.ActivityUpdate`, :class:`~consortia.plans.model.Review`);
this module works out what those reports mean on a given day. It is the one home of
these meanings: the plan rules, the planner's Progress tab, the progress report, the
workbook and the programme dashboard all ask it.

**Review periods.** Period *k* runs from month ``(k - 1) * c`` to ``k * c`` of the plan
(``c`` is the plan's review cadence, or the work programme's when the plan sets none),
the last one ending at the plan's horizon. With a ``start_date`` every period has
calendar dates; a period *has ended* on the day its end date is reached.

**The state of an indicator** (the kit's own rule; thresholds in ``data/progress.yaml``):

1. The period judged is the latest one that has ended, or a later one the team has
   already reported.
2. *no data*: that period has no actual, or its report was sent back.
3. A number indicator: the change expected by the end of the period is the period's
   target minus the baseline (the period's own target, or else the straight path
   from the baseline at month 0 to the indicator's target at the plan's horizon).
   The share covered is ``(actual - baseline) / expected change``. At least
   ``on_track`` (0.9): *on track*; at least ``at_risk`` (0.6): *at risk*; below:
   *off track*. When no change is expected, reaching the target is on track.
4. A text (qualitative) indicator takes the team's own assessment.

**A late activity**: the team said it is late, or its planned end (from the start
date) has passed and no review says it is done or dropped.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from consortia._paths import DATA_DIR
from consortia.datafiles import load_yaml_model
from consortia.plans.model import MARKET_MILESTONES, ActionPlan, Activity, Indicator
from consortia.sources import KitModel, Source

if TYPE_CHECKING:
    import pandas as pd

#: The thresholds shipped with the kit.
DATA_PATH = DATA_DIR / "progress.yaml"

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on track", "at risk", "off track", "no data"
#: The states, best first.
STATES = (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
#: Colours of the states on pages and charts (Okabe-Ito, colour-blind safe) and a
#: mark that tells them apart without colour.
STATE_STYLE = {
    ON_TRACK: ("#009E73", "●"),
    AT_RISK: ("#E69F00", "▲"),
    OFF_TRACK: ("#D55E00", "✖"),
    NO_DATA: ("#999999", "○"),
}
#: Activity states that close an activity.
CLOSED = ("done", "dropped")


class StateThresholds(KitModel):
    """Shares of the expected change that make an indicator on track or at risk."""

    on_track: Annotated[float, Field(gt=0, le=1)]
    at_risk: Annotated[float, Field(ge=0, lt=1)]
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> StateThresholds:
        if self.at_risk >= self.on_track:
            raise ValueError("at_risk must be below on_track (e.g. 0.6 and 0.9)")
        return self


class ReviewTiming(KitModel):
    """How many days after its period ends a review counts as overdue."""

    grace_days: Annotated[int, Field(ge=0, le=365)]
    source: Source


class ProgressSettings(KitModel):
    """The content of ``data/progress.yaml``."""

    states: StateThresholds
    review: ReviewTiming

    def placeholders(self) -> dict[str, object]:
        """Values the rule texts name as ``{on_track_pct}``, ``{review_grace_days}``..."""
        return {
            "on_track_pct": round(100 * self.states.on_track),
            "at_risk_pct": round(100 * self.states.at_risk),
            "review_grace_days": self.review.grace_days,
        }


def load_settings(path: Path | str = DATA_PATH) -> ProgressSettings:
    """Load a progress-settings file (a broken one raises a ``DataFileError``)."""
    return load_yaml_model(Path(path), ProgressSettings)


@cache
def settings() -> ProgressSettings:
    """The kit's progress settings (read once per session)."""
    return load_settings(DATA_PATH)


# --- dates and periods ---------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    """One review period of a plan: months from and to, and dates when the plan has a start."""

    number: int
    start_month: int
    end_month: int
    start: dt.date | None
    end: dt.date | None

    @property
    def label(self) -> str:
        """``Period 2 (months 6-12)`` or, with dates, ``Period 2 (2014-12-01 to 2015-06-01)``."""
        if self.start and self.end:
            return f"Period {self.number} ({self.start:%Y-%m-%d} to {self.end:%Y-%m-%d})"
        return f"Period {self.number} (months {self.start_month}-{self.end_month})"

    def has_ended(self, on: dt.date) -> bool:
        """True once the period's end date is reached (never without a start date)."""
        return self.end is not None and self.end <= on


def cadence(plan: ActionPlan) -> int:
    """Months between reviews: the plan's own, or the work programme's when it sets none."""
    from consortia.content.programme import work_programme

    return plan.review_every_months or work_programme().review_months


def periods(plan: ActionPlan) -> list[Period]:
    """The plan's review periods in order, up to its horizon."""
    return list(_periods(plan.start_date, cadence(plan), plan.horizon_months))


@lru_cache(maxsize=4096)
def _periods(first: dt.date | None, every: int, horizon: int) -> tuple[Period, ...]:
    found = []
    for number, start in enumerate(range(0, horizon, every), start=1):
        end = min(start + every, horizon)
        found.append(Period(number, start, end,
                            add_months(first, start) if first else None,
                            add_months(first, end) if first else None))
    return tuple(found)


def period(plan: ActionPlan, number: int) -> Period:
    """Period ``number`` of the plan; :class:`KeyError` saying how many there are."""
    found = periods(plan)
    if not 1 <= number <= len(found):
        raise KeyError(f"The plan has periods 1 to {len(found)} (a review every "
                       f"{cadence(plan)} months over {plan.horizon_months}), not {number}")
    return found[number - 1]


def ended_periods(plan: ActionPlan, on: dt.date) -> list[Period]:
    """The periods that have ended by ``on`` (none when the plan has no start date)."""
    return [p for p in periods(plan) if p.has_ended(on)]


def current_period(plan: ActionPlan, on: dt.date) -> Period | None:
    """The period running on ``on``: the first that has not ended (``None`` when all have)."""
    return next((p for p in periods(plan) if not p.has_ended(on)), None)


def month_date(plan: ActionPlan, month: float) -> dt.date | None:
    """The calendar day of a plan month (``None`` without a start date)."""
    return add_months(plan.start_date, int(month)) if plan.start_date else None


# --- indicator states ----------------------------------------------------------------------


def planned_value(plan: ActionPlan, indicator: Indicator, month: int) -> float:
    """Where the straight path from baseline (month 0) to target (horizon) is in ``month``."""
    share = min(max(month / plan.horizon_months, 0.0), 1.0)
    return indicator.baseline + (indicator.target - indicator.baseline) * share


def period_target(plan: ActionPlan, indicator: Indicator, number: int) -> float:
    """The value aimed at by the end of period ``number``: its own target, or the path's."""
    report = plan.indicator_period(indicator.id, number)
    if report is not None and report.target is not None:
        return report.target
    return planned_value(plan, indicator, period(plan, number).end_month)


@dataclass(frozen=True)
class IndicatorState:
    """What a reader needs about one indicator at a review: period, figures, share, state."""

    indicator: Indicator
    period: int | None  # the period judged; None when none has ended or been reported
    state: str
    actual: float | None
    actual_text: str | None
    target: float | None
    share: float | None  # share of the expected change covered (number indicators)

    @property
    def reason(self) -> str:
        """The state in one plain sentence."""
        name = self.indicator.name
        if self.period is None:
            return f"{name}: no period has ended yet and nothing is reported."
        if self.state == NO_DATA:
            return f"{name}: nothing accepted is reported for period {self.period}."
        if self.share is None:
            return f"{name}: the team judges it {self.state} in period {self.period}."
        return (f"{name}: {self.actual:g} in period {self.period}, {round(100 * self.share)}% "
                f"of the change expected by then (target {self.target:g}): {self.state}.")


def _judge(share: float) -> str:
    limits = settings().states
    if share >= limits.on_track:
        return ON_TRACK
    return AT_RISK if share >= limits.at_risk else OFF_TRACK


def period_state(plan: ActionPlan, indicator: Indicator, number: int) -> IndicatorState:
    """The state of ``indicator`` in period ``number`` (rules 2 to 4 of the module's doc)."""
    report = plan.indicator_period(indicator.id, number)
    usable = report is not None and report.has_actual and report.status != "sent back"
    if indicator.measure == "text":
        state = report.assessment if usable and report.assessment else NO_DATA
        text = report.actual_text if usable else None
        return IndicatorState(indicator, number, state, None, text, None, None)
    target = period_target(plan, indicator, number)
    if not usable or report.actual is None:
        return IndicatorState(indicator, number, NO_DATA, None, None, target, None)
    actual, expected = report.actual, target - indicator.baseline
    if expected == 0:
        rising = indicator.target >= indicator.baseline
        reached = actual >= target if rising else actual <= target
        share = 1.0 if reached else 0.0
    else:
        share = (actual - indicator.baseline) / expected
    return IndicatorState(indicator, number, _judge(share), actual, None, target, share)


def judged_period(plan: ActionPlan, indicator: Indicator, on: dt.date) -> int | None:
    """The period an indicator is judged on: the latest ended, or a later one reported."""
    ended = [p.number for p in ended_periods(plan, on)]
    count = len(periods(plan))
    reported = [r.period for r in plan.indicator_periods
                if r.indicator == indicator.id and r.has_actual and r.period <= count]
    candidates = ended + reported
    return max(candidates) if candidates else None


def indicator_state(plan: ActionPlan, indicator: Indicator | str,
                    on: dt.date | None = None) -> IndicatorState:
    """The state of one indicator (an :class:`Indicator`, its id or its name) on ``on``."""
    on = on or dt.date.today()
    if not isinstance(indicator, Indicator):
        indicator = plan.indicator(indicator)
    number = judged_period(plan, indicator, on)
    if number is None:
        return IndicatorState(indicator, None, NO_DATA, None, None, None, None)
    return period_state(plan, indicator, number)


def indicator_states(plan: ActionPlan, on: dt.date | None = None) -> list[IndicatorState]:
    """The state of every indicator of the plan, in the plan's order."""
    return [indicator_state(plan, item, on) for item in plan.indicators]


def state_counts(states: list[IndicatorState]) -> dict[str, int]:
    """How many indicators are in each state, every state listed (best first)."""
    counts = dict.fromkeys(STATES, 0)
    for item in states:
        counts[item.state] += 1
    return counts


def missed_periods(plan: ActionPlan, indicator: Indicator, on: dt.date) -> list[int]:
    """Periods (ended, or reported) in which a number indicator fell short of its target:
    a period state of at risk or off track."""
    if indicator.measure != "number":
        return []
    last = judged_period(plan, indicator, on) or 0
    return [n for n in range(1, last + 1)
            if period_state(plan, indicator, n).state in (AT_RISK, OFF_TRACK)]


# --- activities and reviews ----------------------------------------------------------------


def activity_status(plan: ActionPlan, activity: Activity, on: dt.date | None = None) -> str:
    """Where an activity stands on ``on``: its latest update, or ``late`` if its planned end
    has passed and no review closed it, or ``not started``."""
    on = on or dt.date.today()
    updates = sorted((u for u in plan.activity_updates if u.activity == activity.id),
                     key=lambda u: u.period)
    latest = updates[-1].status if updates else "not started"
    if latest in CLOSED or latest == "late":
        return latest
    end = month_date(plan, activity.end_month)
    if end is not None and end <= on:
        return "late"
    return latest


@dataclass(frozen=True)
class LateActivity:
    """An activity that is late: which one, when it was due, and what the team said."""

    activity: Activity
    due: dt.date | None
    said_late: bool  # the team marked it late itself
    note: str


def late_activities(plan: ActionPlan, on: dt.date | None = None) -> list[LateActivity]:
    """The plan's late activities on ``on``, in the plan's order."""
    on = on or dt.date.today()
    found = []
    for item in plan.activities:
        if activity_status(plan, item, on) != "late":
            continue
        updates = sorted((u for u in plan.activity_updates if u.activity == item.id),
                         key=lambda u: u.period)
        said = bool(updates) and updates[-1].status == "late"
        found.append(LateActivity(item, month_date(plan, item.end_month), said,
                                  updates[-1].note if updates else ""))
    return found


def overdue_reviews(plan: ActionPlan, on: dt.date | None = None) -> list[Period]:
    """Ended periods with no review recorded, more than the grace days after their end."""
    on = on or dt.date.today()
    grace = dt.timedelta(days=settings().review.grace_days)
    return [p for p in ended_periods(plan, on)
            if plan.review(p.number) is None and p.end + grace < on]


def last_review(plan: ActionPlan) -> dt.date | None:
    """The day of the latest review held, or ``None``."""
    return max((r.held_on for r in plan.reviews), default=None)


def next_review(plan: ActionPlan, on: dt.date | None = None) -> Period | None:
    """The first period still waiting for its review (it may be overdue already)."""
    on = on or dt.date.today()
    return next((p for p in periods(plan) if plan.review(p.number) is None), None)


def phase_reached(plan: ActionPlan, on: dt.date | None = None) -> int | None:
    """The highest phase in which an activity is done (``None`` if none is done yet)."""
    done = [a.phase for a in plan.activities if activity_status(plan, a, on) == "done"]
    return max(done) if done else None


@dataclass(frozen=True)
class MarketGoal:
    """The 2014 task's end point (SELA 2014 §45), as three steps a team has or has not taken.

    The steps are the kit's reading of §45: a fair or launch is planned; the product
    was shown (a fair or launch milestone is marked reached); it is accepted locally
    (the plan's economic indicators are on track at the latest review).
    """

    planned: bool
    shown: bool
    accepted: bool

    @property
    def steps(self) -> int:
        return sum((self.planned, self.shown, self.accepted))

    @property
    def label(self) -> str:
        if self.accepted and self.shown:
            return "shown at a fair and accepted locally"
        if self.shown:
            return "shown at a fair; local acceptance not yet shown"
        if self.planned:
            return "fair or launch planned, not yet held"
        return "no fair or launch planned"


def market_goal(plan: ActionPlan, on: dt.date | None = None) -> MarketGoal:
    """How far a plan has come towards the §45 goal on ``on``."""
    market = [m for m in plan.milestones if m.kind in MARKET_MILESTONES]
    economic = [s for s in indicator_states(plan, on) if s.indicator.kind == "economic"]
    accepted = bool(economic) and all(s.state == ON_TRACK for s in economic)
    return MarketGoal(planned=bool(market), shown=any(m.reached_on for m in market),
                      accepted=accepted)


# --- tables --------------------------------------------------------------------------------


def progress_table(plan: ActionPlan, on: dt.date | None = None) -> pd.DataFrame:
    """One row per indicator: kind, period judged, baseline, target then, actual, share, state."""
    import pandas as pd

    rows = []
    for item in indicator_states(plan, on):
        rows.append({
            "indicator": item.indicator.name,
            "kind": item.indicator.kind,
            "period": item.period,
            "baseline": item.indicator.baseline if item.indicator.measure == "number" else None,
            "target_then": item.target,
            "actual": item.actual if item.actual_text is None else item.actual_text,
            "share_pct": None if item.share is None else round(100 * item.share),
            "state": item.state,
        })
    frame = pd.DataFrame(rows, columns=["indicator", "kind", "period", "baseline",
                                        "target_then", "actual", "share_pct", "state"])
    frame["period"] = frame["period"].astype("Int64")
    frame["share_pct"] = frame["share_pct"].astype("Int64")
    return frame
