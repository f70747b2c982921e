"""Complete, clean action plans for the tests: each passes every rule of the validator."""

from __future__ import annotations

import datetime as dt

from consortia.plans.model import (
    ActionPlan,
    Activity,
    ActivityUpdate,
    Evidence,
    Indicator,
    IndicatorPeriod,
    Members,
    Milestone,
    Review,
)

MEETINGS = "Members attending monthly meetings"
SALES = "Monthly sales of the consortium"


def good_plan() -> ActionPlan:
    """A Belize chocolate plan that follows the methodology and the 2014 commitments."""

    def act(id_, phase, start, duration, title, **extra):
        return Activity(id=id_, title=title, phase=phase, start_month=start,
                        duration_months=duration, owner="TCGA board", budget_usd=500.0,
                        indicators=extra.pop("indicators", [MEETINGS]), **extra)

    return ActionPlan(
        consortium="Toledo chocolate makers",
        country="Belize",
        product="Premium chocolate",
        territory="Toledo District",
        case="belize",
        members=Members(count=12, kinds=["producers", "public sector", "university"]),
        objectives=["Sell a shared range of chocolate bars in Belize's tourist shops."],
        activities=[
            act("A1", 3, 0, 2, "Agree who may join and the basic rules of production",
                sets_production_rules=True),
            act("A2", 4, 2, 2, "Agree a legal framework with all members"),
            act("A3", 5, 4, 2, "Run a first joint training workshop"),
            act("A4", 7, 6, 3, "Launch a shared bar in tourist shops", indicators=[SALES]),
            act("A5", 8, 6, 3, "Register the association and appoint a manager"),
            act("A6", 9, 9, 6, "Apply for a collective mark with rules of use",
                indicators=[SALES, MEETINGS]),
        ],
        indicators=[
            Indicator(name=MEETINGS, kind="non-economic", unit="members", baseline=5,
                      target=12, phase=3),
            Indicator(name=SALES, kind="economic", unit="US$", baseline=0, target=2000,
                      phase=7),
        ],
        milestones=[
            Milestone(title="National Chocolate Festival stand", month=8, kind="fair"),
            Milestone(title="Six-month review", month=6, kind="review"),
        ],
        review_every_months=6,
        horizon_months=24,
    )


#: The day the reviewed plan is judged on: two review periods have ended.
ON = dt.date(2015, 7, 15)


def reviewed_plan() -> ActionPlan:
    """``good_plan()`` a year on: started 1 June 2014, two reviews held, every figure
    reported on track with its evidence, every activity due by then done. It passes
    every rule on :data:`ON`."""
    plan = good_plan().updated(start_date=dt.date(2014, 6, 1))
    meetings, sales = (plan.indicator(MEETINGS).id, plan.indicator(SALES).id)
    figures = {(meetings, 1): 7, (meetings, 2): 9, (sales, 1): 600, (sales, 2): 1100}
    for (indicator, period), actual in figures.items():
        plan = plan.with_indicator_period(IndicatorPeriod(
            indicator=indicator, period=period, actual=actual,
            evidence=[Evidence(where=f"records/{indicator}-p{period}.pdf")],
            reported_by="TCGA secretary", reported_on=dt.date(2014 + period // 2, 12 - 6 * (
                period - 1), 2), status="accepted"))
    for period, held in ((1, dt.date(2014, 12, 10)), (2, dt.date(2015, 6, 12))):
        plan = plan.with_review(Review(period=period, held_on=held,
                                       decisions="Keep the plan as it is."))
    for activity in plan.activities:
        status = "done" if activity.end_month <= 12 else "under way"
        plan = plan.with_activity_update(ActivityUpdate(activity=activity.id, period=2,
                                                        status=status))
    return plan
