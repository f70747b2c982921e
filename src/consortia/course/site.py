"""A static web site of the course: every lesson and case study, executed, as HTML pages.

``consortia course build --out DIR`` runs each notebook in a fresh kernel (in a
scratch folder, so nothing is written into the kit) and writes one page per
notebook plus an index in syllabus order. The "Going further" cells (tagged
``more``) are kept, folded. The pages are handouts, to read offline,
copy to a USB key or print:

* they make no request to the internet: no script at all (interactive widgets are
  turned into static text: a self-check becomes its question with the answer folded
  away, a planner a note to open the notebook), charts are embedded images;
* the code is hidden, and so are the sentences that tell the reader to run a cell;
* every page links to the index and to the previous and next page, and links
  between notebooks (the lesson footer's "Next lesson") lead to the pages;
* a print style keeps a lesson to a few A4 pages (``benchmarks/site_print.py``
  measures it with Chromium's print to PDF);
* the notes for trainers (cells tagged ``trainer``) are left out, unless
  ``--trainer`` asks for the trainer's edition, which shows them set apart and adds
  the trainer's guide.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from consortia._paths import case_studies_dir, course_dir
from consortia.course import notes
from consortia.course.cells import cell_kind, folded, is_folded
from consortia.errors import InputError

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p style="border:1px dashed #999;padding:0.5em"><i>An interactive tool is shown here '
    "when the notebook runs in JupyterLab (run <code>make lab</code> in the kit's "
    "folder and open this notebook).</i></p>"
)


@dataclass(frozen=True)
class Page:
    """One notebook of the site: where it comes from and where its page goes."""

    source: Path
    target: str
    title: str
    group: str  # "Lessons", "Case studies" or "For trainers"
    minutes: int | None = None


def pages(trainer: bool = False, only: list[str] | None = None) -> list[Page]:
    """The notebooks of the site in reading order (``only``: file stems to keep)."""
    from consortia.content.cases import all_cases
    from consortia.course.outline import lessons

    found = [
        Page(course_dir() / item.file, f"lessons/{Path(item.file).stem}.html",
             f"{item.id}. {item.title}", "Lessons", item.minutes)
        for item in lessons()
    ]
    studies = case_studies_dir()
    names = {c.slug: c.name for c in all_cases()}
    # overview notebooks (not a single case) first, then the cases by file name
    for path in sorted(studies.glob("*.ipynb"), key=lambda p: (p.stem in names, p.stem)):
        found.append(Page(path, f"cases/{path.stem}.html",
                          names.get(path.stem) or first_heading(path), "Case studies"))
    guide = course_dir() / "trainer_guide.ipynb"
    if trainer and guide.is_file():
        found.append(Page(guide, "trainers/trainer_guide.html", "Trainer's guide",
                          "For trainers"))
    if only is not None:
        found = [p for p in found if p.source.stem in only]
    return found


def first_heading(path: Path) -> str:
    """The first markdown heading of a notebook (its title), or its file name."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem.replace("_", " ").capitalize()


# --- what a read-only page leaves out ----------------------------------------------------

#: A sentence that tells the reader to run a cell: it starts a line, a list item or a
#: sentence, begins with "Run" (or "Then run", "Now run", "Read each text cell, then
#: run") and speaks of a cell or "it"; it never crosses a blank line.
_RUN_SENTENCE = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?:] )|(?<=\*\* )|(?<=- ))"
    r"(?:(?:Then|Now|First,) )?(?:Read each text cell, then run|[Rr]un)\b"
    r"(?P<body>(?:[^.!?\n]|\n(?![ \t]*\n))*?)"
    r"[.!?](?=\s|$)",
)
_EMPTY_ITEM = re.compile(r"^[ \t]*(?:\d+\.|[-*])[ \t]*$\n?", re.M)


def strip_run_instructions(markdown: str) -> str:
    """``markdown`` without the sentences that ask the reader to run a cell.

    "Run the cell." or "Run the next cell, choose an answer and press Check my
    answer." mean nothing on a printed page, where the cell's result is already
    shown. Sentences about running in general ("Nothing you run here changes the
    kit's files", the menu "Run > Run All Cells") stay.
    """
    def drop(match: re.Match) -> str:
        body = match.group("body")
        if re.search(r"\bcells?\b", body) or body.strip() in ("", "it", "them"):
            return ""
        return match.group(0)

    text = _RUN_SENTENCE.sub(drop, markdown)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return _EMPTY_ITEM.sub("", text)


def _static_outputs(nb) -> None:
    """Replace widget outputs by their static HTML, or by a note when they have none."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                del data[WIDGET_MIME]
                if "text/html" not in data:
                    data["text/html"] = WIDGET_NOTE
                data.pop("text/plain", None)


def fold_going_further(nb) -> None:
    """Wrap every ``more`` cell that is not folded yet, so the page shows it folded."""
    for cell in nb.cells:
        if cell_kind(cell) == "more" and not is_folded(cell.source):
            cell.source = folded(cell.source)


def _prepare_cells(nb, trainer: bool) -> None:
    """Trainer notes out (or, for trainers, set apart); Going further folded; run
    instructions out."""
    if trainer:
        for cell in nb.cells:
            if notes.is_trainer_cell(cell):
                cell.source = notes.set_apart(cell.source, folded=False)
    else:
        nb.cells = [c for c in nb.cells if not notes.is_trainer_cell(c)]
    fold_going_further(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = strip_run_instructions(cell.source)


# --- the page around the notebook ------------------------------------------------------

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_NOTEBOOK_LINK = re.compile(r'<a\b([^>]*?)\bhref="(?P<href>[^"#?:]+\.ipynb)(?P<anchor>#[^"]*)?"'
                            r"(?P<rest>[^>]*)>(?P<text>.*?)</a>", re.S)


def _relative(target: str, start: str) -> str:
    return Path(os.path.relpath(target, Path(start).parent)).as_posix()


def _link_notebooks(html: str, page: Page, site_pages: list[Page]) -> str:
    """Links to notebooks become links to their pages; a notebook not in the site
    (an exercise, the guide in the learner's edition) keeps its text, unlinked."""
    targets = {p.source.resolve(): p.target for p in site_pages}

    def repoint(match: re.Match) -> str:
        linked = (page.source.parent / match.group("href")).resolve()
        if linked not in targets:
            return match.group("text")
        href = _relative(targets[linked], page.target) + (match.group("anchor") or "")
        return f'<a{match.group(1)}href="{href}"{match.group("rest")}>{match.group("text")}</a>'

    return _NOTEBOOK_LINK.sub(repoint, html)


def _navigation(page: Page, site_pages: list[Page], trainer: bool) -> tuple[str, str]:
    """The print style for the page's head, and the navigation bar for its body."""
    from consortia import pages as templates

    position = [p.target for p in site_pages].index(page.target)
    before = site_pages[position - 1] if position > 0 else None
    after = site_pages[position + 1] if position + 1 < len(site_pages) else None

    def link(other: Page | None) -> dict | None:
        return None if other is None else {"href": _relative(other.target, page.target),
                                           "title": other.title}

    nav = templates.render("site_nav.html.j2", index=_relative("index.html", page.target),
                           previous=link(before), next=link(after), trainer=trainer)
    return templates.render("site_print.html.j2"), nav


def _assemble(body: str, page: Page, site_pages: list[Page], trainer: bool) -> str:
    style, nav = _navigation(page, site_pages, trainer)
    body = _SCRIPT.sub("", body)  # the pages need no script: nothing to fetch, offline
    body = _link_notebooks(body, page, site_pages)
    body = body.replace("</head>", style + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    return body.replace("</body>", nav + "</body>", 1)


def render_page(source: Path, trainer: bool, timeout: int = 300,
                site_pages: list[Page] | None = None) -> str:
    """Execute one notebook in a scratch folder and return its HTML page."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    site_pages = site_pages or [p for p in pages(trainer) if p.source == source] or [
        Page(source, f"pages/{source.stem}.html", source.stem, "Pages")]
    page = next(p for p in site_pages if p.source == source)
    nb = nbformat.read(source, as_version=4)
    _prepare_cells(nb, trainer)
    with tempfile.TemporaryDirectory(prefix="consortia-site-") as scratch:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                       resources={"metadata": {"path": scratch}}).execute()
    _static_outputs(nb)
    exporter = HTMLExporter(template_name="lab", embed_images=True, exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    return _assemble(body, page, site_pages, trainer)


def _render_job(job: tuple[str, bool, list[Page]]) -> tuple[str, str]:
    source, trainer, site_pages = job
    page = next(p for p in site_pages if str(p.source) == source)
    return page.target, render_page(Path(source), trainer, site_pages=site_pages)


def index_page(site_pages: list[Page], trainer: bool) -> str:
    """The site's front page: the lessons in order, the case studies, the trainer's guide."""
    from consortia import pages as templates

    groups: dict[str, list[Page]] = {}
    for page in site_pages:
        groups.setdefault(page.group, []).append(page)
    return templates.render("site_index.html.j2", groups=groups, trainer=trainer)


def build_site(out: Path | str, trainer: bool = False, only: list[str] | None = None,
               workers: int | None = None, progress=print) -> list[Path]:
    """Write the site into ``out`` (replacing an earlier build) and return the files written.

    Notebooks are executed in parallel, one kernel per worker (default: one per core).
    A notebook that fails to run stops the build with its name and the error.
    """
    out = Path(out)
    site_pages = pages(trainer, only)
    if not site_pages:
        raise InputError("nothing to build: no notebook matches")
    if out.exists():
        if not (out / "index.html").is_file() and any(out.iterdir()):
            raise InputError(f"{out} exists and is not an earlier build of the site; "
                             "choose an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    jobs = [(str(p.source), trainer, site_pages) for p in site_pages]
    written = []
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for done, (target, html) in enumerate(pool.map(_render_job, jobs), start=1):
            path = out / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
            written.append(path)
            progress(f"[{done}/{len(jobs)}] {target}")
    index = out / "index.html"
    index.write_text(index_page(site_pages, trainer), encoding="utf-8")
    return [index, *written]
