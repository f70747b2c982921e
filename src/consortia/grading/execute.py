"""Grade one submission inside a worker: repair, run in the sandbox, collect notes.

For every notebook of a submission, :func:`grade_notebook` copies it into the
submission's private working folder, repairs it with nbgrader's sanitizing
preprocessors (``ClearOutput``, ``DeduplicateIds``, ``OverwriteKernelspec``,
``OverwriteCells``, ``CheckCellMetadata``: deleted or edited test cells are restored
from the source) against a read-only snapshot of the gradebook, then runs nbgrader's
``Execute`` (and ``IgnorePattern``, ``ClearMetadataPreprocessor``, ``LimitOutput``)
with the kernel confined by :mod:`consortia.grading.sandbox`, a wall-clock limit per
notebook and a cap on each cell's output. What nbgrader warns about becomes a short
note for the trainer; any failure becomes a reason a trainer can act on
(:func:`explain`), never an exception. Nothing here writes the gradebook.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar

from consortia.grading import sandbox as sandboxes
from consortia.grading.nbgrader_course import course_directory, load_config

#: A submitted notebook bigger than this is refused (it is almost always saved output).
MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024

#: Output a single cell may produce while graded; the rest is cut (errors always kept).
MAX_CELL_OUTPUT_BYTES = 1024 * 1024

#: Largest file a kernel may write (RLIMIT_FSIZE of the grading workers and kernels).
MAX_WRITTEN_FILE_BYTES = 256 * 1024 * 1024

#: The writing preprocessors run in the parent; everything before them in a worker.
PARENT_PREPROCESSORS = ("SaveAutoGrades", "AssignLatePenalties")


def preprocessor_chains(config) -> tuple[list[type], list[type], list[type]]:
    """nbgrader's (sanitize, execute-in-worker, write-in-parent) preprocessor classes."""
    from nbgrader.converters.autograde import Autograde
    from traitlets.utils.importstring import import_item

    def configured(name: str) -> list[type]:
        value = config.Autograde.get(name) if "Autograde" in config else None
        if not value:
            value = Autograde.class_traits()[name].default()
        return [import_item(v) if isinstance(v, str) else v for v in value]

    sanitize = configured("sanitize_preprocessors")
    autograde = configured("autograde_preprocessors")
    split = next((i for i, pp in enumerate(autograde)
                  if pp.__name__ in PARENT_PREPROCESSORS), len(autograde))
    return sanitize, autograde[:split], autograde[split:]


# --- the log of nbgrader's repairs, turned into notes -----------------------------------


class Notes(logging.Handler):
    """Collects what nbgrader's preprocessors warn about as short notes for the trainer."""

    ATTRIBUTE: ClassVar[dict[str, str]] = {
        "points": "the points of cell '{name}' had been changed to {new}; restored to {old}",
        "locked": "cell '{name}' had been unlocked; it was locked again",
        "cell_type": "cell '{name}' had been changed from {old} to {new}; changed back",
    }
    PATTERNS: ClassVar[tuple] = (
        (re.compile(r"Missing grade cell (\S+) encountered"),
         "test cell '{0}' had been deleted; it was restored from the source"),
        (re.compile(r"Cell with id '(.+)' exists multiple times"),
         "cell '{0}' appears more than once; only its last copy is graded"),
        (re.compile(r"Cell '(.+)' does not exist in the database"),
         "cell '{0}' is not part of the assignment; its grading marks were ignored"),
        (re.compile(r"Timeout waiting for execute reply \((\d+)s\)"),
         "a cell ran longer than {0} s and was stopped; its tests score zero"),
        (re.compile(r"is (\S+) seconds late"), "submitted {0} seconds after the deadline"),
        (re.compile(r"Late submission penalty: (\S+)"), "late-submission penalty: {0} points"),
    )

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.notes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        note = self.translate(record)
        if note and note not in self.notes:
            self.notes.append(note)

    def translate(self, record: logging.LogRecord) -> str | None:
        if str(record.msg).startswith("Attribute '%s' for cell") and len(record.args) == 4:
            attr, name, old, new = record.args
            if attr == "checksum":  # also logged for every test cell with hidden tests
                return None  # real edits are found by comparing with the release
            return self.ATTRIBUTE.get(attr, "cell '{name}': {attr} changed").format(
                name=name, attr=attr, old=old, new=new)
        text = record.getMessage()
        for pattern, template in self.PATTERNS:
            match = pattern.search(text)
            if match:
                return template.format(*match.groups())
        return None


@contextlib.contextmanager
def collecting_notes():
    logger = logging.getLogger(f"consortia.grading.nbgrader.{os.getpid()}.{time.monotonic_ns()}")
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    handler = Notes()
    logger.addHandler(handler)
    try:
        yield logger, handler.notes
    finally:
        logger.removeHandler(handler)
        logging.Logger.manager.loggerDict.pop(logger.name, None)


# --- files of a submission ----------------------------------------------------------------


def copy_files(source: Path, dest: Path, *, ignore: Sequence[str], exclude: Iterable[str] = (),
               max_bytes: int, notes: list[str] | None = None) -> None:
    """Copy the non-notebook files of ``source`` into ``dest`` as nbgrader does, but safely.

    Symbolic links and special files are never followed or copied (a link could point at
    another participant's work or at the grader's files); files over ``max_bytes`` are
    skipped. ``exclude`` lists paths relative to ``source`` not to copy.
    """
    from nbgrader.utils import find_all_files

    if not source.is_dir():
        return
    excluded = {os.path.normpath(x) for x in exclude}
    for filename in sorted(find_all_files(str(source), [*ignore, "*.ipynb"])):
        path = Path(filename)
        relative = path.relative_to(source)
        if os.path.normpath(relative) in excluded:
            continue
        if any(p.is_symlink() for p in [path, *path.parents] if source in p.parents):
            if notes is not None:
                notes.append(f"ignored '{relative}': a symbolic link is not graded")
            continue
        if not path.is_file():
            continue
        if path.stat().st_size > max_bytes:
            if notes is not None:
                notes.append(f"ignored '{relative}': larger than {max_bytes // 1024 ** 2} MB")
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        shutil.copyfile(path, target)


# --- what a worker is given and gives back (picklable) --------------------------------


@dataclass
class Job:
    """Everything a worker needs to grade one submission (picklable)."""

    student: str
    assignment: str
    notebooks: list[str]
    submitted: str
    source: str
    release: str
    course: str
    overrides: dict
    db_url: str
    sandbox: sandboxes.Sandbox
    work_root: str
    notebook_timeout: float


@dataclass
class NotebookRun:
    name: str
    ok: bool
    notebook: str | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class JobResult:
    student: str
    assignment: str
    runs: list[NotebookRun]
    notes: list[str]
    seconds: float


def kill_kernel(km) -> None:
    from jupyter_core.utils import run_sync

    if km is None:
        return
    with contextlib.suppress(Exception):
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    with contextlib.suppress(Exception):
        run_sync(km.cleanup_resources)()


@cache
def repair_class():
    """Works around nbgrader 0.9.6 failing on duplicated graded cells.

    ``DeduplicateIds`` empties the ``nbgrader`` metadata of earlier copies; with
    ``OverwriteCells.add_missing_cells`` on, nbgrader then fails with ``KeyError:
    'grade_id'``. Removing the emptied metadata (which marks nothing) lets the notebook
    be graded: the earlier copies run as ordinary code, the last copy is graded.
    """
    from nbgrader.preprocessors import NbGraderPreprocessor

    class DropEmptyGradingMetadata(NbGraderPreprocessor):
        def preprocess_cell(self, cell, resources, index):
            if "nbgrader" in cell.metadata and not cell.metadata["nbgrader"]:
                del cell.metadata["nbgrader"]
            return cell, resources

    return DropEmptyGradingMetadata


@cache
def execute_class():
    """nbgrader's ``Execute``, with the kernel started through the sandbox (built lazily)."""
    from nbformat import NotebookNode
    from nbgrader.preprocessors import Execute

    class ConfinedExecute(Execute):
        """``Execute`` plus a sandboxed kernel, a notebook deadline and an output cap."""

        def confine(self, sandbox: sandboxes.Sandbox, cwd: Path, runtime: Path,
                    notebook_timeout: float, prestarted=None) -> ConfinedExecute:
            self._box = (sandbox, cwd, runtime)
            self._prestarted = prestarted
            self.shutdown_kernel = "immediate"  # all cells have run: no need to wait
            self._budget = notebook_timeout
            self._deadline: float | None = None
            self._out_bytes: dict[int, int] = {}
            self._cut: set[int] = set()
            self.skipped_cells = 0
            return self

        def create_kernel_manager(self):
            sandbox, cwd, runtime = self._box
            name = (self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name")
                    or "python3")
            km, self._prestarted = self._prestarted, None
            if km is not None and km.kernel_name == name and km.has_kernel:
                self.km = km
                return km
            kill_kernel(km)
            self.km = sandboxes.kernel_manager(sandbox, cwd=cwd, runtime=runtime,
                                               kernel_name=name, config=self.config)
            return self.km

        def preprocess(self, nb, resources=None, km=None):
            self._deadline = time.monotonic() + self._budget
            return super().preprocess(nb, resources, km)

        def _get_timeout(self, cell):
            timeout = super()._get_timeout(cell)
            if self._deadline is None:
                return timeout
            left = max(1, int(self._deadline - time.monotonic()) + 1)
            return left if timeout is None else min(timeout, left)

        def preprocess_cell(self, cell, resources, index):
            if (self._deadline is not None and time.monotonic() > self._deadline
                    and cell.cell_type == "code" and cell.source.strip()):
                cell.outputs = [NotebookNode(
                    output_type="error", ename="NotebookTimeout",
                    evalue=f"not run: the notebook used up its {self._budget:g} s",
                    traceback=[f"NotebookTimeout: not run: the notebook used up its "
                               f"{self._budget:g} s"])]
                self.skipped_cells += 1
                return cell, resources
            return super().preprocess_cell(cell, resources, index)

        def output(self, outs, msg, display_id, cell_index):
            kind = msg["msg_type"]
            if kind in ("error", "execute_result"):  # both decide the grade: always kept
                return super().output(outs, msg, display_id, cell_index)
            content = msg.get("content", {})
            size = len(content.get("text", "")) + sum(
                len(str(v)) for v in content.get("data", {}).values())
            used = self._out_bytes.get(cell_index, 0) + size
            self._out_bytes[cell_index] = used
            if used <= MAX_CELL_OUTPUT_BYTES:
                return super().output(outs, msg, display_id, cell_index)
            stream = content.get("name", "stdout") if kind == "stream" else "stdout"
            if (cell_index, stream) not in self._cut:
                # one marker per stream: a cut stderr still counts against the test, as in
                # nbgrader, where any stderr output in a test cell scores zero
                self._cut.add((cell_index, stream))
                outs.append(NotebookNode(
                    output_type="stream", name=stream,
                    text=f"\n... output cut by the grader after "
                         f"{MAX_CELL_OUTPUT_BYTES // 1024 ** 2} MB ...\n"))
            return None

    return ConfinedExecute


def make_exporter(preprocessors: list, config, log):
    from nbconvert.exporters import NotebookExporter

    exporter = NotebookExporter(config=config, log=log)
    exporter._preprocessors = []
    for pp in preprocessors:
        exporter.register_preprocessor(pp)
    return exporter


def explain(exc: BaseException) -> str:
    """A reason a trainer can act on, for an exception raised while grading a notebook."""
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if name == "NotJSONError":
        return "not a notebook: the file is not valid JSON (damaged, or not saved by Jupyter)"
    if isinstance(exc, UnicodeDecodeError):
        return "not a notebook: the file is not text (UTF-8)"
    if name in ("NBFormatError", "ValidationError") and "nbgrader" not in text:
        return f"not a valid notebook: {text[:200]}"
    if name in ("ValidationError", "SchemaTooOldError", "SchemaTooNewError"):
        return f"the notebook's grading metadata is damaged: {text[:200]}"
    if name == "CellTimeoutError":
        return ("the code did not stop when interrupted after the time limit "
                "(an endless loop that ignores interrupts)")
    if name == "DeadKernelError":
        return "the kernel died while running the notebook (it ran out of memory or exited)"
    if name == "KeyError" and "grade" in repr(exc).lower():
        return "cells were deleted in a way nbgrader cannot repair"
    if isinstance(exc, json.JSONDecodeError | RecursionError):
        return "not a notebook: the file is not valid JSON"
    return f"grading failed: {name}: {text[:200]}"


def protected_sources(path: Path) -> dict[str, str]:
    """Source of each locked cell of a notebook file, by grade id (the last copy wins)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    found = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = ((cell.get("metadata") or {}).get("nbgrader") or {}) if isinstance(cell, dict) \
            else {}
        if isinstance(meta, dict) and meta.get("grade_id") and meta.get("locked"):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            found[str(meta["grade_id"])] = source.replace("\r\n", "\n").strip()
    return found


def edited_cells(submitted: Path, release: Path) -> list[str]:
    """Locked cells (tests, instructions) whose source the participant changed.

    nbgrader restores them from the source and logs a checksum change for every test
    cell with hidden tests, edited or not; comparing with the release tells the two apart.
    """
    released = protected_sources(release)
    mine = protected_sources(submitted)
    return [gid for gid, text in released.items() if gid in mine and mine[gid] != text]


def grade_notebook(job: Job, name: str, work: Path, config, km=None) -> NotebookRun:
    from nbformat import reads
    from nbgrader.preprocessors import Execute

    path = Path(job.submitted) / f"{name}.ipynb"
    run = NotebookRun(name, ok=False)
    if path.is_symlink() or not path.is_file():
        run.reason = f"{name}.ipynb is not a regular file (a link or a folder)"
        return run
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        run.reason = (f"{name}.ipynb is {size / 1024 ** 2:.0f} MB, over the limit of "
                      f"{MAX_NOTEBOOK_BYTES // 1024 ** 2} MB (clear its outputs and resubmit)")
        return run
    staged = work / "n" / f"{name}.ipynb"
    staged.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, staged)
    edits = [f"cell '{gid}' had been edited; it was restored from the source"
             for gid in edited_cells(staged, Path(job.release) / f"{name}.ipynb")]
    resources = {"nbgrader": {"student": job.student, "assignment": job.assignment,
                              "notebook": name, "db_url": job.db_url}}
    sanitize, execute, _ = preprocessor_chains(config)
    with collecting_notes() as (log, notes):
        try:
            repaired = []
            for pp in sanitize:
                repaired.append(pp(config=config, log=log))
                if pp.__name__ == "DeduplicateIds":
                    repaired.append(repair_class()(config=config, log=log))
            exporter = make_exporter(repaired, config, log)
            output, _ = exporter.from_filename(str(staged), resources=resources)
            confined = []
            for pp in execute:
                if issubclass(pp, Execute) or pp.__name__ == "ExecutePreprocessor":
                    runner = execute_class()(config=config, log=log).confine(
                        job.sandbox, work / "s", work / "k", job.notebook_timeout, km)
                    km = None  # used (or discarded) by this notebook
                    confined.append(runner)
                else:
                    confined.append(pp(config=config, log=log))
            exporter = make_exporter(confined, config, log)
            graded = {"metadata": {"name": name, "path": str(work / "s")},
                      "nbgrader": resources["nbgrader"]}
            output, _ = exporter.from_notebook_node(reads(output, as_version=4), graded)
        except Exception as exc:  # any failure of one notebook is recorded, never raised
            kill_kernel(km)
            run.reason = f"{name}.ipynb: {explain(exc)}"
            run.notes = edits + notes
            return run
        run.notes = edits + notes
    for runner in confined:
        if getattr(runner, "skipped_cells", 0):
            run.notes.append(f"{name}.ipynb used up its {job.notebook_timeout:g} s; "
                             f"{runner.skipped_cells} cell(s) were not run and score zero")
        if getattr(runner, "_cut", None):
            run.notes.append(f"{name}.ipynb printed more than "
                             f"{MAX_CELL_OUTPUT_BYTES // 1024 ** 2} MB in a cell; the rest "
                             "was cut")
    run.ok, run.notebook = True, output
    return run


def run_job(job: Job, work: Path | None = None, km=None) -> JobResult:
    """Grade one submission in this worker, in ``work`` (with its kernel ``km``, if
    launched ahead); never raises. The folder is removed afterwards."""
    start = time.monotonic()
    notes: list[str] = []
    runs: list[NotebookRun] = []
    if work is None:
        work = Path(tempfile.mkdtemp(prefix="j", dir=job.work_root))
        (work / "s").mkdir()
    try:
        config = load_config(Path(job.course), job.overrides)
        coursedir = course_directory(config)
        max_bytes = int(coursedir.max_file_size) * 1024
        copy_files(Path(job.submitted), work / "s", ignore=coursedir.ignore,
                   max_bytes=max_bytes, notes=notes)
        exclude = (config.Autograde.get("exclude_overwriting", {}) or {}).get(job.assignment, [])
        copy_files(Path(job.source), work / "s", ignore=coursedir.ignore, exclude=exclude,
                   max_bytes=max_bytes)
        for name in job.notebooks:
            run = grade_notebook(job, name, work, config, km)
            km = None
            runs.append(run)
            if not run.ok:  # as nbgrader: the first failing notebook fails the submission
                break
    except Exception as exc:
        runs.append(NotebookRun("", ok=False, reason=explain(exc)))
    finally:
        kill_kernel(km)
        shutil.rmtree(work, ignore_errors=True)
    return JobResult(job.student, job.assignment, runs, notes, time.monotonic() - start)


