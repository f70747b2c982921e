"""Grade one submission inside a worker: repair, run in the sandbox, check with trusted code.

For every notebook of a submission, :func:`grade_notebook`:

1. refuses, with a plain reason, what is not a notebook it can grade (a link, a
   folder, an oversized file, tens of thousands of cells, an old format, not UTF-8);
2. repairs it: grading marks another program removed are put back from the release
   by cell id (:func:`restore_marks`), a notebook that lost them all past repair is
   refused with what to do, then nbgrader's sanitizing preprocessors (``ClearOutput``,
   ``DeduplicateIds``, ``OverwriteKernelspec``, ``OverwriteCells``,
   ``CheckCellMetadata``: deleted or edited test cells are restored from the source)
   run against a read-only snapshot of the gradebook;
3. runs nbgrader's ``Execute`` (and ``IgnorePattern``, ``ClearMetadataPreprocessor``,
   ``LimitOutput``) with the kernel confined by :mod:`consortia.grading.sandbox` and
   held to the submission's :mod:`limits <consortia.grading.limits>`: a wall-clock
   limit per notebook, caps on every cell's stored output, and a kernel that dies
   (out of memory, out of CPU time) costs only the cells it did not reach. Before each
   test cell the kernel exports the values the test reads;
4. once the kernel has stopped, runs the tests again with the kit's own code on those
   values and on the working folder as the kernel left it
   (:mod:`consortia.grading.replay`), and keeps those results.

What nbgrader warns about, and every limit a submission ran into, becomes a short
note for the trainer; any failure becomes a reason a trainer can act on
(:func:`explain`), never an exception. Nothing here writes the gradebook.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar

from consortia.grading import answers, replay
from consortia.grading import sandbox as sandboxes
from consortia.grading.limits import Limits, size_text
from consortia.grading.nbgrader_course import course_directory, load_config
from consortia.grading.workspace import Workspace

#: A submitted notebook bigger than this is refused (it is almost always saved output).
MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024

#: A notebook with more cells than this is refused (the kit's assignments have 40).
MAX_CELLS = 5000

#: The stored output of one notebook, at most this many times one cell's limit.
NOTEBOOK_OUTPUT_CELLS = 20

#: Seconds between two looks at the working folder's size (when it has no file system of
#: its own, because the grader is not root).
DISK_WATCH_SECONDS = 0.2

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
    MISSING: ClassVar[re.Pattern] = re.compile(r"Missing grade cell (\S+) encountered")
    PATTERNS: ClassVar[tuple] = (
        (MISSING, "test cell '{0}' had been deleted; it was restored from the source"),
        (re.compile(r"Cell with id '(.+)' exists multiple times"),
         "cell '{0}' appears more than once; only its last copy is graded"),
        (re.compile(r"Cell '(.+)' does not exist in the database"),
         "cell '{0}' is not part of the assignment; its grading marks were ignored"),
        (re.compile(r"Timeout waiting for execute reply \((\d+)s\)"),
         "a cell ran longer than {0} s and was stopped; its tests score zero"),
        (re.compile(r"is (\S+) seconds late"), "submitted {0} seconds after the deadline"),
        (re.compile(r"Late submission penalty: (\S+)"), "late-submission penalty: {0} points"),
    )

    #: What the note says when a graded answer cell (not a test) was missing.
    MISSING_ANSWER = ("graded answer cell '{0}' was missing (deleted, or its grading marks "
                      "removed by another program); it was put back as released, without an "
                      "answer: if the answer is elsewhere in the notebook, mark it by hand")

    def __init__(self, answers: Iterable[str] = ()) -> None:
        super().__init__(logging.WARNING)
        self.notes: list[str] = []
        self.answers = set(answers)  # grade ids of the answer cells of the source

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
        missing = self.MISSING.search(text)
        if missing and missing.group(1) in self.answers:
            return self.MISSING_ANSWER.format(missing.group(1))
        for pattern, template in self.PATTERNS:
            match = pattern.search(text)
            if match:
                return template.format(*match.groups())
        return None


@contextlib.contextmanager
def collecting_notes(answers: Iterable[str] = ()):
    """A logger for nbgrader's preprocessors and the notes it collects; ``answers`` are the
    grade ids of the source's answer cells (so that a missing one is not called a test)."""
    logger = logging.getLogger(f"consortia.grading.nbgrader.{os.getpid()}.{time.monotonic_ns()}")
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    handler = Notes(answers)
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

    @property
    def limits(self) -> Limits:
        return self.sandbox.limits

    @property
    def notebook_timeout(self) -> float:
        return self.sandbox.limits.notebook_seconds


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
    """Stop a kernel and everything it started; never raises."""
    from jupyter_core.utils import run_sync

    if km is None:
        return
    with contextlib.suppress(Exception):
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    with contextlib.suppress(Exception):
        run_sync(km.cleanup_resources)()
    with contextlib.suppress(Exception):
        km.release()  # the cgroup: whatever is left in it is killed


def _error(ename: str, evalue: str):
    from nbformat import NotebookNode

    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


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
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import DeadKernelError
    from nbformat import NotebookNode
    from nbgrader.preprocessors import Execute

    class ConfinedExecute(Execute):
        """``Execute`` plus a sandboxed kernel, limits, and exports for the trusted checks."""

        def confine(self, sandbox: sandboxes.Sandbox, workspace: Workspace,
                    notebook_timeout: float, prestarted=None,
                    plan: replay.Plan | None = None) -> ConfinedExecute:
            self._box = (sandbox, workspace)
            self._prestarted = prestarted
            self.shutdown_kernel = "immediate"  # all cells have run: no need to wait
            self._budget = notebook_timeout
            self._deadline: float | None = None
            self._plan = plan or replay.Plan()
            self._cell_cap = sandbox.limits.output
            self._total_cap = sandbox.limits.output * NOTEBOOK_OUTPUT_CELLS
            self._out_bytes: dict[int, int] = {}
            self._total = 0
            self._cut: set = set()
            self.skipped_cells = 0
            self.stopped: str | None = None  # why the kernel stopped before the end
            self.watch_stop: str | None = None  # set by the disk watchdog
            return self

        def create_kernel_manager(self):
            sandbox, workspace = self._box
            name = (self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name")
                    or "python3")
            km, self._prestarted = self._prestarted, None
            if km is not None and km.kernel_name == name and km.has_kernel:
                self.km = km
                return km
            kill_kernel(km)
            self.km = sandboxes.kernel_manager(sandbox, cwd=workspace.work,
                                               runtime=workspace.runtime, kernel_name=name,
                                               config=self.config, uid=workspace.uid)
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

        def _not_run(self, cell, why: str) -> None:
            cell.outputs = [_error("NotRun", f"not run: {why}")]
            self.skipped_cells += 1

        def preprocess_cell(self, cell, resources, index):
            if cell.cell_type != "code" or not cell.source.strip():
                return super().preprocess_cell(cell, resources, index)
            if self.stopped or self.watch_stop:
                self.stopped = self.stopped or self.watch_stop
                self._not_run(cell, self.stopped)
                return cell, resources
            if self._deadline is not None and time.monotonic() > self._deadline:
                cell.outputs = [_error("NotebookTimeout",
                                       f"not run: the notebook used up its {self._budget:g} s")]
                self.skipped_cells += 1
                return cell, resources
            grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
            is_test = grade_id in self._plan.tests
            try:
                if is_test:
                    self._run_quietly(answers.export_code(
                        self._plan.names_for(grade_id), replay.export_path(grade_id)))
                cell, resources = super().preprocess_cell(cell, resources, index)
                if is_test:
                    self._run_quietly(answers.export_code([], replay.export_path(
                        grade_id, "after")))
            except DeadKernelError:
                self.stopped = self.watch_stop or self._why_stopped()
                cell.outputs.append(_error("KernelStopped", self.stopped))
            return cell, resources

        def _why_stopped(self) -> str:
            """Why the kernel died, in words, from how its process ended."""
            import signal as signals

            status = None
            with contextlib.suppress(Exception):
                status = self.km.provisioner.process.wait(timeout=2)
            limits = self._box[0].limits
            if status in (-signals.SIGXCPU, 128 + signals.SIGXCPU):
                return (f"it used more than {limits.cpu_seconds} s of CPU time; the limit is "
                        "set in nbgrader_config.py")
            with contextlib.suppress(Exception):
                if self.km.limit_events().get("memory"):
                    return (f"it used more than {size_text(limits.memory)} of memory; the limit "
                            "is set in nbgrader_config.py")
            return "the kernel stopped while this cell ran (it crashed or was killed)"

        def _run_quietly(self, code: str) -> None:
            """Run grader code in the kernel with no output and no history."""
            msg_id = self.kc.execute(code, silent=True, store_history=False,
                                     allow_stdin=False)
            run_sync(self.async_wait_for_reply)(msg_id)

        def output(self, outs, msg, display_id, cell_index):
            kind = msg["msg_type"]
            content = msg.get("content", {})
            size = (len(content.get("text", "")) + len(str(content.get("evalue", "")))
                    + sum(len(str(v)) for v in content.get("data", {}).values())
                    + sum(len(str(v)) for v in content.get("traceback", [])))
            used = self._out_bytes.get(cell_index, 0) + size
            self._out_bytes[cell_index] = used
            self._total += size
            if used <= self._cell_cap and self._total <= self._total_cap:
                return super().output(outs, msg, display_id, cell_index)
            cut = (f"... output cut by the grader: more than {size_text(self._cell_cap)} in "
                   "this cell ...")
            if kind in ("error", "execute_result"):  # both decide the grade: keep them, short
                self._cut.add((cell_index, kind))
                if kind == "error":
                    outs.append(_error(str(content.get("ename", "Error"))[:200], cut))
                else:
                    outs.append(NotebookNode(output_type="execute_result", metadata={},
                                             execution_count=content.get("execution_count"),
                                             data={"text/plain": cut}))
                return None
            stream = content.get("name", "stdout") if kind == "stream" else "stdout"
            if (cell_index, stream) not in self._cut:
                # one marker per stream: a cut stderr still counts against the test, as in
                # nbgrader, where any stderr output in a test cell scores zero
                self._cut.add((cell_index, stream))
                outs.append(NotebookNode(output_type="stream", name=stream, text=f"\n{cut}\n"))
            return None

    return ConfinedExecute


class DiskWatch:
    """Stops a kernel whose working folder outgrows the disk limit (no file system of its
    own: the grader is not root). Looks every :data:`DISK_WATCH_SECONDS`."""

    def __init__(self, workspace: Workspace, runner, limit: int):
        self.workspace, self.runner, self.limit = workspace, runner, limit
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> DiskWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join(timeout=5)

    def _watch(self) -> None:
        while not self.done.wait(DISK_WATCH_SECONDS):
            if self.workspace.used_bytes() > self.limit:
                self.runner.watch_stop = (f"it wrote more than {size_text(self.limit)} to its "
                                          "folder")
                km = getattr(self.runner, "km", None)
                process = getattr(getattr(km, "provisioner", None), "process", None)
                with contextlib.suppress(Exception):
                    process.kill()  # the sandbox's PID namespace ends with it
                return


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
        return f"cells were deleted in a way nbgrader cannot repair: {FRESH_COPY}"
    if isinstance(exc, json.JSONDecodeError | RecursionError):
        return "not a notebook: the file is not valid JSON"
    detail = f"{name}: {text[:200]}" if text else name
    return (f"the grader stopped on a problem it does not know ({detail}); mark this notebook "
            "by hand, and report the problem with a copy of the notebook so that it can be "
            "fixed")


#: What to do about a notebook whose graded cells cannot be found.
FRESH_COPY = ("ask the participant to copy their answers into a fresh copy of the released "
              "notebook, keep every cell of it, and hand it in again; or mark this one by hand")


def lost_cells(staged: Path, source: Path) -> tuple[list[str], bool]:
    """The graded and answer cells of the source that the submitted notebook lacks, and
    whether it has lost every grading mark (a notebook saved by a program that strips
    cell metadata, or rebuilt by copying cells into a new notebook)."""
    wanted = [gid for gid, meta in _graded_cells(source).items()
              if meta.get("grade") or meta.get("solution")]
    present = _graded_cells(staged)
    return [gid for gid in wanted if gid not in present], bool(wanted) and not present


def _graded_cells(path: Path) -> dict[str, dict]:
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = (cell.get("metadata") or {}).get("nbgrader") if isinstance(cell, dict) else None
        if isinstance(meta, dict) and meta.get("grade_id"):
            found[str(meta["grade_id"])] = meta
    return found


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


def _notebook_problem(path: Path, name: str) -> str | None:
    """Why a submitted notebook file cannot be graded at all, in plain words, or None."""
    if path.is_symlink():
        return f"{name}.ipynb is a link to another file, not a notebook: hand in the file itself"
    if path.is_dir():
        return f"{name}.ipynb is a folder, not a notebook: hand in the notebook file itself"
    if not path.is_file():
        return f"{name}.ipynb is not an ordinary file: hand in the notebook file itself"
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return (f"{name}.ipynb is {size / 1024 ** 2:.0f} MB, over the limit of "
                f"{MAX_NOTEBOOK_BYTES // 1024 ** 2} MB (clear its outputs and resubmit)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return f"{name}.ipynb is not a notebook: the file is not text (UTF-8)"
    except (ValueError, RecursionError):
        return (f"{name}.ipynb is not a notebook: the file is not valid JSON (damaged, or not "
                "saved by Jupyter)")
    version = data.get("nbformat") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(version, int) or isinstance(version, bool):
        return (f"{name}.ipynb is not a valid notebook: it lacks the fields a notebook has "
                "(is it the right file?)")
    if version != 4:
        age = "an old" if version < 4 else "a newer"
        return (f"{name}.ipynb is in {age} notebook format (nbformat {version}): open it in "
                "JupyterLab, save it, and hand it in again")
    cells = data.get("cells")
    if isinstance(cells, list) and len(cells) > MAX_CELLS:
        return (f"{name}.ipynb has {len(cells):,} cells, more than the {MAX_CELLS:,} a notebook "
                "can have to be graded: hand in the assignment's own notebook")
    return None


def grade_notebook(job: Job, name: str, workspace: Workspace, config, km=None,
                   handed_in: list[str] | None = None) -> NotebookRun:
    """Grade one notebook of a submission in ``workspace`` (with ``km`` if launched ahead).

    ``handed_in`` names the files the participant handed in, for the checks to tell a
    missing file from one the notebook's run made (:func:`replay.replay`).
    """
    from nbformat import reads, writes
    from nbgrader.preprocessors import Execute

    path = Path(job.submitted) / f"{name}.ipynb"
    run = NotebookRun(name, ok=False)
    problem = _notebook_problem(path, name)
    if problem:
        run.reason = problem
        return run
    staged = workspace.folder / "n" / f"{name}.ipynb"
    staged.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, staged)
    source = Path(job.source) / f"{name}.ipynb"
    edits = drop_added_cells(staged, source)
    edits += restore_marks(staged, Path(job.release) / f"{name}.ipynb")
    edits += [f"cell '{gid}' had been edited; it was restored from the source"
              for gid in edited_cells(staged, Path(job.release) / f"{name}.ipynb")]
    resources = {"nbgrader": {"student": job.student, "assignment": job.assignment,
                              "notebook": name, "db_url": job.db_url}}
    plan = replay.plan_for(source) if source.is_file() else replay.Plan()
    lost, stripped = lost_cells(staged, source) if source.is_file() else ([], False)
    if stripped:
        run.reason = (f"{name}.ipynb has lost its grading marks: none of its cells carries the "
                      "nbgrader metadata that tells the grader which cells hold the answers "
                      "and the tests. This happens when a notebook is saved by another program "
                      "(Google Colab, a text editor, a tool that strips metadata) or rebuilt by "
                      f"copying cells into a new notebook; {FRESH_COPY}")
        run.notes = edits
        return run
    answers = [gid for gid, meta in _graded_cells(source).items() if meta.get("solution")]
    sanitize, execute, _ = preprocessor_chains(config)
    runner = None
    with collecting_notes(answers) as (log, notes):
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
                        job.sandbox, workspace, job.notebook_timeout, km, plan)
                    km = None  # used (or discarded) by this notebook
                    confined.append(runner)
                else:
                    confined.append(pp(config=config, log=log))
            exporter = make_exporter(confined, config, log)
            graded = {"metadata": {"name": name, "path": str(workspace.work)},
                      "nbgrader": resources["nbgrader"]}
            watch = (DiskWatch(workspace, runner, job.limits.disk)
                     if runner is not None and not workspace.mounted else
                     contextlib.nullcontext())
            with watch:
                output, _ = exporter.from_notebook_node(reads(output, as_version=4), graded)
        except Exception as exc:  # any failure of one notebook is recorded, never raised
            kill_kernel(km)
            kill_kernel(getattr(runner, "km", None))
            run.reason = f"{name}.ipynb: {explain(exc)}"
            if lost and type(exc).__name__ == "KeyError":  # nbgrader could not put them back
                run.reason = (f"{name}.ipynb lacks the graded cells {', '.join(lost)} (deleted, "
                              "or their grading marks removed by another program), so the "
                              f"tests cannot be put back in their place; {FRESH_COPY}")
            run.notes = edits + notes
            return run
        run.notes = edits + notes
    events = {}
    if runner is not None:
        with contextlib.suppress(Exception):
            events = runner.km.limit_events()
        kill_kernel(runner.km)  # nothing of the kernel outlives its notebook
    nb = reads(output, as_version=4)
    if plan.tests:
        harvested = workspace.harvest(copy_files)
        done = replay.replay(plan, harvested, _cell_timeout(config), handed_in)
        _merge(nb, done, run.notes)
    run.notes += limit_notes(nb, events, job.limits, runner, name)
    run.ok, run.notebook = True, writes(nb)
    return run


def _grade_ids(path: Path) -> set[str]:
    return set(_graded_cells(path))


def restore_marks(staged: Path, release: Path) -> list[str]:
    """Put back the grading marks (nbgrader metadata) another program removed.

    A notebook saved by a program that drops cell metadata keeps its cells' ids; a cell
    without marks whose id and type are those of a marked cell of the release, whose
    grade id the notebook lacks, gets the release's marks back, so that its answer is
    graded and its tests run. The notes say which. The staged copy is changed; the
    hand-in itself never is.
    """
    try:
        released = json.loads(release.read_text(encoding="utf-8")).get("cells", [])
        nb = json.loads(staged.read_text(encoding="utf-8"))
    except (OSError, ValueError, AttributeError):
        return []
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return []
    marks = {cell.get("id"): cell for cell in released if isinstance(cell, dict)
             and cell.get("id") and ((cell.get("metadata") or {}).get("nbgrader") or {})
             .get("grade_id")}
    present = set(_graded_cells(staged))
    restored = []
    for cell in cells:
        if not isinstance(cell, dict) or not isinstance(cell.get("metadata", {}), dict):
            continue
        mark = marks.get(cell.get("id"))
        if mark is None or cell.get("metadata", {}).get("nbgrader") \
                or cell.get("cell_type") != mark.get("cell_type"):
            continue
        meta = copy.deepcopy(mark["metadata"]["nbgrader"])
        if meta["grade_id"] in present:
            continue
        cell.setdefault("metadata", {})["nbgrader"] = meta
        present.add(meta["grade_id"])
        restored.append(str(meta["grade_id"]))
    if not restored:
        return []
    staged.write_text(json.dumps(nb), encoding="utf-8")
    return [f"the grading marks of {len(restored)} cell(s) ({', '.join(restored)}) had been "
            "removed, probably by another program that saved the notebook; they were put back "
            "from the assignment by cell id"]


def drop_added_cells(staged: Path, source: Path) -> list[str]:
    """Strip the grading marks of cells the participant added (a grade id the source
    lacks), so that they are neither scored nor mistaken for deleted ones; the notes
    say which. The staged copy is changed; the hand-in itself never is."""
    known = _grade_ids(source)
    if not known:
        return []
    nb = json.loads(staged.read_text(encoding="utf-8"))
    added = []
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") if isinstance(cell, dict) else None
        if isinstance(meta, dict) and meta.get("grade_id") and str(meta["grade_id"]) not in known:
            added.append(str(meta["grade_id"]))
            del cell["metadata"]["nbgrader"]
    if not added:
        return []
    staged.write_text(json.dumps(nb), encoding="utf-8")
    return [f"cell '{gid}' was added by the participant with grading marks; it is not part of "
            "the assignment and was not scored" for gid in dict.fromkeys(added)]


def _cell_timeout(config) -> int | None:
    from nbgrader.preprocessors import Execute

    value = config.Execute.get("timeout") if "Execute" in config else None
    return int(value) if value else Execute.class_traits()["timeout"].default()


def _merge(nb, done: replay.Replayed, notes: list[str]) -> None:
    """Put the trusted results in the graded notebook, in place of the kernel's own."""
    from nbformat import from_dict

    for cell in nb.cells:
        grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        if grade_id in done.outputs:
            cell.outputs = [from_dict(o) for o in done.outputs[grade_id]]
        elif grade_id in done.untrusted:
            cell.outputs = [_error("UntrustedResult", (
                "this test ran in the notebook's own kernel, where the notebook's code had "
                "changed the kit's grading helpers; it scores zero"))]
    if done.untrusted:
        notes.append("the notebook's code changed the kit's grading helpers; the tests that had "
                     f"to run in its kernel score zero: {', '.join(sorted(done.untrusted))}")


#: Words of an error that show a limit was reached, and what the note then says.
_LIMIT_SIGNS = (
    ("memory", ("MemoryError", "Cannot allocate memory"), "used more than {memory} of memory"),
    ("disk", ("No space left on device",), "wrote more than {disk} to its folder (or "
     "{tmp} to /tmp)"),
    ("file_size", ("File too large",), "wrote a file larger than {file_size}"),
    ("processes", ("can't start new thread", "Resource temporarily unavailable"),
     "started more than {processes} processes or threads"),
)


def limit_notes(nb, events: dict, limits: Limits, runner, name: str) -> list[str]:
    """The notes that name each limit a notebook ran into, with its value."""
    values = {"memory": size_text(limits.memory), "disk": size_text(limits.disk),
              "tmp": size_text(limits.tmp), "file_size": size_text(limits.file_size),
              "processes": limits.processes}
    # errors, and what the notebook printed of the errors it caught itself
    text = " ".join(f"{o.get('ename', '')} {o.get('evalue', '')} {o.get('text', '')}"
                    for cell in nb.cells for o in cell.get("outputs", [])
                    if o.get("output_type") in ("error", "stream"))
    hit = set()
    for key, signs, _ in _LIMIT_SIGNS:
        if any(sign in text for sign in signs):
            hit.add(key)
    if events.get("memory"):
        hit.add("memory")
    if events.get("processes"):
        hit.add("processes")
    where = "the limit is set in nbgrader_config.py"
    notes = [f"{name}.ipynb {template.format(**values)}; {where}"
             for key, _, template in _LIMIT_SIGNS if key in hit]
    if runner is not None and runner.stopped:
        if "memory" in hit and "memory" in runner.stopped:
            notes = [n for n in notes if "of memory" not in n]
        notes.append(f"{name}.ipynb stopped: {runner.stopped}; the cells after it were not run "
                     "and score zero")
    if runner is not None and runner.skipped_cells and not runner.stopped:
        notes.append(f"{name}.ipynb used up its {limits.notebook_seconds:g} s; "
                     f"{runner.skipped_cells} cell(s) were not run and score zero")
    if runner is not None and runner._cut:
        notes.append(f"{name}.ipynb printed more than {size_text(limits.output)} in a cell; the "
                     "rest was cut")
    return notes


def run_job(job: Job, workspace: Workspace, km=None) -> JobResult:
    """Grade one submission in ``workspace`` (with its kernel ``km``, if launched ahead);
    never raises. The workspace is removed afterwards."""
    start = time.monotonic()
    notes: list[str] = []
    runs: list[NotebookRun] = []
    try:
        config = load_config(Path(job.course), job.overrides)
        coursedir = course_directory(config)
        max_bytes = min(int(coursedir.max_file_size) * 1024, job.limits.file_size)
        copy_files(Path(job.submitted), workspace.work, ignore=coursedir.ignore,
                   max_bytes=max_bytes, notes=notes)
        handed_in = sorted(str(p.relative_to(workspace.work)) for p in workspace.work.rglob("*")
                           if p.is_file()) + [f"{nb}.ipynb" for nb in job.notebooks]
        exclude = (config.Autograde.get("exclude_overwriting", {}) or {}).get(job.assignment, [])
        copy_files(Path(job.source), workspace.work, ignore=coursedir.ignore, exclude=exclude,
                   max_bytes=max_bytes)
        workspace.give_to_kernel()
        for name in job.notebooks:
            run = grade_notebook(job, name, workspace, config, km, handed_in)
            km = None
            runs.append(run)
            if not run.ok:  # as nbgrader: the first failing notebook fails the submission
                break
    except Exception as exc:
        runs.append(NotebookRun("", ok=False, reason=explain(exc)))
    finally:
        kill_kernel(km)
        workspace.remove()
    return JobResult(job.student, job.assignment, runs, notes, time.monotonic() - start)
