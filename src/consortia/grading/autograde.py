"""Autograde a cohort in parallel: nbgrader's own preprocessors, sandboxed kernels, one writer.

``nbgrader autograde`` grades one submission after another and pays about three
seconds of application start for each run. Here, for every submission:

1. the parent process records the submission in the gradebook (as nbgrader's
   ``init_assignment`` does: student, timestamp, zero for missing notebooks);
2. a worker process (one per core by default; plain subprocesses fed over a pipe,
   so a crash or a hang costs only the submission at hand) copies the submission
   into a fresh folder holding only that submission, repairs it with nbgrader's
   sanitizing preprocessors (``ClearOutput``, ``DeduplicateIds``,
   ``OverwriteKernelspec``, ``OverwriteCells``, ``CheckCellMetadata``: deleted or
   edited test cells are restored from the source) against a read-only snapshot of
   the gradebook, then runs nbgrader's ``Execute`` (and ``IgnorePattern``,
   ``ClearMetadataPreprocessor``, ``LimitOutput``) with the kernel confined by
   :mod:`consortia.grading.sandbox`. Each worker launches the next submission's
   kernel while the current one runs;
3. the parent runs the writing preprocessors (``SaveAutoGrades``,
   ``AssignLatePenalties``, ``CheckCellMetadata``) and writes the graded notebook to
   ``autograded/``. Only the parent writes the gradebook, so SQLite stays consistent.

The same preprocessor classes, in the same order and with the course's
``nbgrader_config.py``, give the same scores as ``nbgrader autograde``. What differs,
on purpose: a duplicated graded cell is graded (nbgrader 0.9.6 fails on it when it
restores deleted cells); each submission runs in its own folder without the graded
notebook on disk (stock nbgrader leaves the restored notebook, hidden tests included,
in the kernel's working folder); symbolic links and oversized files in a submission
are not copied; a notebook has a wall-clock limit on top of the per-cell timeout
(cells not run by then score zero); a cell's output beyond
:data:`MAX_CELL_OUTPUT_BYTES` is cut; and one broken submission never stops the
batch. Every failure is recorded with a reason a trainer can act on, and every
repair nbgrader made is noted.

Each submission ends with a status: ``graded``; ``failed`` (could not be run: the
reason says why; it scores what nbgrader would, usually 0); ``missing`` (a folder
without the assignment's notebook); ``absent`` (a participant with no folder).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import queue
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar, TextIO

from consortia.grading import sandbox as sandboxes

#: Seconds a notebook may run in all (on top of the per-cell timeout of nbgrader).
DEFAULT_NOTEBOOK_TIMEOUT = 300.0

#: A submitted notebook bigger than this is refused (it is almost always saved output).
MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024

#: Output a single cell may produce while graded; the rest is cut (errors always kept).
MAX_CELL_OUTPUT_BYTES = 1024 * 1024

#: Largest file a kernel may write (RLIMIT_FSIZE of the grading workers and kernels).
MAX_WRITTEN_FILE_BYTES = 256 * 1024 * 1024

#: The writing preprocessors run in the parent; everything before them in a worker.
PARENT_PREPROCESSORS = ("SaveAutoGrades", "AssignLatePenalties")

STATUSES = ("graded", "failed", "missing", "absent")


class GradingError(ValueError):
    """The grading run cannot start (unknown course or assignment); the message says why."""


@dataclass
class Outcome:
    """What happened to one participant's submission of one assignment."""

    student: str
    assignment: str
    status: str  # one of STATUSES
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""  # why it was not graded normally (failed, missing, absent)
    notes: list[str] = field(default_factory=list)  # repairs and limits applied
    notebooks: list[str] = field(default_factory=list)  # notebooks graded
    late_penalty: float = 0.0
    needs_manual_grade: bool = False
    seconds: float = 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Outcome:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class GradingRun:
    """The result of one ``grade`` call: outcomes, and how the run was made."""

    course: Path
    outcomes: list[Outcome]
    sandbox: str
    workers: int
    seconds: float
    timeout: float | None = None
    ignored: list[str] = field(default_factory=list)  # folders of unknown assignments

    def assignments(self) -> list[str]:
        return sorted({o.assignment for o in self.outcomes})

    def of(self, assignment: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.assignment == assignment]

    def outcome(self, student: str, assignment: str) -> Outcome:
        for o in self.outcomes:
            if o.student == student and o.assignment == assignment:
                return o
        raise KeyError(f"no outcome for {student}/{assignment}")


def outcomes_path(course: Path, assignment: str) -> Path:
    """Where a run's outcomes for one assignment are kept (read by feedback and report)."""
    return Path(course) / "reports" / assignment / "grading.json"


def load_outcomes(course: Path, assignment: str) -> list[Outcome]:
    """The outcomes of the last ``grade`` run of ``assignment`` (empty if never graded)."""
    path = outcomes_path(course, assignment)
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Outcome.from_dict(item) for item in data["outcomes"]]


# --- configuration ----------------------------------------------------------------------


def load_config(course: Path, overrides: dict | None = None):
    """nbgrader's configuration as ``nbgrader autograde`` run in ``course`` would see it.

    The Jupyter config folders' ``nbgrader_config.py`` first, then the course's own,
    then ``overrides`` (``{"Execute": {"timeout": 5}}``); the course root is ``course``.
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    folders = [*reversed(jupyter_config_path()), str(course)]
    for folder in folders:
        if os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            config.merge(PyFileConfigLoader("nbgrader_config.py", folder).load_config())
    config.merge(Config(overrides or {}))
    config.CourseDirectory.root = str(Path(course).resolve())
    return config


def _course_directory(config):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=config)


def _preprocessor_chains(config) -> tuple[list[type], list[type], list[type]]:
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


class _Notes(logging.Handler):
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
def _collecting_notes():
    logger = logging.getLogger(f"consortia.grading.nbgrader.{os.getpid()}.{time.monotonic_ns()}")
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    handler = _Notes()
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


# --- the worker side ----------------------------------------------------------------------


@dataclass
class _Job:
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
class _Setup:
    """Sent to a worker when it starts, so it can launch its first kernel at once."""

    sandbox: sandboxes.Sandbox
    work_root: str
    course: str
    overrides: dict


@dataclass
class _NotebookRun:
    name: str
    ok: bool
    notebook: str | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class _JobResult:
    student: str
    assignment: str
    runs: list[_NotebookRun]
    notes: list[str]
    seconds: float


def _worker_init() -> None:
    """Runs once in each worker: limits inherited by kernels, heavy imports done early."""
    import resource
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    for limit, value in ((resource.RLIMIT_FSIZE, MAX_WRITTEN_FILE_BYTES),
                         (resource.RLIMIT_CORE, 0)):
        with contextlib.suppress(ValueError, OSError):
            _soft, hard = resource.getrlimit(limit)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (cap, hard))
    _execute_class()
    _ignore_harmless_warnings()
    from nbgrader import preprocessors  # noqa: F401


def _write_frame(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def _read_exact(read: Callable[[int], bytes], size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = read(left)
        if not chunk:
            raise EOFError("the worker closed its pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(read: Callable[[int], bytes]):
    (size,) = struct.unpack("!Q", _read_exact(read, 8))
    return pickle.loads(_read_exact(read, size))


def worker_main() -> None:
    """A grading worker: read jobs on stdin, write results on stdout, until stdin closes.

    Started by :func:`grade` as ``python -c "...worker_main()"`` (not with
    multiprocessing, which would re-run the caller's script in every worker). The
    protocol uses a private copy of stdout; anything printed goes to stderr.
    """
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _worker_init()
    read = sys.stdin.buffer.read
    try:
        setup = _read_frame(read)
    except EOFError:
        return
    kernels = _Kernels(setup)
    try:
        kernels.launch()
        while True:
            try:
                job = _read_frame(read)
            except EOFError:
                return
            folder, km = kernels.take()
            kernels.launch()  # the next submission's kernel starts while this one runs
            _write_frame(out, _run_job(job, folder, km))
    finally:
        kernels.close()


class _Kernels:
    """Kernels launched ahead of time, each in its own empty, confined working folder.

    Launching takes about half a second (a Python process importing ipykernel); done
    while the previous submission runs, it is off the critical path. The folder's
    files are copied in when the submission arrives: the sandbox binds the folder,
    so the kernel sees them.
    """

    def __init__(self, setup: _Setup):
        self.setup = setup
        config = load_config(Path(setup.course), setup.overrides)
        extra = list(config.Execute.get("extra_arguments", []) or [])
        if not any(a.startswith("--HistoryManager.hist_file") for a in extra):
            extra.append("--HistoryManager.hist_file=:memory:")  # as nbclient adds it
        self.extra_arguments = extra
        self.ready: list[tuple[Path, object]] = []

    def launch(self) -> None:
        from jupyter_core.utils import run_sync

        folder = Path(tempfile.mkdtemp(prefix="j", dir=self.setup.work_root))
        (folder / "s").mkdir()
        try:
            km = sandboxes.kernel_manager(self.setup.sandbox, cwd=folder / "s",
                                          runtime=folder / "k", kernel_name="python3")
            run_sync(km.start_kernel)(extra_arguments=list(self.extra_arguments))
        except Exception:  # the job will start its own kernel and report what fails
            km = None
        self.ready.append((folder, km))

    def take(self) -> tuple[Path, object]:
        return self.ready.pop(0)

    def close(self) -> None:
        for folder, km in self.ready:
            _kill(km)
            shutil.rmtree(folder, ignore_errors=True)
        self.ready = []


def _kill(km) -> None:
    from jupyter_core.utils import run_sync

    if km is None:
        return
    with contextlib.suppress(Exception):
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    with contextlib.suppress(Exception):
        run_sync(km.cleanup_resources)()


@cache
def _repair_class():
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
def _execute_class():
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
            _kill(km)
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


def _ignore_harmless_warnings() -> None:
    """SQLAlchemy 2.1's 'not in session' warning of nbgrader's gradebook, and nbformat's
    warnings about cell ids (nbgrader's restored cells have none; nbformat adds them)."""
    import warnings

    from nbformat.warnings import DuplicateCellId, MissingIDFieldWarning

    warnings.filterwarnings("ignore", message=".*not in session.*")
    warnings.filterwarnings("ignore", category=MissingIDFieldWarning)
    warnings.filterwarnings("ignore", category=DuplicateCellId)


@contextlib.contextmanager
def _quiet():
    """Run a block with :func:`_ignore_harmless_warnings` in force."""
    import warnings

    with warnings.catch_warnings():
        _ignore_harmless_warnings()
        yield


def _exporter(preprocessors: list, config, log):
    from nbconvert.exporters import NotebookExporter

    exporter = NotebookExporter(config=config, log=log)
    exporter._preprocessors = []
    for pp in preprocessors:
        exporter.register_preprocessor(pp)
    return exporter


def _explain(exc: BaseException) -> str:
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


def _protected_sources(path: Path) -> dict[str, str]:
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
    released = _protected_sources(release)
    mine = _protected_sources(submitted)
    return [gid for gid, text in released.items() if gid in mine and mine[gid] != text]


def _grade_notebook(job: _Job, name: str, work: Path, config, km=None) -> _NotebookRun:
    from nbformat import reads
    from nbgrader.preprocessors import Execute

    path = Path(job.submitted) / f"{name}.ipynb"
    run = _NotebookRun(name, ok=False)
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
    sanitize, execute, _ = _preprocessor_chains(config)
    with _collecting_notes() as (log, notes):
        try:
            repaired = []
            for pp in sanitize:
                repaired.append(pp(config=config, log=log))
                if pp.__name__ == "DeduplicateIds":
                    repaired.append(_repair_class()(config=config, log=log))
            exporter = _exporter(repaired, config, log)
            output, _ = exporter.from_filename(str(staged), resources=resources)
            confined = []
            for pp in execute:
                if issubclass(pp, Execute) or pp.__name__ == "ExecutePreprocessor":
                    runner = _execute_class()(config=config, log=log).confine(
                        job.sandbox, work / "s", work / "k", job.notebook_timeout, km)
                    km = None  # used (or discarded) by this notebook
                    confined.append(runner)
                else:
                    confined.append(pp(config=config, log=log))
            exporter = _exporter(confined, config, log)
            graded = {"metadata": {"name": name, "path": str(work / "s")},
                      "nbgrader": resources["nbgrader"]}
            output, _ = exporter.from_notebook_node(reads(output, as_version=4), graded)
        except Exception as exc:  # any failure of one notebook is recorded, never raised
            _kill(km)
            run.reason = f"{name}.ipynb: {_explain(exc)}"
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


def _run_job(job: _Job, work: Path | None = None, km=None) -> _JobResult:
    """Grade one submission in this worker, in ``work`` (with its kernel ``km``, if
    launched ahead); never raises. The folder is removed afterwards."""
    start = time.monotonic()
    notes: list[str] = []
    runs: list[_NotebookRun] = []
    if work is None:
        work = Path(tempfile.mkdtemp(prefix="j", dir=job.work_root))
        (work / "s").mkdir()
    try:
        config = load_config(Path(job.course), job.overrides)
        coursedir = _course_directory(config)
        max_bytes = int(coursedir.max_file_size) * 1024
        copy_files(Path(job.submitted), work / "s", ignore=coursedir.ignore,
                   max_bytes=max_bytes, notes=notes)
        exclude = (config.Autograde.get("exclude_overwriting", {}) or {}).get(job.assignment, [])
        copy_files(Path(job.source), work / "s", ignore=coursedir.ignore, exclude=exclude,
                   max_bytes=max_bytes)
        for name in job.notebooks:
            run = _grade_notebook(job, name, work, config, km)
            km = None
            runs.append(run)
            if not run.ok:  # as nbgrader: the first failing notebook fails the submission
                break
    except Exception as exc:
        runs.append(_NotebookRun("", ok=False, reason=_explain(exc)))
    finally:
        _kill(km)
        shutil.rmtree(work, ignore_errors=True)
    return _JobResult(job.student, job.assignment, runs, notes, time.monotonic() - start)


# --- progress ---------------------------------------------------------------------------


class _Progress:
    """One line on a terminal (redrawn), or one line per submission in a log."""

    def __init__(self, total: int, stream: TextIO | None):
        self.total, self.stream, self.done, self.flagged = total, stream, 0, 0
        self.start = time.monotonic()
        self.tty = bool(stream and hasattr(stream, "isatty") and stream.isatty())

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.flagged += outcome.status != "graded"
        if not self.stream:
            return
        elapsed = time.monotonic() - self.start
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.stream.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] "
                              f"{self.done}/{self.total}  {self.flagged} flagged  "
                              f"{elapsed:5.0f} s")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            detail = (f"{outcome.score:g}/{outcome.max_score:g}" if outcome.status == "graded"
                      else f"{outcome.status.upper()}: {outcome.reason}")
            self.stream.write(f"[{self.done}/{self.total}] {outcome.student} "
                              f"{outcome.assignment}: {detail}\n")
        self.stream.flush()


# --- the parent side ----------------------------------------------------------------------


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Grader:
    """Owns the gradebook for one run: records submissions, saves grades, never runs code."""

    def __init__(self, course: Path, overrides: dict, config):
        self.course = course
        self.overrides = overrides
        self.config = config
        self.coursedir = _course_directory(config)
        self.db_url = self.coursedir.db_url
        self.course_id = self.coursedir.course_id or "default_course"
        _, _, self.writers = _preprocessor_chains(config)

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url, self.course_id)

    def path(self, step: str, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(step, student, assignment))

    def assignment_notebooks(self, assignment: str) -> list[str]:
        from nbgrader.api import MissingEntry

        with self.gradebook() as gb:
            try:
                found = gb.find_assignment(assignment)
            except MissingEntry:
                known = ", ".join(a.name for a in gb.assignments) or "none"
                raise GradingError(f"unknown assignment {assignment!r} (the gradebook has: "
                                   f"{known}); run 'consortia workshop new' first") from None
            return sorted(nb.name for nb in found.notebooks)

    def assignment_names(self) -> list[str]:
        with self.gradebook() as gb:
            return [a.name for a in gb.assignments]

    def submitted(self, assignment: str | None) -> list[tuple[str, str]]:
        root = Path(self.coursedir.format_path(self.coursedir.submitted_directory, ".", "."))
        pairs = []
        if not root.is_dir():
            return pairs
        for student_dir in sorted(root.iterdir()):
            if not student_dir.is_dir() or student_dir.is_symlink():
                continue
            for assignment_dir in sorted(student_dir.iterdir()):
                if assignment is not None and assignment_dir.name != assignment:
                    continue
                if assignment_dir.is_dir() and not assignment_dir.is_symlink():
                    pairs.append((student_dir.name, assignment_dir.name))
        return pairs

    def _timestamp(self, folder: Path, notes: list[str]):
        from nbgrader.utils import parse_utc

        path = folder / "timestamp.txt"
        if not path.is_file() or path.is_symlink():
            return None
        with path.open("rb") as f:
            text = f.read(100).decode("utf-8", errors="replace").strip()
        try:
            return parse_utc(text) if text else None
        except (ValueError, OverflowError):
            notes.append(f"timestamp.txt holds no date ({text[:40]!r}); treated as on time")
            return None

    def record_submission(self, student: str, assignment: str, notebooks: list[str]
                          ) -> tuple[Outcome, list[str]]:
        """Create the submission in the gradebook as nbgrader does; the notebooks to run."""
        from nbgrader.api import MissingEntry

        outcome = Outcome(student, assignment, "graded")
        folder = self.path(self.coursedir.submitted_directory, student, assignment)
        if not _SAFE_NAME.match(student):
            outcome.status, outcome.reason = "failed", "the folder name is not a valid id"
            return outcome, []
        with self.gradebook() as gb, _quiet():
            try:
                gb.find_student(student)
            except MissingEntry:
                if not self.config.Autograde.get("create_student", True):
                    outcome.status = "failed"
                    outcome.reason = "not a participant of this course (not in the gradebook)"
                    return outcome, []
                outcome.notes.append("not in the class list; added to the gradebook")
                gb.update_or_create_student(student)
            timestamp = self._timestamp(folder, outcome.notes)
            kwargs = {"timestamp": timestamp} if timestamp else {}
            gb.update_or_create_submission(assignment, student, **kwargs)
            present = [nb for nb in notebooks if (folder / f"{nb}.ipynb").exists()
                       or (folder / f"{nb}.ipynb").is_symlink()]
            for nb in notebooks:
                if nb in present:
                    continue
                submission = gb.find_submission_notebook(nb, assignment, student)
                for grade in submission.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                gb.db.commit()
        others = sorted(p.name for p in folder.glob("*.ipynb") if p.stem not in notebooks)
        if others:
            outcome.notes.append("not graded (not part of the assignment): " + ", ".join(others))
        if not present:
            expected = ", ".join(f"{nb}.ipynb" for nb in notebooks)
            found = f"; found {', '.join(others)}" if others else ""
            outcome.status = "missing"
            outcome.reason = f"no notebook submitted: expected {expected}{found}"
        else:
            outcome.notes += [f"{nb}.ipynb was not submitted; it scores zero"
                              for nb in notebooks if nb not in present]
        return outcome, present

    def save(self, job: _Job, result: _JobResult, outcome: Outcome) -> None:
        """Write grades and graded notebooks of a finished job; mirror nbgrader on failure."""
        from nbformat import reads

        dest = self.path(self.coursedir.autograded_directory, job.student, job.assignment)
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        max_bytes = int(self.coursedir.max_file_size) * 1024
        copy_files(Path(job.submitted), dest, ignore=self.coursedir.ignore, max_bytes=max_bytes)
        exclude = (self.config.Autograde.get("exclude_overwriting", {}) or {}).get(
            job.assignment, [])
        copy_files(Path(job.source), dest, ignore=self.coursedir.ignore, exclude=exclude,
                   max_bytes=max_bytes)
        outcome.notes += result.notes
        outcome.seconds = result.seconds
        failure = ""
        for run in result.runs:
            outcome.notes += [n for n in run.notes if n not in outcome.notes]
            if not run.ok:
                failure = run.reason
                break
            with _collecting_notes() as (log, notes), _quiet():
                try:
                    exporter = _exporter([pp(config=self.config, log=log) for pp in self.writers],
                                         self.config, log)
                    resources = {"nbgrader": {"student": job.student, "assignment": job.assignment,
                                              "notebook": run.name, "db_url": self.db_url}}
                    output, _ = exporter.from_notebook_node(reads(run.notebook, as_version=4),
                                                            resources)
                except Exception as exc:
                    failure = f"{run.name}.ipynb: {_explain(exc)}"
                    break
                finally:
                    outcome.notes += [n for n in notes if n not in outcome.notes]
            target = dest / f"{run.name}.ipynb"
            target.write_text(output, encoding="utf-8")
            outcome.notebooks.append(run.name)
        if failure:  # as nbgrader: no graded copy of a submission that failed
            shutil.rmtree(dest, ignore_errors=True)
            outcome.status, outcome.reason = "failed", failure
        else:
            for path in dest.rglob("*"):
                if path.is_file():
                    path.chmod(0o444)

    def fill_scores(self, outcome: Outcome) -> None:
        from nbgrader.api import MissingEntry

        with self.gradebook() as gb:
            try:
                submission = gb.find_submission(outcome.assignment, outcome.student)
            except MissingEntry:
                outcome.max_score = float(gb.find_assignment(outcome.assignment).max_score)
                return
            outcome.score = float(submission.score)
            outcome.max_score = float(submission.max_score)
            outcome.late_penalty = float(submission.late_submission_penalty or 0)
            outcome.needs_manual_grade = bool(submission.needs_manual_grade)

    def students(self) -> list[str]:
        with self.gradebook() as gb:
            return sorted(s.id for s in gb.students)

    def snapshot(self, folder: Path) -> str:
        """A read-only copy of the gradebook for the workers (sqlite), or the same URL."""
        import sqlite3

        from nbgrader.api import Gradebook

        with Gradebook(self.db_url):  # nbgrader's preprocessors add this course row; now,
            pass  # so that workers only ever read their copy
        prefix = "sqlite:///"
        if not self.db_url.startswith(prefix):
            return self.db_url
        target = folder / "gradebook.db"
        source = sqlite3.connect(self.db_url[len(prefix):])
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return prefix + str(target)


class _Worker(threading.Thread):
    """Feeds jobs to one worker process and hands its results back; restarts it if it dies.

    A crash or a hang costs only the submission being graded, which is named in the
    result: the next job gets a fresh process.
    """

    COMMAND = "from consortia.grading.autograde import worker_main; worker_main()"

    def __init__(self, setup: _Setup, jobs: queue.Queue, results: queue.Queue,
                 patience: float):
        super().__init__(daemon=True)
        self.setup, self.jobs, self.results, self.patience = setup, jobs, results, patience
        self.process: subprocess.Popen | None = None
        self.stopping = False
        self.start_process()

    def start_process(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", self.COMMAND],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        with contextlib.suppress(OSError):
            _write_frame(self.process.stdin, self.setup)

    def stop(self) -> None:
        """Kill the worker process (its kernels die with it) and take no further job."""
        self.stopping = True
        self._kill_process()

    def _kill_process(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _read(self, size: int, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError
        return os.read(fd, min(size, 1 << 20))

    def run(self) -> None:
        while not self.stopping:
            job = self.jobs.get()
            if job is None or self.stopping:
                break
            if self.process is None or self.process.poll() is not None:
                self.start_process()
            deadline = time.monotonic() + self.patience * max(1, len(job.notebooks)) + 120
            try:
                _write_frame(self.process.stdin, job)
                result = _read_frame(lambda n, d=deadline: self._read(n, d))
            except Exception as exc:  # a crashed or hung worker: blame only this job
                self._kill_process()
                why = ("stopped responding" if isinstance(exc, TimeoutError)
                       else f"crashed (exit status {self.process.poll()})")
                result = _JobResult(job.student, job.assignment, [_NotebookRun(
                    "", ok=False, reason=f"the grading worker {why} on this submission")],
                    [], 0.0)
            self.results.put((job, result))
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # the worker stops its spare kernel and exits
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        self.stop()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def grade(course: Path | str, assignment: str | None = None, *, workers: int | None = None,
          timeout: float | None = None, notebook_timeout: float | None = None,
          sandbox: str = "auto", progress: TextIO | None = None,
          on_outcome: Callable[[Outcome], None] | None = None) -> GradingRun:
    """Autograde every submission (of ``assignment``, or of all assignments) in ``course``.

    ``timeout`` is nbgrader's per-cell limit (``Execute.timeout``; default from the
    course's config), ``notebook_timeout`` the wall-clock limit of one notebook.
    Progress goes to ``progress`` (e.g. ``sys.stderr``). Outcomes are saved to
    ``reports/<assignment>/grading.json``. Raises :class:`GradingError` or
    :class:`~consortia.grading.sandbox.SandboxError` before grading anything if the
    run cannot be made; a broken submission never raises.
    """
    start = time.monotonic()
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise GradingError(f"{course} is not a course folder (no nbgrader_config.py); "
                           "create one with 'consortia workshop new'")
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise GradingError("--workers must be at least 1")
    overrides: dict = {}
    if timeout is not None:
        if timeout <= 0:
            raise GradingError("--timeout must be a positive number of seconds")
        overrides["Execute"] = {"timeout": int(max(1, round(timeout)))}
    notebook_timeout = notebook_timeout or DEFAULT_NOTEBOOK_TIMEOUT
    config = load_config(course, overrides)
    grader = _Grader(course, overrides, config)
    private = [course, *_kit_solutions()]
    box = sandboxes.resolve(sandbox, private=private)

    pairs = grader.submitted(assignment)
    ignored: list[str] = []
    if assignment is None:  # every assignment of the gradebook that has submissions
        known = set(grader.assignment_names())
        ignored = sorted({f"{s}/{a}" for s, a in pairs if a not in known})
        pairs = [(s, a) for s, a in pairs if a in known]
        selected = sorted({a for _, a in pairs})
    else:
        selected = [assignment]
    notebooks = {a: grader.assignment_notebooks(a) for a in selected}
    students = grader.students()
    submitted = set(pairs)
    absent = [(s, a) for a in selected for s in students if (s, a) not in submitted]
    total = len(pairs) + len(absent)
    bar = _Progress(total, progress)
    outcomes: list[Outcome] = []

    def finish(outcome: Outcome) -> None:
        if outcome.status != "absent":
            grader.fill_scores(outcome)
        outcomes.append(outcome)
        bar.update(outcome)
        if on_outcome:
            on_outcome(outcome)

    work_root = Path(tempfile.mkdtemp(prefix="cg-"))
    completed = False
    jobs_queue: queue.Queue = queue.Queue()
    results: queue.Queue = queue.Queue()
    # the workers start (and import nbgrader) while the gradebook is prepared
    setup = _Setup(box, str(work_root), str(course), overrides)
    threads = [_Worker(setup, jobs_queue, results, notebook_timeout) for _ in range(workers)]
    try:
        jobs: list[tuple[_Job, Outcome]] = []
        for student, name in pairs:
            outcome, present = grader.record_submission(student, name, notebooks[name])
            if not present:
                finish(outcome)
                continue
            jobs.append((_Job(
                student=student, assignment=name, notebooks=present,
                submitted=str(grader.path(grader.coursedir.submitted_directory, student, name)),
                source=str(grader.path(grader.coursedir.source_directory, ".", name)),
                release=str(grader.path(grader.coursedir.release_directory, ".", name)),
                course=str(course), overrides=overrides, db_url="", sandbox=box,
                work_root=str(work_root), notebook_timeout=notebook_timeout), outcome))
        for student, name in absent:
            finish(Outcome(student, name, "absent", reason="nothing submitted"))
        snapshot = grader.snapshot(work_root)
        waiting = {}
        for job, outcome in jobs:
            job.db_url = snapshot
            waiting[(job.student, job.assignment)] = outcome
            jobs_queue.put(job)
        for thread in threads:
            jobs_queue.put(None)
            thread.start()
        while waiting:
            job, result = results.get()
            outcome = waiting.pop((job.student, job.assignment))
            try:
                grader.save(job, result, outcome)
            except Exception as exc:  # e.g. a full disk: this submission only
                outcome.status = "failed"
                outcome.reason = f"its grades could not be saved: {type(exc).__name__}: {exc}"
            finish(outcome)
        completed = True
    finally:
        for thread in threads:  # after the last job a worker ends by itself; else stop it
            if thread.is_alive():
                thread.join(timeout=10 if completed else 0)
            thread.stop()
        shutil.rmtree(work_root, ignore_errors=True)
    order = {(o.assignment, o.student): o for o in outcomes}
    run = GradingRun(course, [order[k] for k in sorted(order)], box.mode, workers,
                     time.monotonic() - start, timeout, ignored)
    for name in selected:
        save_outcomes(run, name)
    return run


def save_outcomes(run: GradingRun, assignment: str) -> Path:
    path = outcomes_path(run.course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"assignment": assignment, "sandbox": run.sandbox, "workers": run.workers,
            "seconds": round(run.seconds, 2), "outcomes": [o.as_dict() for o in run.of(assignment)]}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def _kit_solutions() -> list[Path]:
    """The kit's own solutions folder, when the package runs from a clone of the kit."""
    folder = Path(__file__).resolve().parents[3] / "solutions"
    return [folder] if folder.is_dir() else []


def gradebook_scores(course: Path | str, assignment: str) -> dict[str, float]:
    """Total score of every submission of ``assignment`` in the gradebook (0 if none)."""
    from nbgrader.api import Gradebook

    config = load_config(Path(course))
    coursedir = _course_directory(config)
    with Gradebook(coursedir.db_url, coursedir.course_id or "default_course") as gb:
        return {s["student"]: float(s["score"]) for s in gb.submission_dicts(assignment)}


