"""Tests that print to PDF with Debian's Chromium: skip without it, or fail when CI asks."""

from __future__ import annotations

import os

import pytest

from consortia import pages


def pdf_required() -> None:
    """Skip the calling test when Chromium is missing (fail under ``REQUIRE_BROWSER=1``)."""
    if pages.chromium() is None:
        if os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail("REQUIRE_BROWSER=1 but Chromium is missing: sudo apt-get install "
                        "chromium", pytrace=False)
        pytest.skip("printing to PDF needs Chromium: sudo apt-get install chromium")
