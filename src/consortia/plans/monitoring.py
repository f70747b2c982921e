"""Monitoring and evaluation of an action plan: indicator tables, progress and reviews.

Phase X of the methodology asks a consortium to review its progress every six
months (SELA 2014 §21) with indicators of the group's progress and of its
non-economic effects on the population (§41), and to report to the organisations
that accompany it (§46). The plan model (:class:`~consortia.plans.model.Indicator`)
holds each indicator's kind, unit, baseline and target; this module adds what a
review meeting needs on top of it:

* :func:`indicator_table`: the plan's indicators as one table, with who measures
  each one, where its baseline comes from and, once measured, how far it has got;
* :func:`progress`: the share of the way from baseline to target covered so far;
* :func:`review_months` and :func:`with_review_milestones`: when the reviews fall,
  and the plan with a review milestone at each of them (for the Gantt chart);
* :func:`progress_chart`: a bar per indicator showing its progress at a review;
* :data:`MONITORING_RULES`: the codes of the validator rules about monitoring, to
  pick them out of :func:`consortia.plans.rules.check_plan`'s findings.

Conventions (the kit's own, chosen to be easy to explain in a room): a target is
due at the end of the plan (its horizon), so "expected by now" is the share of the
horizon that has passed; an indicator is **on track** when its progress is at
least that share. pandas and matplotlib are imported only where needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from consortia.errors import InputError
from consortia.plans.model import ActionPlan, Milestone

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Codes of the plan validator's rules that concern monitoring and evaluation.
MONITORING_RULES = (
    "no-indicator",
    "unknown-indicator",
    "indicator-phase-unknown",
    "indicator-kind-missing",
    "no-non-economic-indicator",
    "no-economic-indicator",
    "target-equals-baseline",
    "review-cadence",
    # after the workshop: the reviews themselves (SELA 2014 §21, §46)
    "review-overdue",
    "actual-without-evidence",
    "period-without-actual",
    "activity-late",
    "target-missed-twice",
)

#: What the table shows when nobody has been named to measure an indicator.
NOBODY = "nobody named yet"

#: Status words of an indicator at a review (see :func:`status`).
REACHED, ON_TRACK, BEHIND, BACKWARDS, UNKNOWN = (
    "target reached", "on track", "behind", "moving away from target", "not measured")

#: Bar colours by indicator kind (Okabe-Ito, colour-blind safe).
KIND_COLOURS = {"economic": "#0072B2", "non-economic": "#E69F00"}


def progress(baseline: float, target: float, current: float | None) -> float | None:
    """The share of the way from ``baseline`` to ``target`` that ``current`` has covered.

    ``0.4`` means 40% of the way. Works for indicators that should go down as well
    as up (a target below the baseline). The result is not clipped: below 0 means
    the indicator moved away from its target, above 1 that it went past it.
    ``None`` when nothing was measured or when target equals baseline (no change
    was aimed at, so progress has no meaning).
    """
    if current is None or target == baseline:
        return None
    return (current - baseline) / (target - baseline)


def expected_share(month: int, horizon_months: int) -> float:
    """The share of the plan's horizon that has passed by ``month`` (0 to 1)."""
    if horizon_months < 1:
        raise InputError(f"a plan's horizon is at least 1 month, not {horizon_months}")
    return min(max(month / horizon_months, 0.0), 1.0)


def status(share: float | None, expected: float | None = None) -> str:
    """A word for an indicator's progress ``share`` (from :func:`progress`).

    With ``expected`` (from :func:`expected_share`) an indicator that has covered
    less than the expected share is "behind"; without it, any forward move counts
    as "on track".
    """
    if share is None:
        return UNKNOWN
    if share >= 1:
        return REACHED
    if share < 0:
        return BACKWARDS
    if expected is not None and share < expected:
        return BEHIND
    return ON_TRACK


def _check_names(plan: ActionPlan, mapping: Mapping | None, what: str) -> None:
    if not mapping:
        return
    known = {i.name for i in plan.indicators}
    unknown = [name for name in mapping if name not in known]
    if unknown:
        listed = ", ".join(repr(n) for n in sorted(known)) or "none yet"
        raise InputError(
            f"{what} names {', '.join(repr(n) for n in unknown)}, which the plan does not "
            f"have; check the spelling (the plan's indicators: {listed})"
        )


def indicator_table(
    plan: ActionPlan,
    measured_by: Mapping[str, str] | None = None,
    baseline_sources: Mapping[str, str] | None = None,
    latest: Mapping[str, float] | None = None,
    month: int | None = None,
) -> pd.DataFrame:
    """The plan's indicators as one table, in the plan's order.

    Columns: ``indicator``, ``kind``, ``phase`` (numeral), ``unit``, ``baseline``,
    ``target`` and ``measured_by`` (who collects the figure; :data:`NOBODY` where
    ``measured_by`` does not name anyone). With ``baseline_sources`` a
    ``baseline_source`` column says where each baseline comes from. With
    ``latest`` (the figures measured at a review) the table adds ``latest``,
    ``progress_pct`` (see :func:`progress`) and ``status``; give ``month`` (the
    month of the review) to judge progress against the share of the plan's horizon
    that has passed (``expected_pct``).

    A name in any mapping that is not one of the plan's indicators raises
    :class:`ValueError`, so a typo never silently drops a figure.
    """
    import pandas as pd

    from consortia.content import methodology

    _check_names(plan, measured_by, "measured_by")
    _check_names(plan, baseline_sources, "baseline_sources")
    _check_names(plan, latest, "latest")
    expected = None if month is None else expected_share(month, plan.horizon_months)
    rows = []
    for item in plan.indicators:
        row: dict[str, object] = {
            "indicator": item.name,
            "kind": item.kind,
            "phase": (methodology.numeral(item.phase) if methodology.is_phase(item.phase)
                      else str(item.phase)),
            "unit": item.unit,
            "baseline": item.baseline,
        }
        if baseline_sources is not None:
            row["baseline_source"] = baseline_sources.get(item.name, "")
        row["target"] = item.target
        row["measured_by"] = (measured_by or {}).get(item.name) or NOBODY
        if latest is not None:
            current = latest.get(item.name)
            share = progress(item.baseline, item.target, current)
            row["latest"] = None if current is None else float(current)
            row["progress_pct"] = None if share is None else round(100 * share)
            if expected is not None:
                row["expected_pct"] = round(100 * expected)
            row["status"] = status(share, expected)
        rows.append(row)
    columns = ["indicator", "kind", "phase", "unit", "baseline"]
    columns += ["baseline_source"] if baseline_sources is not None else []
    columns += ["target", "measured_by"]
    if latest is not None:
        columns += ["latest", "progress_pct"]
        columns += ["expected_pct"] if expected is not None else []
        columns += ["status"]
    frame = pd.DataFrame(rows, columns=columns)
    if latest is not None:
        frame["progress_pct"] = frame["progress_pct"].astype("Int64")
    return frame


def review_months(plan: ActionPlan) -> list[int]:
    """The months in which the plan's reviews fall: every ``review_every_months``
    from the start, up to the horizon (empty if the plan sets no cadence)."""
    every = plan.review_every_months
    if not every:
        return []
    return list(range(every, plan.horizon_months + 1, every))


def with_review_milestones(plan: ActionPlan) -> ActionPlan:
    """A copy of ``plan`` with a review milestone (kind ``review``) in each review month.

    Months that already hold a review milestone are left as they are, so calling
    this twice adds nothing the second time.
    """
    taken = {m.month for m in plan.milestones if m.kind == "review"}
    result = plan
    for number, month in enumerate(review_months(plan), start=1):
        if month not in taken:
            result = result.with_milestone(
                Milestone(title=f"Review {number} (month {month})", month=month, kind="review")
            )
    return result


def progress_chart(table: pd.DataFrame, title: str | None = None) -> Figure:
    """A bar per indicator showing its progress towards target, from :func:`indicator_table`.

    The table must have been made with ``latest`` figures. Bars are coloured by kind
    (economic, non-economic); a solid line marks the target (100%) and, if the table
    has ``expected_pct``, a dashed line marks where steady progress would be by now.
    Indicators not measured are listed with the words "not measured".
    """
    import pandas as pd
    from matplotlib.patches import Patch

    from consortia.figures import FONT_SIZE, new_figure

    if "progress_pct" not in table.columns:
        raise InputError("make the table with latest=... so that it has progress to draw")
    rows = len(table)
    fig = new_figure(figsize=(12, 1.6 + 0.6 * max(rows, 1)))
    ax = fig.subplots()
    measured = [not pd.isna(v) for v in table["progress_pct"]]
    values = [int(v) if ok else 0
              for v, ok in zip(table["progress_pct"], measured, strict=True)]
    colours = [KIND_COLOURS.get(k, "#999999") for k in table["kind"]]
    ax.barh(range(rows), values, color=colours, edgecolor="black", height=0.6)
    top = max([100, *values]) + 25
    low = min([0, *values]) - 5
    for row, (value, ok) in enumerate(zip(values, measured, strict=True)):
        label = f" {value}%" if ok else " not measured"
        ax.text(max(value, 0), row, label, va="center", fontsize=FONT_SIZE - 2)
    ax.set_yticks(range(rows))
    ax.set_yticklabels([n[:40] + ("…" if len(n) > 40 else "") for n in table["indicator"]],
                       fontsize=FONT_SIZE - 1)
    ax.invert_yaxis()
    ax.set_xlim(low, top)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.axvline(100, color="black", linewidth=1.5)
    ax.text(100, -0.75, " target", fontsize=FONT_SIZE - 2, va="bottom")
    handles = [Patch(facecolor=c, edgecolor="black", label=k) for k, c in KIND_COLOURS.items()]
    if "expected_pct" in table.columns and rows:
        expected = int(table["expected_pct"].iloc[0])
        ax.axvline(expected, color="#555555", linestyle="--", linewidth=1.5)
        ax.text(expected, -0.75, f" expected by now ({expected}%)", fontsize=FONT_SIZE - 2,
                va="bottom", color="#555555")
    ax.set_ylim(rows - 0.5, -1.2)
    ax.set_xlabel("Progress from baseline towards target (%)", fontsize=FONT_SIZE)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 2)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(handles=handles, loc="lower right", fontsize=FONT_SIZE - 2, title="Kind",
              title_fontsize=FONT_SIZE - 2)
    ax.set_title(title or "Progress of each indicator at the review", fontsize=FONT_SIZE + 1)
    return fig
