"""A plan's one-page view shown inside a notebook, in a frame of its own, and saved to a file.

:func:`consortia.plan_page.render_plan_page` writes a plan as a complete HTML
document (summary, timeline, activities, indicators, findings), meant to be opened
in a browser, printed or e-mailed. Pasting that document straight into a notebook
output would let its page styles (fonts, margins of ``body``) restyle the whole
notebook. :func:`plan_preview` shows it instead inside a sandboxed ``<iframe>``
whose content travels with the output (``srcdoc``): the page looks exactly as it
will in a browser, the notebook around it is untouched, and the preview also works
offline and in the kit's static site. ``save`` writes the same page to a file::

    from consortia.plan_preview import plan_preview

    preview = plan_preview("my_plan.json")   # or an ActionPlan
    preview                                  # shows the page in the notebook
    preview.save("my_plan.html")             # the page to project, print or send
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from consortia.models import ActionPlan
from consortia.plan import load_plan
from consortia.plan_page import render_plan_page

#: Height of the frame in pixels when none is given: about one screen.
DEFAULT_HEIGHT = 640


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

    A path is read with :func:`consortia.plan.load_plan`, so a broken file raises
    :class:`~consortia.plan.PlanFileError` with a message that says what to fix.
    ``generated`` is the date printed at the foot of the page (default: now).
    """
    if not isinstance(plan, ActionPlan):
        plan = load_plan(plan)
    if height < 100:
        raise ValueError(f"height must be at least 100 pixels to be readable, not {height}")
    page = render_plan_page(plan, generated=generated)
    return PlanPreview(page=page, title=f"{plan.consortium}: action plan", height=height)
