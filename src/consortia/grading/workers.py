"""Worker processes that grade submissions in parallel, and the threads that feed them.

:class:`Worker` (a thread in the grader) starts ``python -c "...worker_main()"``
(not multiprocessing, which would re-run the caller's script in every worker) and
feeds it one job at a time over a pipe; the worker process runs
:func:`~consortia.grading.execute.run_job` and writes the result back. A crash or a
hang costs only the submission being graded, which is named in the result: the next
job gets a fresh process. Each worker launches the next submission's kernel
(:class:`Kernels`) while the current one runs, so the half second a kernel takes to
start is off the critical path.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from consortia._paths import kit_command
from consortia.grading import sandbox as sandboxes
from consortia.grading.execute import JobResult, NotebookRun, execute_class, kill_kernel, run_job
from consortia.grading.nbgrader_course import ignore_harmless_warnings, load_config
from consortia.grading.workspace import Workspace


@dataclass
class Setup:
    """Sent to a worker when it starts, so it can launch its first kernel at once."""

    sandbox: sandboxes.Sandbox
    work_root: str
    course: str
    overrides: dict
    #: Which worker this is (0, 1, ...): its kernels' user ids follow from it.
    index: int = 0


def worker_init() -> None:
    """Runs once in each worker: no core dumps, heavy imports done early.

    The limits of participants' code are set on each kernel's command
    (:mod:`consortia.grading.limits`), not here: the worker itself is trusted.
    """
    import resource
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    execute_class()
    ignore_harmless_warnings()
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
    worker_init()
    read = sys.stdin.buffer.read
    try:
        setup = _read_frame(read)
    except EOFError:
        return
    kernels = Kernels(setup)
    try:
        kernels.launch()
        while True:
            try:
                job = _read_frame(read)
            except EOFError:
                return
            workspace, km = kernels.take()
            kernels.launch()  # the next submission's kernel starts while this one runs
            _write_frame(out, run_job(job, workspace, km))
    finally:
        kernels.close()


class Kernels:
    """Kernels launched ahead of time, each in its own empty, confined working folder.

    Launching takes about half a second (a Python process importing ipykernel); done
    while the previous submission runs, it is off the critical path. The folder's
    files are copied in when the submission arrives: the sandbox binds the folder,
    so the kernel sees them. When the grader is root each kernel has a user id of its
    own (:func:`consortia.grading.sandbox.kernel_uid`, alternating between two per
    worker) and a working copy of its own file system (:class:`Workspace`).
    """

    def __init__(self, setup: Setup):
        self.setup = setup
        config = load_config(Path(setup.course), setup.overrides)
        extra = list(config.Execute.get("extra_arguments", []) or [])
        if not any(a.startswith("--HistoryManager.hist_file") for a in extra):
            extra.append("--HistoryManager.hist_file=:memory:")  # as nbclient adds it
        self.extra_arguments = extra
        self.ready: list[tuple[Workspace, object]] = []
        self.launched = 0

    def new_workspace(self) -> Workspace:
        box = self.setup.sandbox
        uid = (sandboxes.kernel_uid(self.setup.index, self.launched)
               if box.separate_users else None)
        self.launched += 1
        return Workspace(Path(self.setup.work_root), uid=uid, disk_bytes=box.limits.disk,
                         mount=box.private_workspaces)

    def launch(self) -> None:
        from jupyter_core.utils import run_sync

        workspace = self.new_workspace()
        km = None
        try:
            km = sandboxes.kernel_manager(self.setup.sandbox, cwd=workspace.work,
                                          runtime=workspace.runtime, kernel_name="python3",
                                          uid=workspace.uid)
            run_sync(km.start_kernel)(extra_arguments=list(self.extra_arguments))
        except Exception:  # the job will start its own kernel and report what fails
            kill_kernel(km)
            km = None
        self.ready.append((workspace, km))

    def take(self) -> tuple[Workspace, object]:
        return self.ready.pop(0)

    def close(self) -> None:
        for workspace, km in self.ready:
            kill_kernel(km)
            workspace.remove()
        self.ready = []


class Worker(threading.Thread):
    """Feeds jobs to one worker process and hands its results back; restarts it if it dies.

    A crash or a hang costs only the submission being graded, which is named in the
    result: the next job gets a fresh process.
    """

    COMMAND = "from consortia.grading.workers import worker_main; worker_main()"

    def __init__(self, setup: Setup, jobs: queue.Queue, results: queue.Queue,
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
                again = kit_command("grade", job.course, job.assignment)
                result = JobResult(job.student, job.assignment, [NotebookRun(
                    "", ok=False, reason=(
                        f"the grading worker {why} on this submission (the other submissions "
                        f"are not affected); grade it again with {again}, and if that happens "
                        "again, mark it by hand"))], [], 0.0)
            self.results.put((job, result))
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # the worker stops its spare kernel and exits
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        self.stop()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


