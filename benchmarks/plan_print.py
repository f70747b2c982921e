"""How many A4 pages the page of a plan (``consortia plan show``) prints to, in Chromium.

Run: .venv/bin/python benchmarks/plan_print.py
Renders the plan page of the test fixtures' plans (``tests/support/plan_fixtures.py``:
the typical plan, and the same plan a year on), of a starter plan and of the nine
plans of the illustrative follow-up, prints each to PDF with Debian's Chromium
through Playwright (A4, the page's own print style, as ``benchmarks/site_print.py``
does) and prints one line per plan with its A4 pages and the time to render the
page. Only :func:`consortia.plans.page.render_plan_page` with a plan is called, so
the script also measures an earlier version of the kit (run it with that version's
``src`` first on ``PYTHONPATH``) for a before/after comparison. Asserts nothing.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def plans() -> list[tuple[str, object]]:
    """The plans measured, by name: the fixtures' first (the typical plan)."""
    sys.path.insert(0, str(REPO / "tests" / "support"))
    from consortia.plans.followup import followup_plans
    from consortia.plans.starter import new_plan
    from plan_fixtures import good_plan, reviewed_plan

    found = [("typical plan (good_plan)", good_plan()),
             ("a year on (reviewed_plan)", reviewed_plan()),
             ("starter plan (belize)", new_plan("belize"))]
    found += [(f"follow-up {slug}", plan) for slug, plan in followup_plans().items()]
    return found


def main() -> None:
    from playwright.sync_api import sync_playwright

    from consortia.plans.page import render_plan_page

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        for name, plan in plans():
            start = time.perf_counter()
            html = render_plan_page(plan)
            rendered = time.perf_counter() - start
            tab.set_content(html, wait_until="load")
            count = pdf_pages(tab.pdf(format="A4", prefer_css_page_size=True))
            rows.append((name, count, rendered, len(html)))
        browser.close()
    for name, count, rendered, size in rows:
        print(f"{count:3d} A4 pages  {rendered * 1000:6.0f} ms  {size // 1024:4d} KB  {name}")
    print(f"{len(rows)} plans: at most {max(r[1] for r in rows)} A4 pages for one, "
          f"{rows[0][1]} for the typical plan")


if __name__ == "__main__":
    main()
