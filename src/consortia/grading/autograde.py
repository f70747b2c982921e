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

This module holds the orchestration (:func:`grade`). One submission's run in its
sandboxed kernel is :mod:`consortia.grading.execute`, the worker processes
:mod:`consortia.grading.workers`, the parent's writes to the gradebook
:mod:`consortia.grading.gradebook` and the outcomes :mod:`consortia.grading.outcomes`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from consortia._paths import kit_command, solutions_dir
from consortia.grading import cgroups
from consortia.grading import sandbox as sandboxes
from consortia.grading.execute import Job
from consortia.grading.gradebook import GradebookWriter, GradingError
from consortia.grading.limits import Limits
from consortia.grading.nbgrader_course import load_config, open_gradebook
from consortia.grading.outcomes import (
    STATUSES,
    GradingRun,
    Outcome,
    load_outcomes,
    outcomes_path,
    save_outcomes,
    save_progress,
)
from consortia.grading.workers import Setup, Worker, default_workers
from consortia.grading.workspace import mounts_below, new_work_root, unmount
from consortia.grading.workspace import remove_leftovers as remove_work_leftovers

__all__ = ["DEFAULT_NOTEBOOK_TIMEOUT", "STATUSES", "GradingError", "GradingRun", "Outcome",
           "grade", "gradebook_scores", "load_config", "load_outcomes", "outcomes_path",
           "save_outcomes"]

#: Seconds a notebook may run in all (on top of the per-cell timeout of nbgrader).
DEFAULT_NOTEBOOK_TIMEOUT = Limits().notebook_seconds

#: The folder of a course where grading keeps its lock and the workers' gradebook copy.
STATE_FOLDER = ".grading"




# --- progress ---------------------------------------------------------------------------


class Progress:
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


def grade(course: Path | str, assignment: str | None = None, *, workers: int | None = None,
          timeout: float | None = None, notebook_timeout: float | None = None,
          sandbox: str = "auto", progress: TextIO | None = None,
          on_outcome: Callable[[Outcome], None] | None = None, limits: dict | None = None,
          wait: bool = False, on_start: Callable[[sandboxes.Sandbox], None] | None = None
          ) -> GradingRun:
    """Autograde every submission (of ``assignment``, or of all assignments) in ``course``.

    ``timeout`` is nbgrader's per-cell limit (``Execute.timeout``; default from the
    course's config), ``notebook_timeout`` the wall-clock limit of one notebook and
    ``limits`` overrides the other limits of :class:`~consortia.grading.limits.Limits`
    for this run (``{"memory": "1 GiB"}``). Progress goes to ``progress`` (e.g.
    ``sys.stderr``); ``on_start`` is told the sandbox before the first submission.
    Outcomes are saved to ``reports/<assignment>/grading.json`` as grading goes
    (submissions not yet graded are ``pending``), so a run that is stopped leaves a
    true record. Only one run grades a course at a time: another one waits (``wait``)
    or is refused. Raises :class:`GradingError` or
    :class:`~consortia.grading.sandbox.SandboxError` before grading anything if the run
    cannot be made; a broken or hostile submission never raises.
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
    config = load_config(course, overrides)
    run_limits = Limits.from_config(config, {**(limits or {}),
                                             "notebook_seconds": notebook_timeout})
    with run_lock(course, wait=wait):
        cleanup_leftovers(course)
        mechanism = cgroups.detect()
        box = sandboxes.resolve(sandbox, private=[course, *_kit_solutions()], limits=run_limits,
                                cgroups=mechanism)
        if on_start:
            on_start(box)
        return _grade(course, assignment, config, overrides, box, workers, progress,
                      on_outcome, timeout, start)


def not_saved_reason(exc: BaseException, course: Path, student: str, assignment: str) -> str:
    """Why a graded submission did not reach the gradebook, and what to do, in words.

    The technical detail comes last, for a report; the sentence before it is what an
    instructor acts on.
    """
    again = kit_command("grade", course, assignment)
    detail = f"(technical detail: {type(exc).__name__}: {exc})"
    text = str(exc).lower()
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "disk is full" in text \
            or "no space left" in text:
        return (f"the grades of {student} could not be saved because the disk of this "
                f"computer is full: free some space, then run {again} {detail}")
    if "locked" in text:
        return (f"the grades of {student} could not be saved because another program held "
                f"the gradebook (formgrader saving at the same moment?): run {again} {detail}")
    return (f"the grades of {student} could not be saved in the gradebook: run {again}; "
            f"if it fails again, mark this submission by hand and report the detail {detail}")


def _grade(course: Path, assignment: str | None, config, overrides: dict,
           box: sandboxes.Sandbox, workers: int, progress: TextIO | None,
           on_outcome: Callable[[Outcome], None] | None, timeout: float | None,
           start: float) -> GradingRun:
    grader = GradebookWriter(course, overrides, config)
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
    bar = Progress(len(pairs) + len(absent), progress)
    outcomes: dict[tuple[str, str], Outcome] = {
        (name, student): Outcome(student, name, "pending") for student, name in pairs}

    def record(outcome: Outcome) -> None:
        outcomes[(outcome.assignment, outcome.student)] = outcome
        save_progress(course, outcome.assignment,
                      [o for (a, _), o in sorted(outcomes.items()) if a == outcome.assignment])

    def finish(outcome: Outcome) -> None:
        if outcome.status != "absent":
            grader.fill_scores(outcome)
        record(outcome)
        bar.update(outcome)
        if on_outcome:
            on_outcome(outcome)

    for student, name in absent:
        outcomes[(name, student)] = Outcome(student, name, "absent", reason="nothing submitted")
    for name in selected:  # every submission shows as pending until it is graded
        save_progress(course, name, [o for (a, _), o in sorted(outcomes.items()) if a == name])

    work_root = new_work_root()
    snapshot_dir = state_folder(course)
    completed = False
    jobs_queue: queue.Queue = queue.Queue()
    results: queue.Queue = queue.Queue()
    # the workers start (and import nbgrader) while the gradebook is prepared
    threads = [Worker(Setup(box, str(work_root), str(course), overrides, index), jobs_queue,
                      results, box.limits.notebook_seconds) for index in range(workers)]
    snapshot = None
    try:
        jobs: list[tuple[Job, Outcome]] = []
        for student, name in pairs:
            outcome, present = grader.plan_submission(student, name, notebooks[name])
            if not present:
                grader.record_submission(outcome, notebooks[name], present)
                finish(outcome)
                continue
            jobs.append((Job(
                student=student, assignment=name, notebooks=present,
                submitted=str(grader.path(grader.coursedir.submitted_directory, student, name)),
                source=str(grader.path(grader.coursedir.source_directory, ".", name)),
                release=str(grader.path(grader.coursedir.release_directory, ".", name)),
                course=str(course), overrides=overrides, db_url="", sandbox=box,
                work_root=str(work_root)), outcome))
        for student, name in absent:
            finish(outcomes[(name, student)])
        snapshot = grader.snapshot(snapshot_dir)
        waiting = {}
        for job, outcome in jobs:
            job.db_url = snapshot
            waiting[(job.student, job.assignment)] = (outcome, job)
            jobs_queue.put(job)
        for thread in threads:
            jobs_queue.put(None)
            thread.start()
        while waiting:
            job, result = results.get()
            outcome, _ = waiting.pop((job.student, job.assignment))
            try:
                grader.record_submission(outcome, notebooks[job.assignment], job.notebooks)
                grader.save(job, result, outcome)
            except Exception as exc:  # e.g. a full disk: this submission only
                outcome.status = "failed"
                outcome.reason = not_saved_reason(exc, course, job.student, job.assignment)
            finish(outcome)
        completed = True
    finally:
        for thread in threads:  # after the last job a worker ends by itself; else stop it
            if thread.is_alive():
                thread.join(timeout=10 if completed else 0)
            thread.stop()
        for target in mounts_below(work_root):
            unmount(target)
        shutil.rmtree(work_root, ignore_errors=True)
        if snapshot:
            with contextlib.suppress(OSError):
                Path(snapshot.removeprefix("sqlite:///")).unlink()
        if box.cgroups.usable:
            cgroups.remove_leftovers(box.cgroups)
    ordered = [outcomes[k] for k in sorted(outcomes)]
    run = GradingRun(course, ordered, box.mode, workers, time.monotonic() - start, timeout,
                     ignored)
    for name in selected:
        save_outcomes(run, name)
    return run


# --- one run at a time, and what a killed run left behind -------------------------------------


def state_folder(course: Path) -> Path:
    """``<course>/.grading``: the lock, and the gradebook snapshot the workers read."""
    folder = Path(course) / STATE_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@contextlib.contextmanager
def run_lock(course: Path, *, wait: bool = False):
    """Hold the course's grading lock for the block; another run waits or is refused."""
    import fcntl

    path = state_folder(course) / "lock"
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(handle, 200, 0).decode("utf-8", "replace").strip()
            holder = holder or "a run started earlier"
            raise GradingError(
                f"another 'consortia grade' is grading {course} right now ({holder}); wait "
                "for it to finish, or run again with --wait to start when it has") from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"process {os.getpid()}, started {time.strftime('%H:%M:%S')}"
                  .encode(), 0)
        yield
    finally:
        os.close(handle)  # releases the lock


def cleanup_leftovers(course: Path) -> None:
    """Remove what a killed run left: its work folders and mounts, cgroups, snapshot.

    Called with the run lock held, so no other run of this course is going; work
    folders of other courses' runs that are still alive are left alone.
    """
    remove_work_leftovers()
    for stale in state_folder(course).glob("snapshot-*.db"):
        pid = stale.stem.removeprefix("snapshot-")
        if pid.isdigit() and not cgroups.process_alive(int(pid)):
            stale.unlink(missing_ok=True)
    mechanism = cgroups.detect()
    if mechanism.usable:
        cgroups.remove_leftovers(mechanism)


def _kit_solutions() -> list[Path]:
    """The kit's own solutions folder, when the package runs from a clone of the kit."""
    folder = solutions_dir()
    return [folder] if folder.is_dir() else []


def gradebook_scores(course: Path | str, assignment: str) -> dict[str, float]:
    """Total score of every submission of ``assignment`` in the gradebook (0 if none)."""
    with open_gradebook(course) as gb:
        return {s["student"]: float(s["score"]) for s in gb.submission_dicts(assignment)}


