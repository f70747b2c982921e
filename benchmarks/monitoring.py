"""Time the programme dashboard across many plans and the import of a big workbook.

Run: .venv/bin/python benchmarks/monitoring.py
Prints figures; asserts nothing. Targets (issue 13): ``consortia monitor`` for 100
plans with 4 reviews and 6 indicators each in under 3 s (reading the files, the rows,
the dashboard, the summary and the xlsx); importing a workbook of 1,000 progress rows
in under 2 s (reading it, checking every cell and building the plan).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

PLANS, REVIEWS, INDICATORS = 100, 4, 6
RUNS = 5


def reviewed_plan(n: int, rng: random.Random):
    """A plan started two years ago with four reviews: six indicators with figures and
    evidence in every period, activity updates, and the review meetings."""
    from consortia.plans.model import (
        ActivityUpdate,
        Evidence,
        Indicator,
        IndicatorPeriod,
        Milestone,
        Review,
    )
    from consortia.plans.starter import new_plan

    slugs = ["belize", "guyana", "jamaica", "suriname", "bahamas", "barbados",
             "dominican-republic-casabe", "haiti-grand-anse", "oecs-vincy-klus"]
    plan = new_plan(slugs[n % len(slugs)], consortium=f"Consortium {n}")
    indicators = [Indicator(id=f"I{k}", name=f"Indicator {k} of team {n}",
                            kind="economic" if k % 2 else "non-economic", unit="units",
                            baseline=10, target=100 + 10 * k) for k in range(1, INDICATORS + 1)]
    reports = [IndicatorPeriod(indicator=i.id, period=p, actual=10 + rng.uniform(0, 25) * p,
                               evidence=[Evidence(where=f"team-{n}/p{p}/{i.id}.pdf")],
                               reported_by="secretary", status="accepted")
               for p in range(1, REVIEWS + 1) for i in indicators]
    updates = [ActivityUpdate(activity=a.id, period=REVIEWS, status=rng.choice(
        ["done", "done", "under way", "late"])) for a in plan.activities]
    start = dt.date(2014, 6, 1)
    reviews = [Review(period=p, held_on=start + dt.timedelta(days=183 * p + 10))
               for p in range(1, REVIEWS + 1)]
    return plan.updated(
        start_date=start, indicators=[i.model_dump() for i in indicators],
        indicator_periods=[r.model_dump() for r in reports],
        activity_updates=[u.model_dump() for u in updates],
        reviews=[r.model_dump() for r in reviews],
        milestones=[Milestone(title="Fair", month=8, kind="fair").model_dump()])


def thousand_row_plan():
    """A plan with 50 indicators over 20 review periods: 1,000 progress rows."""
    from consortia.plans.model import Indicator, IndicatorPeriod
    from consortia.plans.starter import new_plan

    plan = new_plan("belize").updated(horizon_months=120, review_every_months=6,
                                      start_date=dt.date(2014, 6, 1))
    indicators = [Indicator(id=f"I{k}", name=f"Indicator {k}", kind="economic", unit="units",
                            baseline=0, target=1000) for k in range(1, 51)]
    reports = [IndicatorPeriod(indicator=i.id, period=p, actual=40.0 * p, comment="ok",
                               reported_by="secretary", status="submitted").model_dump()
               for p in range(1, 21) for i in indicators]
    return plan.updated(indicators=[i.model_dump() for i in indicators],
                        indicator_periods=reports)


def main() -> None:
    from consortia.monitoring.build import build_monitoring
    from consortia.plans.files import save_plan
    from consortia.plans.workbook import export_workbook, import_workbook

    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "plans"
        for n in range(PLANS):
            save_plan(reviewed_plan(n, rng), folder / f"team-{n:03d}.json")
        build_monitoring(folder, Path(scratch) / "warm", on=dt.date(2016, 7, 1))  # imports
        times = []
        for run in range(RUNS):
            started = time.perf_counter()
            built = build_monitoring(folder, Path(scratch) / f"out{run}", on=dt.date(2016, 7, 1))
            times.append(time.perf_counter() - started)
        size = (Path(scratch) / "out0" / "dashboard.html").stat().st_size
        print(f"consortia monitor, {built.plans} plans x {REVIEWS} reviews x {INDICATORS} "
              f"indicators: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
              f"over {RUNS} runs (dashboard {size // 1024} KB; target < 3 s)")

        plan = thousand_row_plan()
        book = export_workbook(plan, Path(scratch) / "big.xlsx")
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = import_workbook(book, plan)
            times.append(time.perf_counter() - started)
        assert result.ok and result.plan == plan
        rows = len(plan.indicator_periods)
        print(f"plan import of a workbook with {rows:,} progress rows: median "
              f"{statistics.median(times):.2f} s, max {max(times):.2f} s over {RUNS} runs "
              "(target < 2 s)")


if __name__ == "__main__":
    main()
