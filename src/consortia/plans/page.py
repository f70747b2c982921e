"""A plan as one self-contained document a chamber can send to SELA or UNIDO, and its preview.

:func:`render_plan_page` writes the plan as a complete HTML document from
``templates/plan_page.html.j2``: who prepared it and when, the plan's facts, its
objectives, its activities on a timeline, its indicators and milestones, and what
the kit's check of the plan says, in plain words. The page is written for readers
outside the course: it shows no internal codes (no rule codes, no activity or
indicator ids, no field names); activities are numbered in the order they start and
the findings name the activity or indicator they concern. Months are calendar
months ("Jun 2014") when the plan has a start date (or one is given for the page),
otherwise months counted from the start ("months 1-2"). A typical plan prints on at
most two A4 pages (``benchmarks/plan_print.py`` measures it); :func:`write_plan_page`
writes the page as ``.html`` or, printed by headless Chromium, as ``.pdf``.

The page has no outside links (styles inline, the timeline drawn in HTML), so a
team can e-mail it, open it offline or print it. Everything a participant typed is
escaped.

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
from consortia.figures import DARK_PHASES, PHASE_COLOURS
from consortia.plans import rules
from consortia.plans.files import load_plan
from consortia.plans.model import MARKET_MILESTONES, ActionPlan, Activity
from consortia.plans.progress import add_months
from consortia.plans.rulebook import SEVERITY_LABELS, SEVERITY_ORDER, rulebook
from consortia.sources import KIT_OWN
from consortia.storage import write_text_atomic

#: Height of the preview frame in pixels when none is given: about one screen.
DEFAULT_HEIGHT = 640


def long_date(day: dt.date) -> str:
    """``2 December 2026``: a date no reader can misread, whatever their country."""
    return f"{day.day} {day:%B %Y}"


def month_name(start: dt.date, month: int) -> str:
    """Plan month ``month`` (0 is the first) as a calendar month: ``Jun 2014``."""
    return f"{add_months(start, month):%b %Y}"


def months_text(start: dt.date | None, first: int, count: int) -> str:
    """When something runs for ``count`` months from plan month ``first`` (0-based).

    ``Jun-Jul 2014``, ``Nov 2014-Jan 2015`` or ``Jun 2014`` with a start date;
    ``months 1-2`` or ``month 1`` without (month 1 being the plan's first month).
    """
    last = first + max(count, 1) - 1
    if start is None:
        return f"month {first + 1}" if last == first else f"months {first + 1}-{last + 1}"
    begin, end = add_months(start, first), add_months(start, last)
    if (begin.year, begin.month) == (end.year, end.month):
        return f"{begin:%b %Y}"
    if begin.year == end.year:
        return f"{begin:%b}-{end:%b %Y}"
    return f"{begin:%b %Y}-{end:%b %Y}"


def moment_text(start: dt.date | None, month: int) -> str:
    """When a milestone falls: the calendar month it falls in, or ``after month 8``."""
    if start is not None:
        return month_name(start, month)
    return "at the start" if month <= 0 else f"after month {month}"


def _in_start_order(plan: ActionPlan) -> list[Activity]:
    return sorted(plan.activities, key=lambda a: (a.start_month, a.phase, a.id))


def _concerns(plan: ActionPlan, subject: str | None, numbers: dict[str, int]) -> str:
    """What a finding is about, in the reader's words (the checker names ids and fields)."""
    if subject in numbers:
        return f"Activity {numbers[subject]}, “{plan.activity(subject).title}”"
    first = (subject or "").split(" ")[0]
    for item in plan.indicators:
        if subject == item.name or first == item.id:
            return f"Indicator “{item.name}”"
    if any(m.title == subject for m in plan.milestones):
        return f"Milestone “{subject}”"
    if first == "review" and subject.removeprefix("review ").isdigit():
        return f"Review {subject.removeprefix('review ')}"
    return "The plan as a whole"


def _findings(plan: ActionPlan, on: dt.date, numbers: dict[str, int]) -> list[dict]:
    """The findings grouped by what they ask (must fix, should fix, worth improving)."""
    book = rulebook()
    groups = []
    found = rules.check_plan(plan, on)
    for severity in SEVERITY_ORDER:
        items = [{"concerns": _concerns(plan, f.subject, numbers),
                  "rule": book[f.code].title,
                  "todo": f.suggestion,
                  "source": "" if f.source == KIT_OWN else f.source}  # no document to cite
                 for f in found if f.severity == severity]
        if items:
            groups.append({"label": SEVERITY_LABELS[severity], "severity": severity,
                           "items": items})
    return groups


def _check_line(groups: list[dict], day: dt.date) -> str:
    if not groups:
        return (f"On {long_date(day)} the plan meets all {len(rulebook())} rules the kit "
                "checks, drawn from the UNIDO methodology and the 2014 commitments of the "
                "country teams.")
    counts = ", ".join(f"{g['label'].lower()}: {len(g['items'])}" for g in groups)
    return f"On {long_date(day)} the kit's check of the plan found points to look at ({counts})."


def _ticks(start: dt.date | None, low: int, high: int) -> list[dict]:
    """Labels along the top of the timeline: every 3, 6 or 12 months, so that they fit
    (a calendar month such as ``Jun 2014`` takes more room than a number)."""
    span = high - low
    if start:
        step = 3 if span <= 9 else 6 if span <= 18 else 12 if span <= 48 else 24
    else:
        step = 3 if span <= 18 else 6 if span <= 48 else 12
    found = []
    for month in range(low - low % step, high, step):
        if month < low or month > high - step / 2:
            continue
        label = month_name(start, month) if start else str(month)
        found.append({"left": 100 * (month - low) / span, "label": label})
    return found


def render_plan_page(plan: ActionPlan, generated: dt.date | dt.datetime | None = None, *,
                     prepared_by: str | None = None, start: dt.date | None = None) -> str:
    """The page of ``plan`` to print or send (a complete HTML document, as text).

    ``generated`` is the day the page is dated and the plan checked on (default
    today); ``prepared_by`` who prepared it (a person or a chamber; left out when
    not given); ``start`` the first day of the plan's month 0 when the plan itself
    has no ``start_date`` (the plan's own date wins: one fact, one home).
    """
    day = generated or dt.date.today()
    day = day.date() if isinstance(day, dt.datetime) else day
    start = plan.start_date or start
    ordered = _in_start_order(plan)
    numbers = {a.id: n for n, a in enumerate(ordered, start=1)}
    low = min([0, *(a.start_month for a in ordered)])
    high = max([plan.horizon_months, *(a.end_month for a in ordered),
                *(m.month for m in plan.milestones)])
    span = max(high - low, 1)

    def left(month: float) -> float:
        return 100 * (month - low) / span

    activities = [
        {"number": numbers[a.id], "title": a.title,
         "phase": methodology.phase_label(a.phase),
         "colour": PHASE_COLOURS.get(a.phase, "#ffffff"), "dark": a.phase in DARK_PHASES,
         "when": months_text(start, a.start_month, a.duration_months),
         "owner": a.owner or "not named",
         "budget": f"{a.budget_usd:,.0f}" if a.budget_usd is not None else "not costed",
         "left": left(a.start_month),
         "width": 100 * max(a.duration_months, 0.3) / span}
        for a in ordered
    ]
    marks = [{"left": left(m.month), "market": m.kind in MARKET_MILESTONES}
             for m in plan.milestones]
    moved_by: dict[str, list[int]] = {}
    for a in ordered:
        for name in a.indicators:
            moved_by.setdefault(name, []).append(numbers[a.id])
    indicators = [
        {"name": i.name, "kind": i.kind or "not chosen yet",
         "baseline": f"{i.baseline:,g} {i.unit}".strip() if i.measure == "number" else "—",
         "target": f"{i.target:,g} {i.unit}".strip() if i.measure == "number" else "in words",
         "phase": methodology.phase_label(i.phase),
         "activities": ", ".join(map(str, moved_by.get(i.name, []))) or "none"}
        for i in plan.indicators
    ]
    milestones = [
        {"when": moment_text(start, m.month), "title": m.title,
         "market": m.kind in MARKET_MILESTONES,
         "reached": long_date(m.reached_on) if m.reached_on else ""}
        for m in sorted(plan.milestones, key=lambda m: m.month)
    ]
    covered = sorted({a.phase for a in plan.activities if methodology.is_phase(a.phase)})
    costed = [a.budget_usd for a in plan.activities if a.budget_usd is not None]
    if start:
        period = (f"{month_name(start, 0)} to {month_name(start, plan.horizon_months - 1)} "
                  f"({plan.horizon_months} months)")
    else:
        period = f"{plan.horizon_months} months (no start date set yet)"
    facts = [
        ("Country", plan.country or "not stated"),
        ("Product", plan.product or "not stated"),
        ("Territory", plan.territory or "not stated"),
        ("Members", (f"{plan.members.count}" if plan.members.count else "number not stated")
         + (f": {', '.join(plan.members.kinds)}" if plan.members.kinds else "")),
        ("Plan period", period),
        ("Reviews", f"every {plan.review_every_months} months" if plan.review_every_months
         else "no review cadence set"),
        ("Budget", f"US$ {sum(costed):,.0f} ({len(costed)} of {len(plan.activities)} "
                   "activities costed)" if plan.activities else "no activities yet"),
        ("Phases covered", (", ".join(methodology.numeral(n) for n in covered)
                            + f" ({len(covered)} of {len(methodology.phases())})")
         if covered else "none yet"),
    ]
    groups = _findings(plan, day, numbers)
    return pages.render(
        "plan_page.html.j2",
        plan=plan,
        prepared_by=(prepared_by or "").strip(),
        dated=long_date(day),
        facts=facts,
        calendar=start is not None,
        activities=activities,
        ticks=_ticks(start, low, high),
        marks=marks,
        indicators=indicators,
        milestones=milestones,
        check_line=_check_line(groups, day),
        findings=groups,
    )


def write_plan_page(plan: ActionPlan, out: Path | str, generated: dt.date | None = None, *,
                    prepared_by: str | None = None,
                    start: dt.date | None = None) -> tuple[Path, int | None]:
    """Write the page of ``plan`` to ``out`` (``.html``, or ``.pdf`` printed by Chromium).

    Returns the path and, for a PDF, its number of A4 pages. Either file is written
    whole or not at all; a missing Chromium raises :class:`consortia.pages.PdfError`
    saying what to install.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise InputError(f"{out.name}: write the page as .html (to open in a browser) or "
                         ".pdf (to print or send)")
    page = render_plan_page(plan, generated, prepared_by=prepared_by, start=start)
    if suffix == ".pdf":
        pages.html_to_pdf(page, out)
        return out, pages.pdf_page_count(out.read_bytes())
    return write_text_atomic(out, page), None


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
        return write_text_atomic(path, self.page)


def plan_preview(
    plan: ActionPlan | str | Path,
    height: int = DEFAULT_HEIGHT,
    generated: dt.date | dt.datetime | None = None,
    prepared_by: str | None = None,
) -> PlanPreview:
    """The one-page view of ``plan`` (a plan, or the path of a plan file) for a notebook.

    A path is read with :func:`consortia.plans.files.load_plan`, so a broken file raises
    :class:`~consortia.plans.files.PlanFileError` with a message that says what to fix.
    ``generated`` is the day the page is dated (default: today), ``prepared_by`` who
    prepared it (see :func:`render_plan_page`).
    """
    if not isinstance(plan, ActionPlan):
        plan = load_plan(plan)
    if height < 100:
        raise InputError(f"height must be at least 100 pixels to be readable, not {height}")
    page = render_plan_page(plan, generated=generated, prepared_by=prepared_by)
    return PlanPreview(page=page, title=f"{plan.consortium}: action plan", height=height)
