"""HTML pages from the kit's Jinja2 templates (``templates/*.html.j2``).

The plan page, the feedback pages, the cohort report and the course site's index
are whole HTML documents that people open, print and send on. They are written as
templates kept as files, so their markup can be read and changed without touching
Python, and rendered here with autoescaping on: everything a participant typed (a
consortium's name, an objective) or a data file holds is escaped, so no text can
inject markup or scripts into a page. A template that names a value the code does
not pass fails loudly (``StrictUndefined``) instead of printing an empty string.

:func:`html_to_pdf` prints any of these pages to PDF with Chromium's headless
print (the Debian package the browser tests use; nothing is downloaded), so every
page of the kit can also be sent as a PDF. Pages meant for print set their paper
size with CSS (``@page { size: A4 }``).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from consortia._paths import TEMPLATES_DIR
from consortia.errors import KitError

#: Set this environment variable to print PDFs with another Chromium.
CHROMIUM_ENV = "CONSORTIA_CHROMIUM"
#: Seconds a PDF may take to print before the kit gives up.
PDF_TIMEOUT_S = 120


class PdfError(KitError):
    """A page could not be printed to PDF; the message says what to install or check."""


@cache
def environment():
    """The Jinja2 environment of the kit's templates (built once)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["points"] = points
    return env


def render(template: str, **context: object) -> str:
    """The page ``template`` (a file name in ``templates/``) filled with ``context``."""
    return environment().get_template(template).render(**context)


def png_data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` address, so a page carries its charts with it."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def points(value: float | None) -> str:
    """Points as a person writes them: ``2``, ``1.5``; a dash for none."""
    return "–" if value is None else f"{value:g}"


def chromium() -> Path | None:
    """The Chromium that prints PDFs: ``CONSORTIA_CHROMIUM``, else Debian's, else none."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return Path(override) if Path(override).is_file() else None
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def html_to_pdf(page: str, out: Path | str) -> Path:
    """Print the HTML document ``page`` to the PDF file ``out`` with headless Chromium.

    The page is written to a private temporary folder and printed from there (its
    images are embedded, so it needs no network); the PDF is written beside ``out``
    and renamed over it only once complete. Raises :class:`PdfError` if Chromium is
    missing or fails.
    """
    out = Path(out)
    browser = chromium()
    if browser is None:
        raise PdfError("printing to PDF needs Chromium: install it with 'sudo apt-get "
                       "install chromium' (or write the page as .html and print it from a "
                       "browser)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="consortia-pdf-") as scratch:
        source = Path(scratch) / "page.html"
        source.write_text(page, encoding="utf-8")
        target = Path(scratch) / "page.pdf"
        command = [str(browser), "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--no-first-run",
                   "--disable-extensions", f"--user-data-dir={Path(scratch) / 'profile'}",
                   "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=PDF_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium took more than {PDF_TIMEOUT_S} s to print the page") \
                from None
        if not target.is_file() or target.stat().st_size == 0:
            tail = (done.stderr or "").strip().splitlines()[-3:]
            raise PdfError("Chromium did not print the page (" + (" / ".join(tail) or
                           f"exit status {done.returncode}") + ")")
        partial = out.with_name(f".{out.name}.writing")
        shutil.copyfile(target, partial)
        partial.replace(out)
    return out


def pdf_page_count(pdf: bytes) -> int:
    """How many pages a PDF has (counts its page objects; enough for the kit's own PDFs)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
