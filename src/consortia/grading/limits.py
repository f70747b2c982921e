"""What one submission may use while it is graded: memory, processes, disk, time, output.

A workshop server grades many participants' notebooks on one machine. Each
submission gets the same limits, written into the cohort's ``nbgrader_config.py`` by
``consortia workshop new`` (section ``GradingLimits``) and overridable for one run
with ``consortia grade`` options::

    c.GradingLimits.memory = "2 GiB"        # all processes of the submission together
    c.GradingLimits.processes = 256         # processes and threads
    c.GradingLimits.disk = "200 MB"         # bytes written to its working folder
    c.GradingLimits.file_size = "200 MB"    # largest file
    c.GradingLimits.tmp = "64 MB"           # its private /tmp
    c.GradingLimits.cpu_seconds = 600       # CPU time of one process
    c.GradingLimits.notebook_seconds = 300  # wall time of one notebook
    c.GradingLimits.output = "1 MB"         # stored output of one cell

The per-cell wall time is nbgrader's own ``c.Execute.timeout``. Every limit is one the
participant's code cannot raise: resource limits are set with equal soft and hard
values (CPU time: the hard limit a few seconds above the soft one, so that the
kernel is told first), before the code starts and outside the sandbox; memory and
processes are also held by a cgroup where the machine offers one
(:mod:`consortia.grading.cgroups`); the working folder is a size-limited file system
when the grader runs as root. :meth:`Limits.describe` says which of them are in
force, and ``consortia grade`` prints it when grading starts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace

from consortia.errors import InputError

#: The config section of ``nbgrader_config.py`` that holds the limits.
SECTION = "GradingLimits"

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "kib": 2**10, "mib": 2**20, "gib": 2**30}

#: Limits that are sizes in bytes (the others are counts or seconds).
SIZES = ("memory", "disk", "file_size", "tmp", "output")


def parse_size(value: object, what: str) -> int:
    """``"2 GiB"``, ``"200 MB"``, ``"64m"`` or a number of bytes -> bytes."""
    if isinstance(value, bool):
        raise InputError(f"{what}: give a size such as \"200 MB\", not {value!r}")
    if isinstance(value, int | float):
        number, unit = float(value), ""
    else:
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", str(value))
        if not match or match.group(2).lower() not in _UNITS:
            raise InputError(f"{what}: {value!r} is not a size; write it like \"2 GiB\", "
                             "\"200 MB\" or \"64 MB\"")
        number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * _UNITS[unit])
    if size < 1:
        raise InputError(f"{what}: {value!r} is too small")
    return size


def size_text(size: int) -> str:
    """Bytes as a person writes them: ``2 GiB``, ``200 MB``, ``64 MB``."""
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class Limits:
    """The limits of one submission (see the module's docstring)."""

    memory: int = 2 * 2**30
    processes: int = 256
    disk: int = 200 * 10**6
    file_size: int = 200 * 10**6
    tmp: int = 64 * 10**6
    cpu_seconds: int = 600
    notebook_seconds: float = 300.0
    output: int = 1 * 10**6
    #: Open files of one process (not configurable: no notebook needs more).
    open_files: int = 1024

    def __post_init__(self) -> None:
        for name in ("processes", "cpu_seconds"):
            if int(getattr(self, name)) < 1:
                raise InputError(f"the {name.replace('_', ' ')} limit must be at least 1")
        if self.processes < 16:
            raise InputError("the processes limit must be at least 16 (a kernel alone uses "
                             "about ten threads)")
        if self.memory < 256 * 2**20:
            raise InputError("the memory limit must be at least 256 MiB (a kernel with pandas "
                             "and matplotlib needs about 200 MiB)")
        if self.notebook_seconds <= 0:
            raise InputError("the notebook time limit must be a positive number of seconds")

    @classmethod
    def from_config(cls, config, overrides: dict | None = None) -> Limits:
        """The limits of a course's configuration (``c.GradingLimits``), then ``overrides``
        (names of :class:`Limits` fields -> values, e.g. from command-line options)."""
        section = dict(config.get(SECTION, {})) if SECTION in config else {}
        values = {**section, **{k: v for k, v in (overrides or {}).items() if v is not None}}
        known = {f.name for f in fields(cls)} - {"open_files"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InputError(f"nbgrader_config.py: c.{SECTION}.{unknown[0]} is not a limit; the "
                             f"limits are: {', '.join(sorted(known))}")
        parsed: dict[str, object] = {}
        for name, value in values.items():
            what = f"c.{SECTION}.{name}"
            if name in SIZES:
                parsed[name] = parse_size(value, what)
            elif name == "notebook_seconds":
                parsed[name] = _number(value, what, float)
            else:
                parsed[name] = _number(value, what, int)
        return replace(cls(), **parsed)

    def rlimits(self) -> dict[str, tuple[int, int]]:
        """Resource limits for every process of the submission: name -> (soft, hard).

        Memory is capped per process with ``RLIMIT_DATA`` (not ``RLIMIT_AS``, which
        counts reserved address space and stops a kernel with many threads long before
        it uses the memory); CPU time has its hard limit 5 s above the soft one, so that
        the kernel gets ``SIGXCPU`` (and the grader can tell why it stopped) before it
        is killed.
        """
        return {
            "core": (0, 0),
            "nofile": (self.open_files, self.open_files),
            "cpu": (self.cpu_seconds, self.cpu_seconds + 5),
            "fsize": (self.file_size, self.file_size),
            "nproc": (self.processes, self.processes),
            "data": (self.memory, self.memory),
        }

    def prlimit_argv(self) -> list[str]:
        """``prlimit --core=0:0 ... --``: sets :meth:`rlimits` and runs the rest."""
        return ["prlimit", *(f"--{name}={soft}:{hard}"
                             for name, (soft, hard) in self.rlimits().items()), "--"]

    def as_config(self) -> str:
        """The lines of ``nbgrader_config.py`` that set these limits."""
        lines = []
        for item in fields(self):
            if item.name == "open_files":
                continue
            value = getattr(self, item.name)
            shown = f'"{size_text(value)}"' if item.name in SIZES else f"{value:g}" \
                if isinstance(value, float) else str(value)
            lines.append(f"c.{SECTION}.{item.name} = {shown}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return asdict(self)


def _number(value: object, what: str, kind: type) -> int | float:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}: {value!r} is not a number") from None
    if isinstance(value, bool) or number <= 0:
        raise InputError(f"{what}: give a positive number, not {value!r}")
    return number


@dataclass(frozen=True)
class Enforcement:
    """How the machine holds each limit, in words for the start of a grading run."""

    memory: str
    processes: str
    disk: str
    user: str

    def lines(self, limits: Limits) -> list[str]:
        return [
            f"memory: {size_text(limits.memory)} ({self.memory})",
            f"processes and threads: {limits.processes} ({self.processes})",
            f"disk: {size_text(limits.disk)} written to its folder ({self.disk}), largest file "
            f"{size_text(limits.file_size)}, /tmp {size_text(limits.tmp)}",
            f"time: CPU {limits.cpu_seconds} s per process, {limits.notebook_seconds:g} s per "
            "notebook, the cell limit of Execute.timeout",
            f"stored output: {size_text(limits.output)} per cell",
            f"runs as: {self.user}",
        ]
