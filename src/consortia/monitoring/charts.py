"""Small SVG charts of one indicator over the review periods: actual against target.

A dashboard of a hundred teams shows hundreds of these, so they are written as SVG
text directly (a few microseconds each) rather than drawn with matplotlib. Each chart
shows the planned path from the baseline to the target (dashed), the period targets
(open squares) and the actuals reported (dots joined by a line, coloured by the
state of the period), with the periods along the bottom.
"""

from __future__ import annotations

from html import escape

from consortia.plans import progress
from consortia.plans.model import ActionPlan, Indicator

WIDTH, HEIGHT = 240, 96
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 18


def indicator_chart(plan: ActionPlan, indicator: Indicator) -> str:
    """An inline ``<svg>`` of ``indicator``: targets and actuals per period of ``plan``."""
    found = progress.periods(plan)
    title = escape(f"{indicator.name}: actual against target by review period")
    if indicator.measure == "text":
        marks = []
        for n, p in enumerate(found):
            state = progress.period_state(plan, indicator, p.number).state
            colour, mark = progress.STATE_STYLE[state]
            marks.append(f'<text x="{LEFT + n * 40}" y="40" fill="{colour}" font-size="16">'
                         f'{mark}</text><text x="{LEFT + n * 40}" y="{HEIGHT - 4}" '
                         f'font-size="9">P{p.number}</text>')
        return (f'<svg class="chart" role="img" width="{WIDTH}" height="{HEIGHT}" '
                f'viewBox="0 0 {WIDTH} {HEIGHT}"><title>{title}</title>{"".join(marks)}</svg>')
    targets = [progress.period_target(plan, indicator, p.number) for p in found]
    actuals = []
    for p in found:
        report = plan.indicator_period(indicator.id, p.number)
        usable = report is not None and report.actual is not None and report.status != "sent back"
        actuals.append(report.actual if usable else None)
    values = [indicator.baseline, indicator.target, *targets,
              *(a for a in actuals if a is not None)]
    low, high = min(values), max(values)
    if high == low:
        high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    months = plan.horizon_months

    def x(month: float) -> float:
        return LEFT + plot_w * month / months

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    parts = [
        f'<svg class="chart" role="img" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif"><title>{title}</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#999"/>',
        f'<text x="{LEFT - 3}" y="{y(high) + 3:.1f}" font-size="9" text-anchor="end">'
        f'{high:g}</text>',
        f'<text x="{LEFT - 3}" y="{y(low) + 3:.1f}" font-size="9" text-anchor="end">{low:g}</text>',
        f'<line x1="{x(0):.1f}" y1="{y(indicator.baseline):.1f}" x2="{x(months):.1f}" '
        f'y2="{y(indicator.target):.1f}" stroke="#555" stroke-dasharray="4 3"/>',
    ]
    points = []
    for p, target, actual in zip(found, targets, actuals, strict=True):
        px = x(p.end_month)
        parts.append(f'<rect x="{px - 3:.1f}" y="{y(target) - 3:.1f}" width="6" height="6" '
                     'fill="none" stroke="#333"/>')
        parts.append(f'<text x="{px:.1f}" y="{HEIGHT - 4}" font-size="9" '
                     f'text-anchor="middle">P{p.number}</text>')
        if actual is not None:
            state = progress.period_state(plan, indicator, p.number).state
            colour = progress.STATE_STYLE[state][0]
            points.append(f"{px:.1f},{y(actual):.1f}")
            parts.append(f'<circle cx="{px:.1f}" cy="{y(actual):.1f}" r="4" fill="{colour}">'
                         f'<title>{escape(f"P{p.number}: {actual:g} (target {target:g}), {state}")}'
                         '</title></circle>')
    if len(points) > 1:
        parts.insert(5, f'<polyline points="{" ".join(points)}" fill="none" stroke="#0072B2" '
                        'stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)
