"""Print or send the plan from the no-code planner page: the page to print, and downloads.

``consortia planner`` shows the planner in a browser without code (Voilà), where a
participant has no command line to run ``consortia plan show``. :class:`PlanSharing`
sits under the planner: the participant types who prepared the plan and presses
*Make the page*; the box then offers

* **Print the plan**: opens the plan's page (:func:`consortia.plans.page.render_plan_page`)
  in a new browser tab and opens the browser's print dialog there (to print on paper
  or save as PDF);
* **Download the page (HTML)**: the same page as a file, to e-mail to SELA or UNIDO;
* **Download the plan file (JSON)**: the plan itself, as the planner saves it.

The three are made from the plan as it stands when the button is pressed, and they
travel inside the page as ``data:`` addresses: the widget writes no file and the
server needs no download route. ipywidgets has no control that opens a page and its
print dialog, so the print button carries a few lines of JavaScript of its own
(``PRINT_SCRIPT``): an ``onclick`` attribute, which the HTML widget keeps (it drops
``<script>`` elements); it only reads the page out of the download link beside it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html

import ipywidgets as w

from consortia.plans.files import plan_to_json
from consortia.plans.page import render_plan_page
from consortia.widgets._view import WidgetView

#: What the print button runs: decode the page from its download link (UTF-8), write
#: it into a new tab, and print that tab once it has loaded.
PRINT_SCRIPT = (
    "var link = this.parentNode.querySelector('a[data-plan-page]');"
    "var bytes = Uint8Array.from(atob(link.href.split(',')[1]), function (c) "
    "{ return c.charCodeAt(0); });"
    "var tab = window.open('', '_blank');"
    "if (!tab) { alert('Your browser blocked the new tab: allow pop-ups for this page, "
    "or download the page and print it from there.'); return false; }"
    "tab.document.open(); tab.document.write(new TextDecoder().decode(bytes));"
    "tab.document.close(); tab.focus();"
    "if (tab.document.readyState === 'complete') { tab.print(); }"
    "else { tab.addEventListener('load', function () { tab.print(); }); }"
    "return false;"
)


def data_address(text: str, media_type: str) -> str:
    """``text`` (UTF-8) as a ``data:`` address a link can download."""
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"data:{media_type};charset=utf-8;base64,{encoded}"


class PlanSharing(WidgetView):
    """The *print or send* box under a :class:`~consortia.widgets.PhasePlanner`.

    ``PlanSharing(planner)`` reads ``planner.plan`` and ``planner.path`` whenever
    :meth:`prepare` runs (the *Make the page* button). Attributes: ``prepared_by``
    (the text box), ``prepare_button``, ``links`` (the HTML with the print button and
    the two downloads, empty until the first press) and ``widget``.
    """

    def __init__(self, planner):
        self.planner = planner
        self.prepared_by = w.Text(description="Prepared by",
                                  placeholder="your name, or your chamber's",
                                  layout=w.Layout(width="420px"),
                                  style={"description_width": "90px"})
        self.prepare_button = w.Button(description="Make the page to print or send",
                                       icon="print", button_style="primary",
                                       layout=w.Layout(width="auto"))
        self.links = w.HTML()
        self.prepare_button.on_click(lambda _button: self.prepare())
        self.widget = w.VBox([
            w.HTML("<h3 style='margin-bottom:2px'>Print or send the plan</h3>"
                   "<div style='color:#444'>The page shows the plan as it is when you press "
                   "the button, with calendar months if the plan has a start date. Press "
                   "it again after more changes.</div>"),
            w.HBox([self.prepared_by, self.prepare_button]),
            self.links,
        ])

    def prepare(self) -> None:
        """Make the page and the plan file of the plan as it stands, and offer them."""
        plan, path = self.planner.plan, self.planner.path
        page = render_plan_page(plan, prepared_by=self.prepared_by.value)
        name = html.escape(path.stem)
        button = ("display:inline-block;padding:4px 12px;margin:4px 8px 4px 0;"
                  "border:1px solid #888;border-radius:3px;background:#f5f5f5;color:#111;"
                  "text-decoration:none;cursor:pointer;font:inherit")
        self.links.value = (
            f"<div style='margin:6px 0'>Ready: the page of <b>{html.escape(plan.consortium)}"
            f"</b> as it stood at {dt.datetime.now():%H:%M}.<br>"
            f'<button type="button" style="{button}" onclick="{html.escape(PRINT_SCRIPT)}">'
            "Print the plan</button>"
            f"<a data-plan-page style='{button}' download='{name}.html' "
            f"href='{data_address(page, 'text/html')}'>Download the page (HTML)</a>"
            f"<a style='{button}' download='{name}.json' "
            f"href='{data_address(plan_to_json(plan), 'application/json')}'>"
            "Download the plan file (JSON)</a></div>"
        )
