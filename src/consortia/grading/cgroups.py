"""Memory and process limits for one kernel and all it starts, with a Linux cgroup.

Resource limits (rlimits) count one process at a time; a cgroup counts the whole
group: every process and thread the participant's code starts, and the pages of its
private ``/tmp`` too. :func:`detect` finds what the machine offers, once per run:

* ``v2``: the unified hierarchy, with the ``memory`` and ``pids`` controllers
  delegated to the grader's own cgroup (a typical server with systemd);
* ``v1``: the separate ``memory`` and ``pids`` hierarchies (older machines and some
  containers; this is what the kit's CI machine has);
* ``none``: neither can be written (the grader is not root, or the controllers are
  not delegated): the rlimits of :mod:`consortia.grading.limits` are all there is.

:class:`KernelCgroup` makes one cgroup per kernel below the grader's own, with the
submission's memory (swap included where the machine counts it) and process limits;
the kernel's command joins it before it drops its privileges (:meth:`join_argv`),
and :meth:`remove` kills whatever is left in it before removing it. :meth:`events`
tells afterwards whether a limit was hit, so that the submission's note can say so.
Only root can do any of this; tests only ever create cgroups below the grader's.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Name prefix of every cgroup the kit creates (a crashed run's are recognised by it).
PREFIX = "consortia-"

_counter = itertools.count(1)


@dataclass(frozen=True)
class Mechanism:
    """What :func:`detect` found: the kind and where new cgroups go (by controller)."""

    kind: str  # "v2", "v1" or "none"
    parents: dict[str, str] = field(default_factory=dict)
    reason: str = ""

    @property
    def usable(self) -> bool:
        return self.kind != "none"

    def describe(self) -> str:
        if self.kind == "v2":
            return "cgroup v2, all processes together"
        if self.kind == "v1":
            return "cgroup v1, all processes together"
        return f"per process only, no cgroup ({self.reason})"


def _mounts() -> tuple[dict[str, str], str | None]:
    v1: dict[str, str] = {}
    v2 = None
    with open("/proc/self/mountinfo", encoding="utf-8") as stream:
        for line in stream:
            before, _, after = line.partition(" - ")
            parts = after.split()
            if len(parts) < 3:
                continue
            mount_point = before.split()[4]
            if parts[0] == "cgroup2" and v2 is None:
                v2 = mount_point
            elif parts[0] == "cgroup":
                for option in parts[2].split(","):
                    if option in ("memory", "pids"):
                        v1.setdefault(option, mount_point)
    return v1, v2


def _own(controller: str) -> str | None:
    """This process's cgroup path for a v1 controller, or ``""`` for the v2 hierarchy."""
    with open("/proc/self/cgroup", encoding="utf-8") as stream:
        for line in stream:
            number, controllers, path = line.rstrip("\n").split(":", 2)
            if (controller == "" and number == "0") or controller in controllers.split(","):
                return path
    return None


def _probe(parent: str, needed: tuple[str, ...]) -> str | None:
    """None if a child cgroup can be made below ``parent`` with the ``needed`` files."""
    probe = os.path.join(parent, f"{PREFIX}probe-{os.getpid()}")
    try:
        os.mkdir(probe)
    except OSError as exc:
        return f"cannot create a cgroup in {parent} ({exc.strerror})"
    try:
        missing = [name for name in needed if not os.path.exists(os.path.join(probe, name))]
        return f"{parent} lacks {', '.join(missing)}" if missing else None
    finally:
        with contextlib.suppress(OSError):
            os.rmdir(probe)


def detect() -> Mechanism:
    """The cgroup mechanism this process can use for kernels (see the module docstring)."""
    if os.geteuid() != 0:
        return Mechanism("none", reason="the grader does not run as root")
    try:
        v1, v2 = _mounts()
    except OSError as exc:
        return Mechanism("none", reason=f"cannot read the mounts ({exc.strerror})")
    reasons = []
    if v2:
        base = v2 + (_own("") or "")
        try:
            available = Path(base, "cgroup.controllers").read_text().split()
        except OSError:
            available = []
        if {"memory", "pids"} <= set(available):
            problem = _probe(base, ("memory.max", "pids.max", "cgroup.procs"))
            if problem is None:
                return Mechanism("v2", {"v2": base})
            reasons.append(problem)
        else:
            reasons.append("cgroup v2 without the memory and pids controllers")
    if "memory" in v1 and "pids" in v1:
        parents = {"memory": v1["memory"] + (_own("memory") or ""),
                   "pids": v1["pids"] + (_own("pids") or "")}
        problems = [_probe(parents["memory"], ("memory.limit_in_bytes",)),
                    _probe(parents["pids"], ("pids.max",))]
        if not any(problems):
            return Mechanism("v1", parents)
        reasons += [p for p in problems if p]
    elif not v2:
        reasons.append("no memory and pids cgroup controllers")
    return Mechanism("none", reason="; ".join(reasons))


class KernelCgroup:
    """The cgroup(s) of one kernel: made on creation, removed by :meth:`remove`."""

    def __init__(self, mechanism: Mechanism, *, memory: int, processes: int):
        self.mechanism = mechanism
        name = f"{PREFIX}{os.getpid()}-{next(_counter)}"
        self.dirs: list[str] = []
        try:
            if mechanism.kind == "v2":
                folder = os.path.join(mechanism.parents["v2"], name)
                os.mkdir(folder)
                self.dirs = [folder]
                self._write(folder, "memory.max", memory)
                self._write(folder, "memory.swap.max", 0, optional=True)
                self._write(folder, "pids.max", processes)
            elif mechanism.kind == "v1":
                memory_dir = os.path.join(mechanism.parents["memory"], name)
                pids_dir = os.path.join(mechanism.parents["pids"], name)
                os.mkdir(memory_dir)
                self.dirs.append(memory_dir)
                os.mkdir(pids_dir)
                self.dirs.append(pids_dir)
                self._write(memory_dir, "memory.limit_in_bytes", memory)
                # swap counted too where the machine accounts it (set after the memory limit)
                self._write(memory_dir, "memory.memsw.limit_in_bytes", memory, optional=True)
                self._write(pids_dir, "pids.max", processes)
        except OSError:
            self.remove()
            raise

    @staticmethod
    def _write(folder: str, name: str, value: int, optional: bool = False) -> None:
        try:
            Path(folder, name).write_text(str(value))
        except OSError:
            if not optional:
                raise

    def join_argv(self) -> list[str]:
        """A command prefix that moves itself into the cgroup(s), then runs the rest.

        It runs as the grader (root), before the kernel's command drops privileges, so
        the participant's code starts inside the cgroup and cannot leave it.
        """
        script = ('for d in "$@"; do [ "$d" = -- ] && { shift; break; }; '
                  'echo $$ > "$d/cgroup.procs" || exit 125; shift; done; exec "$@"')
        return ["/bin/sh", "-c", script, "sh", *self.dirs, "--"]

    def processes(self) -> set[int]:
        found: set[int] = set()
        for folder in self.dirs:
            with contextlib.suppress(OSError):
                found |= {int(p) for p in Path(folder, "cgroup.procs").read_text().split()}
        return found

    def events(self) -> dict[str, int]:
        """How often each limit was hit: ``{"memory": n, "processes": n}``."""
        found = {"memory": 0, "processes": 0}
        for folder in self.dirs:
            for name, key, field_name in (
                ("memory.events", "memory", "oom_kill"), ("memory.oom_control", "memory",
                                                          "oom_kill"),
                ("pids.events", "processes", "max"),
            ):
                with contextlib.suppress(OSError, ValueError):
                    for line in Path(folder, name).read_text().splitlines():
                        label, _, count = line.partition(" ")
                        if label == field_name:
                            found[key] = max(found[key], int(count))
            with contextlib.suppress(OSError, ValueError):
                found["memory"] = max(found["memory"],
                                      int(Path(folder, "memory.failcnt").read_text()))
        return found

    def kill(self, timeout: float = 5.0) -> bool:
        """Kill every process left in the cgroup; True when none is left."""
        if self.mechanism.kind == "v2" and self.dirs:
            self._write(self.dirs[0], "cgroup.kill", 1, optional=True)
        deadline = time.monotonic() + timeout
        while True:
            left = self.processes()
            if not left:
                return True
            if time.monotonic() > deadline:
                return False
            for pid in left:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)

    def remove(self) -> None:
        """Kill what is left and remove the cgroup(s); safe to call twice."""
        self.kill()
        for folder in reversed(self.dirs):
            for _ in range(50):
                try:
                    os.rmdir(folder)
                    break
                except FileNotFoundError:
                    break
                except OSError:  # a dying process still counted: try again shortly
                    time.sleep(0.02)
        self.dirs = []


def remove_leftovers(mechanism: Mechanism) -> int:
    """Remove cgroups a crashed grading run left behind (their creator is gone)."""
    removed = 0
    for parent in mechanism.parents.values():
        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                if not entry.name.startswith(PREFIX) or not entry.is_dir():
                    continue
                creator = entry.name[len(PREFIX):].split("-", 1)[0]
                if creator.isdigit() and process_alive(int(creator)):
                    continue
                leftover = KernelCgroup.__new__(KernelCgroup)
                leftover.mechanism, leftover.dirs = mechanism, [entry.path]
                leftover.remove()
                removed += 1
    return removed


def process_alive(pid: int) -> bool:
    """True if a process with this id exists (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
