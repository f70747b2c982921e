"""The course site as handouts, in Chromium: offline, and a few A4 pages per lesson.

A lesson page is built with ``consortia course build``, opened from disk and
printed to PDF (A4) by Chromium, as a trainer printing handouts would. The figures
for every lesson are measured by ``benchmarks/site_print.py``.
"""

from __future__ import annotations

import re

import pytest

from consortia.course import site

pytestmark = pytest.mark.browser

#: The lesson the review printed at 14 A4 pages; its page must stay well under that.
LESSON = "04_forming_the_group"
MAX_A4_PAGES = 12


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("handouts") / "site"
    site.build_site(root, only=["03_is_this_product_a_candidate", LESSON],
                    progress=lambda line: None)
    return root


def test_a_lesson_page_asks_nothing_of_the_internet_and_prints_on_a_few_pages(
        page, built, screenshot):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((built / "lessons" / f"{LESSON}.html").resolve().as_uri())
    page.wait_for_load_state("networkidle")
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []
    nav = page.locator("nav.kit-nav").first
    assert nav.get_by_role("link", name="Contents").is_visible()
    assert nav.get_by_role("link", name=re.compile("^← 03\\.")).is_visible()
    screenshot("page")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 < pages <= MAX_A4_PAGES, f"{LESSON} prints to {pages} A4 pages"
