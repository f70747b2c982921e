"""Many plans at once: read a folder of plan files, and one row per consortium.

:func:`load_plans` reads every ``*.json`` plan of a folder; a file that is not a
readable plan is skipped with its reason (one broken file never hides the other
teams). :func:`team_row` sums up one plan on a day: country, product, phase reached,
last and next review, indicator states, late activities and the steps towards the
market goal of SELA 2014 §45; :func:`programme_rows` does it for every plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from consortia.content import methodology
from consortia.errors import InputError
from consortia.plans import progress
from consortia.plans.files import PlanFileError, load_plan
from consortia.plans.model import ActionPlan


@dataclass(frozen=True)
class LoadedPlans:
    """The plans of a folder, by file name, and the files skipped with their reason."""

    plans: dict[str, ActionPlan]
    skipped: list[str]


def load_plans(folder: Path | str) -> LoadedPlans:
    """Every plan file (``*.json``) of ``folder``, sorted by file name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; give the folder that holds the teams' "
                         "plan files (*.json)")
    plans, skipped = {}, []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue
        try:
            plans[path.name] = load_plan(path)
        except PlanFileError as exc:
            skipped.append(f"{path.name}: {exc.reason}")
    return LoadedPlans(plans, skipped)


@dataclass(frozen=True)
class TeamRow:
    """One consortium on the dashboard."""

    file: str
    plan: ActionPlan
    on: dt.date
    phase_reached: int | None
    last_review: dt.date | None
    next_review: progress.Period | None
    review_overdue: bool
    states: list[progress.IndicatorState]
    late: list[progress.LateActivity]
    goal: progress.MarketGoal

    @property
    def counts(self) -> dict[str, int]:
        return progress.state_counts(self.states)

    @property
    def phase_label(self) -> str:
        if self.phase_reached is None:
            return "none done yet"
        return methodology.phase_label(self.phase_reached)

    @property
    def next_review_text(self) -> str:
        if self.next_review is None:
            return "all reviews held"
        due = self.next_review.end
        when = f"due {due:%Y-%m-%d}" if due else f"month {self.next_review.end_month}"
        return f"review {self.next_review.number}, {when}" + (
            " (OVERDUE)" if self.review_overdue else "")

    def as_dict(self) -> dict[str, object]:
        """The row as plain values (for the xlsx and tests)."""
        counts = self.counts
        return {
            "consortium": self.plan.consortium, "country": self.plan.country,
            "product": self.plan.product, "phase reached": self.phase_label,
            "last review": self.last_review, "next review": self.next_review_text,
            **{state: counts[state] for state in progress.STATES},
            "late activities": len(self.late),
            "market goal (§45) steps": self.goal.steps, "market goal": self.goal.label,
            "illustrative": bool(self.plan.illustrative_note), "file": self.file,
        }


def team_row(plan: ActionPlan, on: dt.date, file: str = "") -> TeamRow:
    """What the dashboard shows for one plan on ``on``."""
    upcoming = progress.next_review(plan, on)
    overdue = {p.number for p in progress.overdue_reviews(plan, on)}
    return TeamRow(
        file=file, plan=plan, on=on,
        phase_reached=progress.phase_reached(plan, on),
        last_review=progress.last_review(plan),
        next_review=upcoming,
        review_overdue=upcoming is not None and upcoming.number in overdue,
        states=progress.indicator_states(plan, on),
        late=progress.late_activities(plan, on),
        goal=progress.market_goal(plan, on),
    )


def programme_rows(plans: dict[str, ActionPlan], on: dt.date | None = None) -> list[TeamRow]:
    """One row per plan, sorted by country then consortium."""
    on = on or dt.date.today()
    rows = [team_row(plan, on, name) for name, plan in plans.items()]
    return sorted(rows, key=lambda r: (r.plan.country.casefold(), r.plan.consortium.casefold()))


def programme_frame(rows: list[TeamRow]):
    """The dashboard's rows as a pandas DataFrame (for notebooks): one row per consortium."""
    import pandas as pd

    columns = ["consortium", "country", "phase reached", "last review", "next review",
               *progress.STATES, "late activities", "market goal (§45) steps"]
    return pd.DataFrame([r.as_dict() for r in rows], columns=[*columns, "illustrative"])[
        columns]
