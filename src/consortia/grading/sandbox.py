"""Confine a participant's kernel while it is graded: what its code can read, write and reach.

Two modes, chosen with ``consortia grade --sandbox auto|bwrap|none``:

``bwrap`` (bubblewrap, Debian package ``bubblewrap``)
    The kernel runs in fresh mount, PID, network, IPC, UTS and cgroup namespaces with
    no capabilities. Its file system is an allow-list: read-only system folders
    (``/usr``, ``/lib*``, ``/bin``, ``/sbin``), a few named files of ``/etc`` (not
    ``/etc/shadow`` or keys), the Python install, the virtual environment and the
    folders on the kernel's ``sys.path`` and the kit's public case data; read-write only
    the submission's own working
    folder and a private runtime folder (the kernel's socket files); a private, empty
    ``/tmp``. The course folder (sources, gradebook, other submissions) and the kit's
    ``solutions/`` are simply not there. There is no network. It sees only its own
    processes, so it cannot signal the grader or another participant's kernel. The
    environment is cleared down to a few variables. The kernel talks to the grader
    over Unix sockets (jupyter_client's IPC transport) in the runtime folder; TCP
    cannot cross the network namespace.

``none``
    No operating-system protection. The kernel runs as the grader's user with the
    submission's folder as working directory and a cleaned environment (so it does not
    see the grader's variables), but its code can read and write everything that user
    can: solutions, the gradebook, other participants' work, the network. Use it only
    for trusted code or when nothing else is available.

``auto`` picks ``bwrap`` when it works on this machine, else ``none``.

Not covered by either mode: memory, CPU and process limits beyond the grader's time
limits (a memory bomb can still exhaust the machine; use a cgroup or a container for
that), and the hidden tests themselves: they run in the participant's kernel, so code
called by a test can inspect its caller. An unprivileged-user mode is not offered:
such a user still reads every world-readable file (a clone of this kit with its
``solutions/``, other courses), so it would not meet the promise above.

Where the kernel runs with ``--unshare-pid``: ipykernel's parent poller would see PID 1
as its parent and exit, so ``JPY_PARENT_PID`` is not passed into the sandbox (bubblewrap's
``--die-with-parent`` ends the kernel with its grader instead), and interrupts are sent
as messages on the control channel, because a SIGINT to the process group would end
bubblewrap itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

MODES = ("auto", "bwrap", "none")

#: What each mode protects against, in one sentence (printed by ``consortia grade``).
PROTECTION = {
    "bwrap": "bubblewrap: participants' code sees only its own folder, read-only system and "
             "Python files, no network, no other processes",
    "none": "NO SANDBOX: participants' code can read solutions, the gradebook and other "
            "participants' work, and use the network (install bubblewrap to confine it)",
}

#: Read-only system folders every kernel needs (absent ones are skipped).
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")

#: The only parts of /etc a Python kernel needs; everything else (shadow, keys) stays out.
ETC_FILES = (
    "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
    "/etc/localtime", "/etc/timezone", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
    "/etc/mime.types", "/etc/fonts", "/etc/matplotlibrc",
)

#: Unix socket paths are limited to about 107 bytes; the runtime folder must stay short.
MAX_SOCKET_PREFIX = 90


class SandboxError(ValueError):
    """The requested sandbox cannot be used here; the message says why and what to do."""


@dataclass(frozen=True)
class Sandbox:
    """How kernels are confined: the mode and, for bwrap, the read-only allow-list."""

    mode: str
    read_only: tuple[str, ...] = field(default=())

    @property
    def confined(self) -> bool:
        return self.mode == "bwrap"

    def describe(self) -> str:
        return PROTECTION[self.mode]

    def wrap(self, argv: Sequence[str], *, cwd: Path, writable: Sequence[Path],
             env: dict[str, str]) -> list[str]:
        """The command that runs ``argv`` confined (unchanged for mode ``none``)."""
        if not self.confined:
            return list(argv)
        cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--cap-drop", "ALL",
               "--clearenv"]
        for key, value in sorted(env.items()):
            cmd += ["--setenv", key, value]
        cmd += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for path in self.read_only:
            cmd += ["--ro-bind-try", path, path]
        for path in writable:
            cmd += ["--bind", str(path), str(path)]
        # the sandbox's own root (where bwrap creates the mount points) is read-only too
        cmd += ["--remount-ro", "/", "--chdir", str(cwd), "--", *argv]
        return cmd


def kernel_env(runtime: Path, *, confined: bool, extra: dict[str, str] | None = None
               ) -> dict[str, str]:
    """The whole environment of a grading kernel: nothing inherited from the grader.

    ``NBGRADER_EXECUTION=autograde`` is set as ``nbgrader autograde`` does, so test
    cells that check it behave the same.
    """
    python_bin = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp" if confined else str(runtime / "home"),
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": str(runtime / "mpl"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "NBGRADER_EXECUTION": "autograde",
    }
    env.update({k: os.environ[k] for k in PASSED_ENV if os.environ.get(k)})
    env.update(extra or {})
    return env


def prepare_runtime(runtime: Path) -> None:
    """Create the kernel's private runtime folder, seeded with matplotlib's font cache.

    Without the seed every kernel that imports matplotlib would rebuild the cache
    (seconds each) in its empty home.
    """
    (runtime / "home").mkdir(parents=True, exist_ok=True)
    mpl = runtime / "mpl"
    mpl.mkdir(exist_ok=True)
    for cached in _matplotlib_font_caches():
        shutil.copy2(cached, mpl / cached.name)


@cache
def _matplotlib_font_caches() -> tuple[Path, ...]:
    candidates = [os.environ.get("MPLCONFIGDIR"),
                  os.path.join(os.environ.get("XDG_CACHE_HOME") or
                               os.path.expanduser("~/.cache"), "matplotlib")]
    for folder in filter(None, candidates):
        found = sorted(Path(folder).glob("fontlist-*.json"))
        if found:
            return tuple(found)
    return ()


@cache
def kernel_python_paths(executable: str = sys.executable) -> tuple[str, ...]:
    """The folders the kernel's interpreter imports from (its prefixes and ``sys.path``)."""
    code = ("import json, sys; print(json.dumps([sys.prefix, sys.base_prefix, "
            "sys.exec_prefix, *sys.path]))")
    try:
        out = subprocess.run([executable, "-E", "-s", "-c", code], capture_output=True,
                             text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise SandboxError(f"cannot ask {executable} for its import path: {exc}") from None
    import json

    paths = [p for p in json.loads(out) if p and os.path.isabs(p)]
    # a zip on sys.path (python311.zip) is bound through its folder only if it exists
    return tuple(str(Path(p).resolve()) for p in paths if os.path.exists(p))


def _collapse(paths: Iterable[str]) -> tuple[str, ...]:
    """Unique paths, dropping any that lies inside another one of the list."""
    kept: list[str] = []
    for path in sorted(set(paths), key=lambda p: (len(Path(p).parts), p)):
        if not any(_inside(path, parent) for parent in kept):
            kept.append(path)
    return tuple(kept)


def _inside(path: str | Path, parent: str | Path) -> bool:
    path, parent = Path(path), Path(parent)
    return path == parent or parent in path.parents


def kit_data_folders() -> list[str]:
    """Public data the kit's package reads at run time from outside its own folder.

    In a clone of the kit the case studies are read from ``case_studies/data`` (or the
    folder named by ``CONSORTIA_CASES_DIR``); assignments load them, so graded code
    must see them (read-only). Nothing secret lives there.
    """
    from consortia.content import cases

    folder = cases.cases_dir()
    return [str(folder.resolve())] if folder.is_dir() else []


#: Variables of the grader passed on to kernels because the kit's package reads them.
PASSED_ENV = ("CONSORTIA_CASES_DIR",)


def allow_list(executable: str = sys.executable) -> tuple[str, ...]:
    """The read-only paths a confined kernel sees."""
    python = [str(Path(executable).parent), str(Path(executable).resolve().parent),
              *kernel_python_paths(executable), *kit_data_folders()]
    return tuple(SYSTEM_FOLDERS) + tuple(ETC_FILES) + _collapse(python)


@cache
def bwrap_problem() -> str | None:
    """None when bubblewrap can confine a Python kernel here; else the reason it cannot."""
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install -y bubblewrap)"
    probe = Sandbox("bwrap", allow_list())
    cwd = Path("/")
    argv = probe.wrap([sys.executable, "-E", "-c", "import os; os.getcwd()"], cwd=cwd,
                      writable=[], env={"PATH": "/usr/bin:/bin"})
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap could not start: {exc}"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bubblewrap is installed but cannot create a sandbox here ({last})"
    return None


def resolve(mode: str = "auto", *, private: Sequence[Path] = ()) -> Sandbox:
    """The sandbox for ``mode``; ``private`` folders must stay invisible to kernels.

    Raises :class:`SandboxError` if ``bwrap`` is asked for and does not work, or if a
    private folder (the course folder, the kit's solutions) lies inside a folder the
    sandbox has to show the kernel.
    """
    if mode not in MODES:
        raise SandboxError(f"unknown sandbox mode {mode!r}; choose one of {', '.join(MODES)}")
    if mode == "none":
        return Sandbox("none")
    problem = bwrap_problem()
    if problem:
        if mode == "bwrap":
            raise SandboxError(f"--sandbox bwrap: {problem}")
        return Sandbox("none")
    sandbox = Sandbox("bwrap", allow_list())
    for folder in private:
        folder = Path(folder).resolve()
        for shown in sandbox.read_only:
            if _inside(folder, shown):
                raise SandboxError(
                    f"{folder} lies inside {shown}, which graded code must be able to read; "
                    "move the course folder elsewhere (e.g. /srv/courses/...)")
    return sandbox


@cache
def _manager_class():
    """A kernel manager that starts kernels through the sandbox (built on first use).

    jupyter_client 8 ignores ``kernel_cmd``, so the sandbox wraps the command the
    kernelspec's ``argv`` produces.
    """
    from jupyter_client.manager import AsyncKernelManager

    class ConfinedKernelManager(AsyncKernelManager):
        sandbox: Sandbox = Sandbox("none")
        work_cwd: Path = Path(".")
        runtime: Path = Path(".")

        @property
        def kernel_spec(self):
            spec = AsyncKernelManager.kernel_spec.fget(self)
            if spec is not None and self.sandbox.confined:
                spec.interrupt_mode = "message"
            return spec

        def _env(self) -> dict[str, str]:
            spec = self.kernel_spec
            extra = dict(spec.env) if spec is not None and spec.env else {}
            return kernel_env(self.runtime, confined=self.sandbox.confined, extra=extra)

        def format_kernel_cmd(self, extra_arguments=None):
            argv = super().format_kernel_cmd(extra_arguments)
            if self.sandbox.confined and not any(_inside(argv[0], p)
                                                 for p in self.sandbox.read_only):
                raise SandboxError(f"the kernel program {argv[0]} lies outside the sandbox's "
                                   "read-only folders")
            return self.sandbox.wrap(argv, cwd=self.work_cwd,
                                     writable=[self.work_cwd, self.runtime], env=self._env())

        async def _async_pre_start_kernel(self, **kw):
            kw["env"] = self._env()
            kw["cwd"] = str(self.work_cwd)
            # the kernel's own chatter (banners, warnings) is not the grader's output
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return ConfinedKernelManager


def kernel_manager(sandbox: Sandbox, *, cwd: Path, runtime: Path, kernel_name: str = "python3",
                   config=None):
    """A kernel manager whose kernel runs confined, in ``cwd``, talking over Unix sockets.

    ``runtime`` (created if needed) holds the connection file and the socket files; it
    must be a short path (sockets) and private to this kernel.
    """
    prefix = runtime / "kernel"
    if len(str(prefix)) > MAX_SOCKET_PREFIX:
        raise SandboxError(f"the runtime folder {runtime} is too long a path for Unix sockets; "
                           "set TMPDIR to a short folder such as /tmp")
    prepare_runtime(runtime)
    cls = _manager_class()
    km = cls(kernel_name=kernel_name, transport="ipc", ip=str(prefix),
             connection_file=str(runtime / "kernel.json"),
             **({"config": config} if config is not None else {}))
    km.sandbox = sandbox
    km.work_cwd = Path(cwd)
    km.runtime = Path(runtime)
    return km
