"""A static web site of the course: every lesson and case study, executed, as HTML pages.

``consortia course build --out DIR`` runs each notebook in a fresh kernel (in a
scratch folder, so nothing is written into the kit), removes the cells tagged
``trainer`` unless ``--trainer`` is given, keeps the "Going further" cells (tagged
``more``) folded, turns interactive widgets into static text (a self-check becomes
its question with the answer folded away; a planner becomes a note to open the
notebook), and writes one page per notebook plus an
index in syllabus order. The pages carry their charts as embedded images, so the
folder can be read offline, copied to a USB key or printed.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from consortia._paths import case_studies_dir, course_dir
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
                          names.get(path.stem) or _first_heading(path), "Case studies"))
    guide = course_dir() / "trainer_guide.ipynb"
    if trainer and guide.is_file():
        found.append(Page(guide, "trainers/trainer_guide.html", "Trainer's guide",
                          "For trainers"))
    if only is not None:
        found = [p for p in found if p.source.stem in only]
    return found


def _first_heading(path: Path) -> str:
    """The first markdown heading of a notebook (its title), or its file name."""
    import json

    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem.replace("_", " ").capitalize()


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


def render_page(source: Path, trainer: bool, timeout: int = 300) -> str:
    """Execute one notebook in a scratch folder and return its HTML page."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(source, as_version=4)
    if not trainer:
        nb.cells = [c for c in nb.cells if "trainer" not in c.metadata.get("tags", [])]
    fold_going_further(nb)
    with tempfile.TemporaryDirectory(prefix="consortia-site-") as scratch:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": scratch}}).execute()
    _static_outputs(nb)
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    # the pages need no outside scripts (no maths, widgets are static): drop the CDN
    # links so that a page opened offline makes no request at all
    return re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', "", body)


def _render_job(job: tuple[str, str, bool]) -> tuple[str, str]:
    source, target, trainer = job
    return target, render_page(Path(source), trainer)


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
    import os

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
    jobs = [(str(p.source), p.target, trainer) for p in site_pages]
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
