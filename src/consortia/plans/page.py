"""A plan as one self-contained HTML page, to open, print or send, and its preview in a notebook.

:func:`render_plan_page` writes the plan (summary, objectives, timeline, activities,
phases covered, indicators, milestones and what the checks say) as a complete
document from ``templates/plan_page.html.j2``. The page has no outside links (styles
inline, charts embedded as images), so a team can e-mail it, open it offline or
print it for a review meeting. Everything a participant typed is escaped.

Pasting that document straight into a notebook output would let its page styles
restyle the whole notebook. :func:`plan_preview` shows it instead inside a
sandboxed ``<iframe>`` whose content travels with the output (``srcdoc``)::

    from consortia.plans.page import plan_preview

    preview = plan_preview("my_plan.json")   # or an ActionPlan
    preview                                  # shows the page in the notebook
    preview.save("my_plan.html")             # the page to project, print or send
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from consortia import pages
from consortia.content import methodology
from consortia.errors import InputError
from consortia.figures import to_png
from consortia.plans import rules, timeline
from consortia.plans.files import load_plan
from consortia.plans.model import ActionPlan

#: Height of the preview frame in pixels when none is given: about one screen.
DEFAULT_HEIGHT = 640


def render_plan_page(plan: ActionPlan, generated: dt.datetime | None = None) -> str:
    """The HTML page for ``plan`` (a complete document, as text)."""
    findings = rules.check_plan(plan)
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
    activities = [
        [a.id, a.title, methodology.phase_label(a.phase, short=False), a.start_month,
         a.duration_months, a.owner or "—",
         f"{a.budget_usd:,.0f}" if a.budget_usd is not None else "—",
         ", ".join(a.indicators) or "—"]
        for a in sorted(plan.activities, key=lambda a: (a.start_month, a.id))
    ]
    indicators = [
        [i.name, i.kind, i.unit, f"{i.baseline:g}", f"{i.target:g}",
         methodology.phase_label(i.phase, short=False)] for i in plan.indicators
    ]
    milestones = [[m.month, m.title, m.kind]
                  for m in sorted(plan.milestones, key=lambda m: m.month)]
    return pages.render(
        "plan_page.html.j2",
        plan=plan,
        facts=facts,
        summary=rules.summary(findings),
        summary_class=summary_class,
        timeline=pages.png_data_uri(to_png(timeline.plan_gantt(plan))),
        coverage=pages.png_data_uri(to_png(timeline.phase_coverage(plan))),
        activities=activities,
        indicators=indicators,
        milestones=milestones,
        findings=[[f.severity, f.code, f.message, f.suggestion, f.source] for f in findings],
        finding_classes=[f.severity for f in findings],
        generated=(generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M"),
    )


@dataclass(frozen=True)
class PlanPreview:
    """The HTML page of a plan, shown in a frame when it is the last expression of a cell."""

    page: str = field(repr=False)  # a whole HTML document: too long to print
    title: str
    height: int = DEFAULT_HEIGHT

    def _repr_html_(self) -> str:
        # an empty sandbox attribute: no scripts, no forms, no navigation of the notebook
        return (
            f'<iframe title="{escape(self.title)}" srcdoc="{escape(self.page, quote=True)}" '
            f'sandbox="" style="width:100%;height:{self.height}px;border:1px solid #bbb;'
            'background:white"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path, ready to open or send."""
        path = Path(path)
        path.write_text(self.page, encoding="utf-8")
        return path


def plan_preview(
    plan: ActionPlan | str | Path,
    height: int = DEFAULT_HEIGHT,
    generated: dt.datetime | None = None,
) -> PlanPreview:
    """The one-page view of ``plan`` (a plan, or the path of a plan file) for a notebook.

    A path is read with :func:`consortia.plans.files.load_plan`, so a broken file raises
    :class:`~consortia.plans.files.PlanFileError` with a message that says what to fix.
    ``generated`` is the date printed at the foot of the page (default: now).
    """
    if not isinstance(plan, ActionPlan):
        plan = load_plan(plan)
    if height < 100:
        raise InputError(f"height must be at least 100 pixels to be readable, not {height}")
    page = render_plan_page(plan, generated=generated)
    return PlanPreview(page=page, title=f"{plan.consortium}: action plan", height=height)
