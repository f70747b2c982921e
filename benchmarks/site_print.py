"""How many A4 pages each lesson of the course site prints to, in Chromium.

Run: .venv/bin/python benchmarks/site_print.py [--site DIR] [--all]
Builds the learner edition of the lessons (or reads an earlier build with --site),
prints each page to PDF with Debian's Chromium through Playwright (A4, the page's
own print style) and prints one line per page with its A4 pages, then the total.
--all measures the case studies too. Asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def measure(site: Path, include_cases: bool) -> list[tuple[str, int]]:
    from playwright.sync_api import sync_playwright

    pages = sorted((site / "lessons").glob("*.html"))
    if include_cases:
        pages += sorted((site / "cases").glob("*.html"))
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        for path in pages:
            tab.goto(path.resolve().as_uri())
            found.append((str(path.relative_to(site)), pdf_pages(tab.pdf(format="A4",
                                                                      prefer_css_page_size=True))))
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, help="an earlier build to measure")
    parser.add_argument("--all", action="store_true", help="the case studies too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-print-") as scratch:
        site = args.site
        if site is None:
            from consortia.course import outline
            from consortia.course import site as course_site

            only = [Path(item.file).stem for item in outline.lessons()]
            if args.all:
                only = None
            start = time.perf_counter()
            site = Path(scratch) / "site"
            course_site.build_site(site, only=only, progress=lambda line: None)
            print(f"built in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        results = measure(site, args.all)
    for name, count in results:
        print(f"{count:3d} A4 pages  {name}")
    total = sum(count for _, count in results)
    print(f"{len(results)} pages: {total} A4 pages in all, at most "
          f"{max(count for _, count in results)} for one")


if __name__ == "__main__":
    main()
