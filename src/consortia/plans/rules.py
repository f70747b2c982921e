"""The plan validator: check an action plan against the methodology and the 2014 commitments.

:func:`check_plan` runs every rule on a plan and returns a list of
:class:`Finding` objects, each with a severity, a stable code, a message that names
the activity or field at fault, and a suggestion. The rules' severity, wording and
source live in ``data/plan_rules.yaml`` (read by :mod:`consortia.plans.rulebook`, so
a trainer can read them without code), the work programme they enforce in
``data/work_programme.yaml``; this module holds one small function per rule that
finds the cases.

The same validator serves the planner widget, the ``consortia plan check`` command,
the lessons and the graded exercises: a rule changes in one place. :func:`rule_table`
lays the rules out for a lesson, and with ``plan=`` counts each rule's findings for
that plan: the rulebook read as a checklist::

    from consortia.display import show
    from consortia.plans.rules import rule_table

    show(rule_table())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from consortia.content import methodology
from consortia.content.programme import work_programme
from consortia.plans.model import MARKET_MILESTONES, ActionPlan
from consortia.plans.rulebook import (
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    Rule,
    RuleBook,
    parameters,
    rulebook,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CHECKS", "COLUMNS", "DETAIL_COLUMNS", "SEVERITY_LABELS", "SEVERITY_ORDER", "Finding",
           "Rule", "RuleBook", "check", "check_plan", "findings_frame", "has_errors", "rule_table",
           "rulebook", "severity_counts", "summary"]


@dataclass(frozen=True)
class Finding:
    """One thing the validator noticed about a plan."""

    severity: str
    code: str
    message: str
    suggestion: str
    source: str
    subject: str | None = None

    def __str__(self) -> str:
        return f"{self.severity.upper()} [{self.code}] {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        """The finding as plain data (for JSON, tables and feedback)."""
        return {
            "severity": self.severity,
            "code": self.code,
            "subject": self.subject,
            "message": self.message,
            "suggestion": self.suggestion,
            "source": self.source,
        }


#: A check yields (subject, message) pairs: what is at fault, and what is wrong.
Check = Callable[[ActionPlan], Iterator[tuple[str | None, str]]]
CHECKS: dict[str, Check] = {}
#: Codes of the checks that judge progress on a day (they take the day as well).
DATED: set[str] = set()


def check(code: str, dated: bool = False) -> Callable[[Check], Check]:
    """Register a function as the check of the documented rule ``code``.

    A ``dated`` check is called as ``func(plan, on)``: it judges the plan's progress on
    the day ``on`` (a review is overdue only once its period has ended).
    """

    def register(func: Check) -> Check:
        CHECKS[code] = func
        if dated:
            DATED.add(code)
        return func

    return register


@cache
def _dependencies() -> dict[int, tuple[int, ...]]:
    return {p.number: tuple(p.depends_on) for p in methodology.phases()}


def _label(activity) -> str:
    return f"activity {activity.id} ({activity.title!r})"


# --- activities ------------------------------------------------------------------------


@check("phase-unknown")
def _phase_unknown(plan: ActionPlan):
    for a in plan.activities:
        if not methodology.is_phase(a.phase):
            yield a.id, f"{_label(a)} is in phase {a.phase}, which does not exist."


@check("duration-not-positive")
def _duration(plan: ActionPlan):
    for a in plan.activities:
        if a.duration_months < 1:
            yield a.id, f"{_label(a)} lasts {a.duration_months} months."


@check("start-before-zero")
def _start(plan: ActionPlan):
    for a in plan.activities:
        if a.start_month < 0:
            yield a.id, f"{_label(a)} starts in month {a.start_month}, before the plan starts."


@check("beyond-horizon")
def _horizon(plan: ActionPlan):
    for a in plan.activities:
        if a.end_month > plan.horizon_months:
            yield a.id, (
                f"{_label(a)} ends in month {a.end_month}, after the plan's horizon of "
                f"{plan.horizon_months} months."
            )


@check("duplicate-activity-id")
def _duplicate_ids(plan: ActionPlan):
    seen: set[str] = set()
    for a in plan.activities:
        if a.id in seen:
            yield a.id, f"Two or more activities have the id {a.id!r}."
        seen.add(a.id)


@check("early-phases-missing")
def _early_missing(plan: ActionPlan):
    planned = {a.phase for a in plan.activities}
    missing = [n for n in work_programme().early_phases.phases if n not in planned]
    if missing:
        names = ", ".join(methodology.phase(n).numeral for n in missing)
        yield "activities", f"The plan has no activity in phase {names}."


@check("early-phases-late")
def _early_late(plan: ActionPlan):
    early = work_programme().early_phases
    for a in plan.activities:
        if a.phase in early.phases and a.end_month > early.months:
            yield a.id, (
                f"{_label(a)} is in phase {methodology.numeral(a.phase)} but ends in month "
                f"{a.end_month}, after the first {early.months} months."
            )


@check("phase-order")
def _phase_order(plan: ActionPlan):
    first_start: dict[int, int] = {}
    for a in plan.activities:
        if a.phase not in first_start or a.start_month < first_start[a.phase]:
            first_start[a.phase] = a.start_month
    depends = _dependencies()
    for a in plan.activities:
        if a.justification:
            continue
        for earlier in depends.get(a.phase, ()):
            if earlier in first_start and a.start_month < first_start[earlier]:
                yield a.id, (
                    f"{_label(a)} in phase {methodology.numeral(a.phase)} starts in month "
                    f"{a.start_month}, before phase {methodology.numeral(earlier)} starts "
                    f"(month {first_start[earlier]}), which it builds on."
                )
                break


@check("owner-missing")
def _owner(plan: ActionPlan):
    for a in plan.activities:
        if not a.owner:
            yield a.id, f"{_label(a)} has no owner."


@check("no-indicator")
def _no_indicator(plan: ActionPlan):
    for a in plan.activities:
        if not a.indicators:
            yield a.id, f"{_label(a)} moves no indicator."


@check("unknown-indicator")
def _unknown_indicator(plan: ActionPlan):
    defined = {i.name for i in plan.indicators}
    for a in plan.activities:
        for name in a.indicators:
            if name not in defined:
                yield a.id, f"{_label(a)} refers to the indicator {name!r}, which the plan lacks."


@check("no-budget")
def _no_budget(plan: ActionPlan):
    for a in plan.activities:
        if a.budget_usd is None:
            yield a.id, f"{_label(a)} has no budget."


@check("budget-implausible")
def _budget_implausible(plan: ActionPlan):
    limit = parameters().plausible_budget_usd
    for a in plan.activities:
        if a.budget_usd is not None and a.budget_usd > limit:
            yield a.id, (f"{_label(a)} has a budget of US$ {a.budget_usd:,.0f}, more than "
                         f"US$ {limit:,.0f}.")


# --- the consortium ----------------------------------------------------------------------


@check("members-missing")
def _members_missing(plan: ActionPlan):
    if plan.members.count == 0:
        yield "members", "The plan says the consortium has 0 members."


# --- indicators, reviews and milestones -------------------------------------------------


@check("indicator-phase-unknown")
def _indicator_phase(plan: ActionPlan):
    for i in plan.indicators:
        if not methodology.is_phase(i.phase):
            yield i.name, f"Indicator {i.name!r} is in phase {i.phase}, which does not exist."


@check("indicator-kind-missing")
def _indicator_kind(plan: ActionPlan):
    for i in plan.indicators:
        if i.kind is None:
            yield i.name, (f"Indicator {i.name!r} has no kind: it is neither economic nor "
                           "non-economic yet.")


@check("no-non-economic-indicator")
def _non_economic(plan: ActionPlan):
    if not any(i.kind == "non-economic" for i in plan.indicators):
        yield "indicators", "The plan has no non-economic indicator."


@check("no-economic-indicator")
def _economic(plan: ActionPlan):
    if not any(i.kind == "economic" for i in plan.indicators):
        yield "indicators", "The plan has no economic indicator."


@check("target-equals-baseline")
def _target(plan: ActionPlan):
    for i in plan.indicators:
        if i.target == i.baseline:
            yield i.name, f"Indicator {i.name!r} has the same baseline and target ({i.target:g})."


@check("review-cadence")
def _review(plan: ActionPlan):
    longest = work_programme().review_months
    if plan.review_every_months is None:
        yield "review_every_months", "The plan sets no review cadence."
    elif plan.review_every_months > longest:
        yield "review_every_months", (
            f"The plan is reviewed every {plan.review_every_months} months, less often than "
            f"every {longest}."
        )


@check("no-market-milestone")
def _market(plan: ActionPlan):
    if not any(m.kind in MARKET_MILESTONES for m in plan.milestones):
        yield "milestones", "The plan has no fair or launch milestone."


@check("milestone-outside-plan")
def _milestone_months(plan: ActionPlan):
    for m in plan.milestones:
        if not 0 <= m.month <= plan.horizon_months:
            yield m.title, (
                f"Milestone {m.title!r} is in month {m.month}, outside months 0 to "
                f"{plan.horizon_months}."
            )


def _mark_work(plan: ActionPlan) -> list:
    """The plan's phase IX activities (collective mark, certification), earliest first."""
    return sorted((a for a in plan.activities if a.phase == parameters().mark_phase),
                  key=lambda a: a.start_month)


@check("mark-before-rules")
def _mark_after_rules(plan: ActionPlan):
    mark_work = _mark_work(plan)
    if not mark_work:
        return
    rules_work = [a for a in plan.activities if a.sets_production_rules]
    if not rules_work:
        first = mark_work[0]
        yield first.id, (
            f"{_label(first)} works on the collective mark, but no activity agrees the "
            "rules of production it would guarantee."
        )
        return
    rules_ready = min(a.end_month for a in rules_work)
    for a in mark_work:
        if a.start_month < rules_ready:
            yield a.id, (
                f"{_label(a)} starts in month {a.start_month}, before the rules of production "
                f"are agreed (month {rules_ready})."
            )


@check("mark-without-legal-owner")
def _mark_owner(plan: ActionPlan):
    mark_work = _mark_work(plan)
    if not mark_work:
        return
    first = mark_work[0]
    legal = [a.start_month for a in plan.activities if a.phase == parameters().legal_phase]
    if not legal:
        numeral = methodology.numeral(parameters().legal_phase)
        yield first.id, (f"{_label(first)} works on the collective mark, but no phase "
                         f"{numeral} activity gives the group a legal form to own it.")
    elif min(legal) > first.start_month and not first.justification:
        yield first.id, (f"{_label(first)} starts in month {first.start_month}, before the "
                         f"group's legal constitution (month {min(legal)}).")


# --- progress after the plan is handed in (need a start date) -----------------------------


def _periods_text(numbers: list[int]) -> str:
    return ("period " if len(numbers) == 1 else "periods ") + ", ".join(map(str, numbers))


@check("review-overdue", dated=True)
def _review_overdue(plan: ActionPlan, on: dt.date):
    from consortia.plans import progress

    for item in progress.overdue_reviews(plan, on):
        yield f"review {item.number}", (
            f"The review of {item.label} is overdue: the period ended on {item.end:%Y-%m-%d} "
            "and no review is recorded for it."
        )


@check("actual-without-evidence", dated=True)
def _actual_without_evidence(plan: ActionPlan, on: dt.date):
    names = {i.id: i.name for i in plan.indicators}
    for report in plan.indicator_periods:
        if report.has_actual and not report.evidence and report.indicator in names:
            yield f"{report.indicator} period {report.period}", (
                f"Indicator {names[report.indicator]!r} has an actual for period "
                f"{report.period} but no evidence (a link or a file name)."
            )


@check("period-without-actual", dated=True)
def _period_without_actual(plan: ActionPlan, on: dt.date):
    from consortia.plans import progress

    ended = [p.number for p in progress.ended_periods(plan, on)]
    if not ended:
        return
    for item in plan.indicators:
        missing = [n for n in ended
                   if not ((r := plan.indicator_period(item.id, n)) and r.has_actual)]
        if missing:
            yield item.id, (f"Indicator {item.name!r} has no actual for "
                            f"{_periods_text(missing)}, which ended.")


@check("activity-late", dated=True)
def _activity_late(plan: ActionPlan, on: dt.date):
    from consortia.plans import progress

    for late in progress.late_activities(plan, on):
        why = ("the team marked it late" if late.said_late else
               f"it was due to end on {late.due:%Y-%m-%d} and no review says it is done "
               "or dropped")
        yield late.activity.id, f"{_label(late.activity)} is late: {why}."


@check("target-missed-twice", dated=True)
def _target_missed_twice(plan: ActionPlan, on: dt.date):
    from consortia.plans import progress

    for item in plan.indicators:
        missed = progress.missed_periods(plan, item, on)
        twice = [n for n in missed if n - 1 in missed]
        if twice:
            yield item.id, (f"Indicator {item.name!r} fell short of its target in periods "
                            f"{twice[-1] - 1} and {twice[-1]}, one after the other.")


# --- the plan as a whole -----------------------------------------------------------------


@check("no-objectives")
def _objectives(plan: ActionPlan):
    if not any(text.strip() for text in plan.objectives):
        yield "objectives", "The plan states no objectives."


@check("few-partner-kinds")
def _partners(plan: ActionPlan):
    if not set(plan.members.kinds) - {"producers"}:
        yield "members", "Only producers take part; no public, private or university partner."


@check("unknown-case")
def _case(plan: ActionPlan):
    if plan.case is None:
        return
    from consortia.content import cases

    if plan.case not in {c.slug for c in cases.all_cases()}:
        yield "case", f"The plan names the case {plan.case!r}, which the kit does not have."


# --- running them ------------------------------------------------------------------------


def check_plan(plan: ActionPlan, on: dt.date | None = None) -> list[Finding]:
    """Every finding for ``plan``, errors first, then warnings, then advice.

    ``on`` is the day the progress rules judge the plan on (default: today); rules
    about dates stay silent for a plan without a ``start_date``.
    """
    book = rulebook()
    on = on or dt.date.today()
    findings = []
    for code, func in CHECKS.items():
        rule = book[code]
        found = func(plan, on) if code in DATED else func(plan)
        for subject, message in found:
            findings.append(
                Finding(rule.severity, code, message, rule.suggestion, rule.source, subject)
            )
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return findings


def has_errors(findings: list[Finding]) -> bool:
    """True if any finding is an error (the plan must be fixed before it is handed in)."""
    return any(f.severity == "error" for f in findings)


def summary(findings: list[Finding]) -> str:
    """One line such as ``2 errors, 1 warning, 0 advice``."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_ORDER}
    errors, warnings, advice = counts["error"], counts["warning"], counts["advice"]
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
        f"{advice} advice"
    )


def findings_frame(findings: list[Finding]):
    """The findings as a pandas DataFrame (one row each)."""
    import pandas as pd

    columns = ["severity", "code", "subject", "message", "suggestion", "source"]
    return pd.DataFrame([f.as_dict() for f in findings], columns=columns)


# --- the rulebook as a table --------------------------------------------------------------


#: Columns of :func:`rule_table`, in order; ``details=True`` adds :data:`DETAIL_COLUMNS`.
COLUMNS = ["code", "severity", "label", "title", "source"]
DETAIL_COLUMNS = ["explanation", "suggestion"]


def rule_table(details: bool = False, plan: ActionPlan | None = None,
               on: dt.date | None = None) -> pd.DataFrame:
    """Every rule of the plan checker, one row each: errors first, then warnings, then advice.

    Within a severity the rules keep the order of ``data/plan_rules.yaml``.
    Columns: ``code`` (the stable name findings and grading use), ``severity``,
    ``label`` (the planner's word for the severity), ``title`` (what the rule asks,
    in one line) and ``source`` (a SELA 2014 paragraph, the methodology, or "kit's
    own"). ``details=True`` adds ``explanation`` (why the rule exists) and
    ``suggestion`` (what to do when it fires). With a ``plan``, a last column
    ``findings`` counts the findings that rule gives for it (0 means it passes).
    """
    import pandas as pd

    book = sorted(rulebook().values(), key=lambda rule: SEVERITY_ORDER[rule.severity])
    rows = [
        {"code": rule.code, "severity": rule.severity,
         "label": SEVERITY_LABELS[rule.severity], "title": rule.title,
         "source": rule.source, "explanation": rule.explanation,
         "suggestion": rule.suggestion}
        for rule in book
    ]
    columns = COLUMNS + (DETAIL_COLUMNS if details else [])
    frame = pd.DataFrame(rows, columns=COLUMNS + DETAIL_COLUMNS)[columns]
    if plan is not None:
        found = [finding.code for finding in check_plan(plan, on)]
        frame["findings"] = [found.count(code) for code in frame["code"]]
    return frame.reset_index(drop=True)


def severity_counts() -> dict[str, int]:
    """How many rules the checker has of each severity, e.g. ``{"error": 9, ...}``."""
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for rule in rulebook().values():
        counts[rule.severity] += 1
    return counts
