"""A new action plan, pre-filled from a case study and laid over the 2014 work programme.

``consortia plan new --case belize``, the planner and the lessons all start a team
from :func:`new_plan`: the case's country, product and territory, a review cadence
and one starter activity in each early phase, laid end to end over the months the
work programme gives them (``data/work_programme.yaml``). Owners and indicators are
left for the team: the validator lists what is still missing.
"""

from __future__ import annotations

from consortia.content import cases, methodology
from consortia.content.programme import work_programme
from consortia.errors import InputError
from consortia.plans.model import ActionPlan, Activity, Members


def new_plan(case_slug: str | None = None, consortium: str | None = None,
             product: str | None = None) -> ActionPlan:
    """A new plan, pre-filled from a case study when ``case_slug`` is given.

    The plan carries the case's country, its product (the first one, or the one
    named by ``product`` for cases with several) and territory, the programme's
    review cadence (six months, SELA 2014 §21) and one starter activity for each
    early phase (III, IV and V), laid over the first months as the 2014 work
    programme expects (six months, §8). Owners and indicators are left empty for the
    team to fill in: the validator lists what is still missing.
    """
    programme = work_programme()
    fields: dict = {"consortium": consortium or "Our consortium"}
    if case_slug:
        case = cases.case(case_slug)
        chosen = case.products[0]
        if product:
            matches = [p for p in case.products if product.casefold() in p.name.casefold()]
            if not matches:
                names = "; ".join(p.name for p in case.products)
                raise InputError(f"Case {case.slug!r} has no product matching {product!r}. "
                                 f"Its products: {names}.")
            chosen = matches[0]
        fields.update(
            consortium=consortium or f"{case.name} consortium",
            country=case.country,
            product=chosen.name,
            territory=chosen.territory,
            case=case.slug,
        )
    activities = []
    month = 0
    for number in programme.early_phases.phases:
        phase = methodology.phase(number)
        first = next((a for a in phase.activities if a.source == "SELA 2014 §21"),
                     phase.activities[0])
        activities.append(
            Activity(
                id=f"A{len(activities) + 1}",
                title=first.text[:200],
                phase=number,
                start_month=month,
                duration_months=phase.duration_months,
            )
        )
        month += phase.duration_months
    return ActionPlan(
        **fields,
        members=Members(kinds=["producers"]),
        activities=activities,
        review_every_months=programme.review_months,
        horizon_months=24,
    )
