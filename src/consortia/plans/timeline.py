"""A plan drawn: its Gantt chart (as a matplotlib figure or a fast SVG) and its phase coverage.

:func:`gantt_layout` works out once what a plan's timeline shows (rows, colours,
milestones, the shaded months of the 2014 work programme); :func:`plan_gantt` draws
it with matplotlib for pages and print, :func:`plan_gantt_svg` writes the same
layout as SVG in a few milliseconds for the live planner. :func:`phase_coverage`
shows which of the ten phases a plan covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from consortia.content import methodology
from consortia.content.programme import work_programme
from consortia.figures import FONT_SIZE, PHASE_COLOURS, PROGRAMME_COLOUR, new_figure, style_axis
from consortia.plans.model import MARKET_MILESTONES


@dataclass(frozen=True)
class GanttRow:
    """One activity as drawn: where its bar goes, its colour and its label."""

    label: str
    start: float
    width: float
    colour: str
    flagged: bool  # an impossible value (unknown phase, no duration): drawn hatched


@dataclass(frozen=True)
class GanttLayout:
    """Everything a Gantt chart of a plan shows, worked out once for every renderer."""

    title: str
    rows: list[GanttRow]
    milestones: list[tuple[int, str, bool]]  # month, label, faces the market
    x_min: float
    x_max: float
    legend: list[tuple[str, str]]  # colour, phase label
    early_months: int  # the first months, when the early phases are due: shaded


def _short(text: str, limit: int) -> str:
    return text[:limit] + ("…" if len(text) > limit else "")


def gantt_layout(plan, title: str | None = None) -> GanttLayout:
    """Rows, milestones and axis range of a plan's Gantt chart.

    Activities are listed in start order; bars of impossible activities keep a
    visible width and are flagged so that the chart shows the mistake.
    """
    activities = sorted(plan.activities, key=lambda a: (a.start_month, a.phase, a.id))
    rows = [
        GanttRow(
            label=f"{a.id}  {_short(a.title, 38)}",
            start=a.start_month,
            width=max(a.duration_months, 0.3),
            colour=PHASE_COLOURS.get(a.phase, "#ffffff"),
            flagged=a.phase not in PHASE_COLOURS or a.duration_months < 1,
        )
        for a in activities
    ]
    milestones = [(m.month, _short(m.title, 30), m.kind in MARKET_MILESTONES)
                  for m in sorted(plan.milestones, key=lambda m: m.month)]
    x_max = max([plan.horizon_months, *(a.end_month for a in activities),
                 *(m.month for m in plan.milestones)]) + 0.5
    x_min = min([0, *(a.start_month for a in activities)])
    used = sorted({a.phase for a in activities if a.phase in PHASE_COLOURS})
    return GanttLayout(
        title=title or f"{plan.consortium}: action plan",
        rows=rows, milestones=milestones, x_min=x_min, x_max=x_max,
        legend=[(PHASE_COLOURS[n], methodology.phase_label(n)) for n in used],
        early_months=work_programme().early_months,
    )


def plan_gantt(plan, title: str | None = None):
    """A Gantt chart of a plan: one bar per activity, coloured by phase, on a month axis.

    Activities are listed top to bottom in start order; milestones are drawn as
    dashed vertical lines labelled at the top (market-facing ones, fairs and
    launches, in bold); the first months, when phases III-V are due (SELA 2014 §8,
    ``data/work_programme.yaml``), are shaded. Activities with impossible values (a
    phase that does not exist, no duration) are still drawn, hatched, so the chart
    never hides a mistake. For
    the live planner, :func:`plan_gantt_svg` draws the same layout much faster.
    """
    from matplotlib.patches import Patch

    layout = gantt_layout(plan, title)
    count = max(len(layout.rows), 1)
    height = min(2.4 + 0.3 * count, 16)
    fig = new_figure(layout=None, figsize=(13, height))
    # margins in inches, placed by hand (fast): labels on the left, legend on the right
    fig.subplots_adjust(left=3.6 / 13, right=1 - 2.6 / 13, bottom=0.9 / height,
                        top=1 - 0.55 / height)
    ax = fig.subplots()
    ax.axvspan(0, layout.early_months, color=PROGRAMME_COLOUR, alpha=0.12, zorder=0)
    ax.set_yticks([])
    if layout.rows:
        bars = ax.barh(range(len(layout.rows)), [r.width for r in layout.rows],
                       left=[r.start for r in layout.rows],
                       color=[r.colour for r in layout.rows], edgecolor="black", height=0.7)
        to_left = ax.get_yaxis_transform()
        for index, (bar, row) in enumerate(zip(bars, layout.rows, strict=True)):
            if row.flagged:
                bar.set_hatch("//")
            # row labels as plain texts: much cheaper to draw than axis ticks
            ax.text(-0.01, index, row.label, transform=to_left, ha="right", va="center",
                    fontsize=FONT_SIZE - 3)
    else:
        ax.text((layout.x_min + layout.x_max) / 2, 0,
                "No activities yet: add one to see it here.",
                ha="center", va="center", fontsize=FONT_SIZE)
    # milestones: dashed lines, labels on two staggered lines above the bars
    ax.set_ylim(count - 0.5, -2.0 if layout.milestones else -0.5)
    for index, (month, label, market) in enumerate(layout.milestones):
        ax.axvline(month, color="#D55E00" if market else "#555555", linestyle="--",
                   linewidth=1.6 if market else 1)
        # labels near the right edge run leftwards so that they are not cut off
        near_end = month > layout.x_min + 0.7 * (layout.x_max - layout.x_min)
        ax.text(month, -0.95 - 0.7 * (index % 2), f"{label} " if near_end else f" {label}",
                fontsize=FONT_SIZE - 3, fontweight="bold" if market else "normal",
                va="center", ha="right" if near_end else "left", clip_on=True)
    ax.set_xlim(layout.x_min, layout.x_max)
    ax.set_xlabel("Month of the plan", fontsize=FONT_SIZE)
    style_axis(ax)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 2)
    ax.set_title(layout.title, fontsize=FONT_SIZE + 1)
    if layout.legend:
        ax.legend(handles=[Patch(facecolor=colour, edgecolor="black", label=label)
                           for colour, label in layout.legend],
                  loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=FONT_SIZE - 3,
                  title="Phase", title_fontsize=FONT_SIZE - 3, frameon=False)
    return fig


def plan_gantt_svg(plan, title: str | None = None) -> str:
    """The plan's Gantt chart as a small SVG document, drawn directly (no matplotlib).

    Same layout, colours and labels as :func:`plan_gantt`, in a few milliseconds
    instead of tens: the planner widget redraws with this after every change. The
    browser lays out the text, so labels stay sharp at any zoom.
    """
    layout = gantt_layout(plan, title)
    row_h, left, right, top_pad = 24, 300, 230, 70 if layout.milestones else 40
    plot_w = 620
    count = max(len(layout.rows), 1)
    height = top_pad + count * row_h + 50
    width = left + plot_w + right
    span = layout.x_max - layout.x_min or 1

    def x(month: float) -> float:
        return left + (month - layout.x_min) / span * plot_w

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" '
        'font-size="12">',
        '<defs><pattern id="flag" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="black" '
        'stroke-width="1.5"/></pattern></defs>',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left + plot_w / 2}" y="20" text-anchor="middle" font-size="15">'
        f"{escape(layout.title)}</text>",
    ]
    bottom = top_pad + count * row_h
    shade_end = min(x(layout.early_months), left + plot_w)
    out.append(f'<rect x="{x(0):.1f}" y="{top_pad - 6}" width="{shade_end - x(0):.1f}" '
               f'height="{bottom - top_pad + 6}" fill="{PROGRAMME_COLOUR}" fill-opacity="0.12"/>')
    step = 1 if span <= 12 else 3 if span <= 36 else 6 if span <= 72 else 12
    tick = int(layout.x_min // step * step)
    while tick <= layout.x_max:
        if tick >= layout.x_min:
            out.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top_pad - 6}" '
                       f'y2="{bottom}" stroke="#ddd"/><text x="{x(tick):.1f}" '
                       f'y="{bottom + 16}" text-anchor="middle">{tick}</text>')
        tick += step
    out.append(f'<text x="{left + plot_w / 2}" y="{bottom + 38}" text-anchor="middle" '
               'font-size="13">Month of the plan</text>')
    for index, row in enumerate(layout.rows):
        y = top_pad + index * row_h
        fill = row.colour
        out.append(f'<text x="{left - 8}" y="{y + row_h / 2 + 4}" text-anchor="end">'
                   f"{escape(row.label)}</text>")
        out.append(f'<rect x="{x(row.start):.1f}" y="{y + 3}" '
                   f'width="{row.width / span * plot_w:.1f}" height="{row_h - 6}" '
                   f'fill="{fill}" stroke="black"/>')
        if row.flagged:
            out.append(f'<rect x="{x(row.start):.1f}" y="{y + 3}" '
                       f'width="{row.width / span * plot_w:.1f}" height="{row_h - 6}" '
                       'fill="url(#flag)"/>')
    if not layout.rows:
        out.append(f'<text x="{left + plot_w / 2}" y="{top_pad + row_h / 2 + 4}" '
                   'text-anchor="middle" font-size="14">No activities yet: add one to see '
                   "it here.</text>")
    for index, (month, label, market) in enumerate(layout.milestones):
        colour = "#D55E00" if market else "#555555"
        out.append(f'<line x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{32 + 16 * (index % 2)}" '
                   f'y2="{bottom}" stroke="{colour}" stroke-dasharray="5,3" '
                   f'stroke-width="{1.8 if market else 1}"/>')
        near_end = month > layout.x_min + 0.7 * span
        anchor = (f'x="{x(month) - 3:.1f}" text-anchor="end"' if near_end
                  else f'x="{x(month) + 3:.1f}"')
        out.append(f'<text {anchor} y="{44 + 16 * (index % 2)}" '
                   f'font-weight="{"bold" if market else "normal"}">{escape(label)}</text>')
    out.append(f'<rect x="{left}" y="{top_pad - 6}" width="{plot_w}" '
               f'height="{bottom - top_pad + 6}" fill="none" stroke="black"/>')
    if layout.legend:
        lx = left + plot_w + 20
        out.append(f'<text x="{lx}" y="{top_pad + 4}" font-weight="bold">Phase</text>')
        for index, (colour, label) in enumerate(layout.legend):
            ly = top_pad + 14 + index * 20
            out.append(f'<rect x="{lx}" y="{ly}" width="16" height="12" fill="{colour}" '
                       f'stroke="black"/><text x="{lx + 22}" y="{ly + 11}">'
                       f"{escape(label)}</text>")
    out.append("</svg>")
    return "".join(out)


def phase_coverage(plan, title: str | None = None):
    """Which of the ten phases a plan covers: months of work planned in each phase.

    Phases with no activity show an empty row marked "not planned", so a team sees
    at a glance which parts of the methodology its plan leaves out.
    """
    months = dict.fromkeys(range(1, 11), 0)
    counts = dict.fromkeys(range(1, 11), 0)
    for a in plan.activities:
        if a.phase in months and a.duration_months > 0:
            months[a.phase] += a.duration_months
            counts[a.phase] += 1
    fig = new_figure(figsize=(10, 5.5))
    ax = fig.subplots()
    numbers = list(range(1, 11))
    ax.barh(numbers, [months[n] for n in numbers],
            color=[PHASE_COLOURS[n] for n in numbers], edgecolor="black", height=0.7)
    top = max(months.values()) or 1
    for n in numbers:
        label = (f"{counts[n]} activit{'y' if counts[n] == 1 else 'ies'}, {months[n]} mo"
                 if counts[n] else "not planned")
        ax.text(months[n] + top * 0.01, n, f" {label}", va="center", fontsize=FONT_SIZE - 2,
                style="normal" if counts[n] else "italic")
    ax.set_yticks(numbers)
    ax.set_yticklabels([methodology.phase_label(n) for n in numbers], fontsize=FONT_SIZE - 1)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.35)
    ax.set_xlabel("Months of activity planned (sum over activities)", fontsize=FONT_SIZE)
    covered = sum(1 for n in numbers if counts[n])
    ax.set_title(title or f"Phases covered: {covered} of 10", fontsize=FONT_SIZE + 1)
    style_axis(ax)
    return fig
