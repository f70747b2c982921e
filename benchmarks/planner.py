"""Time what a participant waits for in the phase planner, and how fast plans are validated.

Run: .venv/bin/python benchmarks/planner.py
Prints figures; asserts nothing. Targets: a widget change redrawn (timeline and
findings) within 100 ms for a 40-activity plan; 1,000 plans validated in under 1 s.
"""

from __future__ import annotations

import io
import random
import statistics
import tempfile
import time
from pathlib import Path

ACTIVITIES = 40
RUNS = 20
PLANS = 1000


def forty_activity_plan():
    """A realistic plan with 40 activities spread over the ten phases and 36 months."""
    from consortia.plans.model import Activity, Indicator, Milestone
    from consortia.plans.starter import new_plan

    plan = new_plan("belize").updated(horizon_months=36)
    indicators = [
        Indicator(name="Cacao sold at a premium", kind="economic", unit="t", target=20),
        Indicator(name="Members trained", kind="non-economic", unit="people", target=30),
    ]
    activities = [
        Activity(
            id=f"A{n}",
            title=f"Activity {n}: workshop with producers and partners on step {n}",
            phase=1 + n % 10,
            start_month=(n * 7) % 30,
            duration_months=1 + n % 6,
            owner="Chamber of commerce" if n % 3 else "",
            budget_usd=1000.0 * n if n % 4 else None,
            indicators=[indicators[n % 2].name] if n % 5 else [],
        )
        for n in range(1, ACTIVITIES + 1)
    ]
    milestones = [Milestone(title="National agro-fair", month=10, kind="fair"),
                  Milestone(title="Six-month review", month=6, kind="review")]
    return plan.updated(activities=activities, indicators=indicators, milestones=milestones,
                        objectives=["Sell premium cacao"])


def widget_change(folder: Path) -> dict[str, list[float]]:
    """Seconds from changing an activity's duration and clicking Update to a redrawn widget."""
    from consortia import figures
    from consortia.plans import rules, timeline
    from consortia.plans.files import save_plan
    from consortia.widgets import PhasePlanner

    path = folder / "plan.json"
    save_plan(forty_activity_plan(), path)
    planner = PhasePlanner(path)
    times: dict[str, list[float]] = {"change": [], "svg": [], "mpl": [], "png": [],
                                     "check": [], "typing": []}
    for run in range(RUNS + 2):  # the first two runs warm caches up and are dropped
        planner.activity_selector.value = f"A{1 + run % ACTIVITIES}"
        image, panel = planner.timeline.value, planner.findings_panel.value
        start = time.perf_counter()
        planner.activity_duration.value = planner.activity_duration.value % 6 + 1
        planner.update_activity_button.click()
        elapsed = time.perf_counter() - start
        if planner.timeline.value == image or not planner.status_ok:
            raise SystemExit(f"the change did not redraw: {planner.status_text}")
        del panel  # the findings panel is rebuilt on every change (it may read the same)
        start = time.perf_counter()
        planner.plan_territory.value = f"Toledo District {run}"  # typing: no redraw needed
        typing = time.perf_counter() - start
        if run >= 2:
            times["change"].append(elapsed)
            times["typing"].append(typing)
    plan = planner.plan
    for _ in range(RUNS):
        start = time.perf_counter()
        timeline.plan_gantt_svg(plan)
        times["svg"].append(time.perf_counter() - start)
        start = time.perf_counter()
        timeline.plan_gantt(plan).savefig(io.BytesIO(), format="svg")  # matplotlib's SVG
        times["mpl"].append(time.perf_counter() - start)
        start = time.perf_counter()
        rules.check_plan(plan)
        times["check"].append(time.perf_counter() - start)
    for _ in range(5):
        figure = timeline.plan_gantt(plan)
        start = time.perf_counter()
        figures.to_png(figure)
        times["png"].append(time.perf_counter() - start)
    if planner.unexpected_errors:
        raise SystemExit(planner.unexpected_errors[0])
    return times


def varied_plans(count: int, seed: int = 2014) -> list:
    """``count`` different plans: sizes, phases, owners, indicators, milestones all vary."""
    from consortia.plans.model import ActionPlan, Activity, Indicator, Members, Milestone

    rng = random.Random(seed)
    kinds = ["producers", "public sector", "private sector", "university"]
    slugs = ["belize", "jamaica", "guyana", "suriname", "no-such-case", None]
    plans = []
    for n in range(count):
        indicators = [
            Indicator(name=f"Indicator {k}", kind=rng.choice(["economic", "non-economic"]),
                      baseline=rng.randint(0, 5), target=rng.randint(0, 50),
                      phase=rng.randint(0, 11))
            for k in range(rng.randint(0, 6))
        ]
        names = [i.name for i in indicators] + ["Missing indicator"]
        activities = [
            Activity(
                id=f"A{k}" if rng.random() > 0.02 else "A1",
                title=f"Activity {k} of plan {n}",
                phase=rng.randint(0, 11),
                start_month=rng.randint(-1, 30),
                duration_months=rng.randint(0, 8),
                owner=rng.choice(["", "Chamber", "Ministry", "Growers"]),
                budget_usd=rng.choice([None, 500.0, 2500.0]),
                indicators=rng.sample(names, rng.randint(0, min(2, len(names)))),
                sets_production_rules=rng.random() < 0.1,
                justification=rng.choice([None, None, "Needed early"]),
            )
            for k in range(1, rng.randint(0, 40) + 1)
        ]
        milestones = [
            Milestone(title=f"Milestone {k}", month=rng.randint(-2, 40),
                      kind=rng.choice(["fair", "launch", "review", "legal", "mark", "other"]))
            for k in range(rng.randint(0, 4))
        ]
        plans.append(ActionPlan(
            consortium=f"Consortium {n}",
            case=rng.choice(slugs),
            members=Members(count=rng.randint(0, 200),
                            kinds=rng.sample(kinds, rng.randint(0, 4))),
            objectives=["Sell more"] * rng.randint(0, 2),
            activities=activities,
            indicators=indicators,
            milestones=milestones,
            review_every_months=rng.choice([None, 3, 6, 12]),
            horizon_months=rng.choice([12, 24, 36]),
        ))
    return plans


def validate_many(plans: list) -> tuple[float, int]:
    """Seconds to run the validator on every plan (rules already loaded), and findings."""
    from consortia.plans import rules

    rules.check_plan(plans[0])  # load the rule book and case list once, outside the timing
    start = time.perf_counter()
    found = sum(len(rules.check_plan(plan)) for plan in plans)
    return time.perf_counter() - start, found


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        times = widget_change(Path(folder))
    print(f"widget change -> timeline+findings ({ACTIVITIES} activities), median: "
          f"{ms(times['change'])} (target <= 100 ms; max {max(times['change']) * 1000:.1f} ms "
          f"over {RUNS} runs)")
    print(f"  of which plan_gantt_svg() draws the timeline: {ms(times['svg'])}")
    print(f"  of which check_plan():                        {ms(times['check'])}")
    print(f"  (the matplotlib chart as SVG would take:      {ms(times['mpl'])};")
    print(f"   as PNG:                                      {ms(times['png'])})")
    print(f"typing in a plan field (saved, checked, no redraw), median: {ms(times['typing'])}")

    plans = varied_plans(PLANS)
    activities = sum(len(p.activities) for p in plans)
    seconds, found = validate_many(plans)
    print(f"validate {PLANS} plans: {seconds:.2f} s (target < 1 s; {activities} activities, "
          f"{found} findings)")


if __name__ == "__main__":
    main()
