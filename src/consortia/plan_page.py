"""A plan as one self-contained HTML page: summary, activities, timeline, indicators, findings.

The page has no outside links (styles inline, charts embedded as images), so a team
can e-mail it, open it offline or print it for a review meeting. Everything a
participant typed is escaped, so a plan cannot inject markup or scripts into it.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape

from consortia import charts, methodology, rules
from consortia.models import ActionPlan

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } .sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.35rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; }
.error { background: #fde2e1; } .warning { background: #fff3cd; }
.advice { background: #e7f1fb; }
.summary { font-weight: bold; padding: 0.5rem; border-radius: 4px; }
img { max-width: 100%; border: 1px solid #ddd; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: bold; } dd { margin: 0; }
footer { color: #666; font-size: 0.85rem; margin-top: 2rem; }
@media print { img { page-break-inside: avoid; } }
"""


def _image(fig, alt: str) -> str:
    data = base64.b64encode(charts.to_png(fig)).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _table(headers: list[str], rows: list[list[object]], row_classes=None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for index, row in enumerate(rows):
        css = f' class="{row_classes[index]}"' if row_classes else ""
        cells = "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row)
        body.append(f"<tr{css}>{cells}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(headers)}"><em>None yet.</em></td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_plan_page(plan: ActionPlan, generated: dt.datetime | None = None) -> str:
    """The HTML page for ``plan`` (a complete document, as text)."""
    findings = rules.check_plan(plan)
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    members = ", ".join(plan.members.kinds) or "not stated"
    facts = [
        ("Country", plan.country or "not stated"),
        ("Product", plan.product or "not stated"),
        ("Territory", plan.territory or "not stated"),
        ("Starts from case", plan.case or "none"),
        ("Members", f"{plan.members.count} ({members})"),
        ("Review", f"every {plan.review_every_months} months" if plan.review_every_months
         else "no review cadence set"),
        ("Horizon", f"{plan.horizon_months} months"),
    ]
    summary_class = "error" if rules.has_errors(findings) else (
        "warning" if findings else "advice")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(plan.consortium)}: action plan</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(plan.consortium)}</h1>",
        '<p class="sub">Action plan for an origin consortium (UNIDO methodology)</p>',
        "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
        + "</dl>",
        f'<p class="summary {summary_class}">Check: {escape(rules.summary(findings))}</p>',
        "<h2>Objectives</h2>",
        "<ul>" + "".join(f"<li>{escape(o)}</li>" for o in plan.objectives) + "</ul>"
        if plan.objectives else "<p><em>No objectives yet.</em></p>",
        "<h2>Timeline</h2>",
        _image(charts.plan_gantt(plan), "Timeline of the plan's activities by phase"),
        "<h2>Activities</h2>",
        _table(
            ["Id", "Activity", "Phase", "Start", "Months", "Owner", "Budget (US$)",
             "Indicators"],
            [[a.id, a.title, methodology.phase_label(a.phase, short=False), a.start_month,
              a.duration_months, a.owner or "—",
              f"{a.budget_usd:,.0f}" if a.budget_usd is not None else "—",
              ", ".join(a.indicators) or "—"]
             for a in sorted(plan.activities, key=lambda a: (a.start_month, a.id))],
        ),
        "<h2>Phases covered</h2>",
        _image(charts.phase_coverage(plan), "Months of work planned in each phase"),
        "<h2>Indicators</h2>",
        _table(
            ["Indicator", "Kind", "Unit", "Baseline", "Target", "Phase"],
            [[i.name, i.kind, i.unit, f"{i.baseline:g}", f"{i.target:g}",
              methodology.phase_label(i.phase, short=False)] for i in plan.indicators],
        ),
        "<h2>Milestones</h2>",
        _table(["Month", "Milestone", "Kind"],
               [[m.month, m.title, m.kind] for m in sorted(plan.milestones,
                                                           key=lambda m: m.month)]),
        "<h2>Findings of the plan check</h2>",
        _table(
            ["Severity", "Code", "What", "Suggestion", "Source"],
            [[f.severity, f.code, f.message, f.suggestion, f.source] for f in findings],
            [f.severity for f in findings],
        ),
        f"<footer>Generated by the origin-consortium course kit on {escape(when)}. "
        "Rules and their sources: SELA 2014 final report and the kit's methodology data."
        "</footer>",
        "</body></html>",
    ]
    return "\n".join(parts)
