"""Confine a participant's kernel while it is graded: who it runs as, what it sees, what it may use.

Two modes, chosen with ``consortia grade --sandbox auto|bwrap|none``:

``bwrap`` (bubblewrap, Debian package ``bubblewrap``)
    The kernel runs in fresh mount, PID, network, IPC, UTS and cgroup namespaces. Its
    file system is an allow-list: read-only system folders (``/usr``, ``/lib*``,
    ``/bin``, ``/sbin``), a few named files of ``/etc`` (not ``/etc/shadow`` or keys),
    the Python install, the virtual environment, the folders on the kernel's
    ``sys.path`` and the kit's public case data; read-write only the submission's own
    working folder and a private runtime folder (the kernel's socket files); a private
    ``/tmp`` of limited size. ``/sys`` is not there and ``/proc`` shows only the
    sandbox's own processes. The course folder (sources, gradebook, other submissions)
    and the kit's ``solutions/`` are simply not there. There is no network. The
    environment is cleared down to a few variables, and the working folder is not on
    the kernel's import path (``PYTHONSAFEPATH``), so no file of a hand-in can stand in
    for a module the kernel or the tests import.

``none``
    No file-system or network protection: the kernel sees what its user can read
    (solutions, the gradebook, other participants' work) and uses the network. Use it
    only for trusted code or when nothing else is available. The limits below and the
    separate user still apply.

``auto`` picks ``bwrap`` when it works on this machine, else ``none``.

**Who the kernel runs as.** When ``consortia grade`` runs as root (a container, a
workshop server), every kernel runs as a user id of its own that is not 0, has no
account and owns nothing but the submission's working copy (:func:`kernel_uid`: two
ids per worker, so that a kernel and the next one never share a process count). The
sandbox is set up by bubblewrap as root, then ``setpriv`` drops to that id with no
capabilities, an empty bounding set and ``no_new_privs`` (set-uid programs gain
nothing), and an inner bubblewrap forbids new user namespaces. When ``consortia
grade`` runs as an ordinary user, the kernel runs as that user inside a user
namespace that forbids new ones: it cannot see the grader's files (they are not in
the sandbox), but it shares the grader's user id, which the operating system offers
no way around without privileges.

**Limits** (:mod:`consortia.grading.limits`) are set before the kernel starts and
outside the sandbox, so its code cannot raise them: resource limits with equal soft
and hard values, a cgroup for memory and processes where the machine offers one
(:mod:`consortia.grading.cgroups`), and, as root, a size-limited file system for the
working folder.

Where the kernel runs with ``--unshare-pid``: ipykernel's parent poller would see PID 1
as its parent and exit, so ``JPY_PARENT_PID`` is not passed into the sandbox (bubblewrap's
``--die-with-parent`` ends the kernel with its grader instead), and interrupts are sent
as messages on the control channel, because a SIGINT to the process group would end
bubblewrap itself. Killing the outer bubblewrap ends the PID namespace, and with it
every process the participant's code started, however it handles signals.
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

from consortia.errors import KitError
from consortia.grading.cgroups import KernelCgroup, Mechanism
from consortia.grading.limits import Limits

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

#: The first user id given to kernels when the grader runs as root. No account has it:
#: it lies far above the ids of people (1000 and up) and of the subordinate ranges that
#: /etc/subuid usually hands out (100000 and up, 65536 per user).
UID_BASE = 1_600_000_000

#: The programs that set the limits and drop privileges (util-linux, on every Debian).
HELPERS = ("prlimit", "setpriv")


class SandboxError(KitError, ValueError):
    """The requested sandbox cannot be used here; the message says why and what to do."""


def grader_is_root() -> bool:
    """True when ``consortia grade`` runs as root: kernels then get user ids of their own."""
    return os.geteuid() == 0


def kernel_uid(worker: int, parity: int, base: int = UID_BASE) -> int:
    """The user id of a kernel started by ``worker`` (its 0th, 1st, 2nd... kernel's
    ``parity`` alternates 0/1, so that a running kernel and the next one, launched ahead,
    never share a user id and with it a count of processes)."""
    return base + 2 * worker + (parity % 2)


@dataclass(frozen=True)
class Sandbox:
    """How kernels are confined: the mode, the read-only allow-list, limits and users."""

    mode: str
    read_only: tuple[str, ...] = field(default=())
    limits: Limits = field(default_factory=Limits)
    cgroups: Mechanism = field(default_factory=lambda: Mechanism("none", reason="not asked"))
    #: True: every kernel runs as a user id of its own (the grader is root).
    separate_users: bool = False
    #: True: every working copy is a file system of its own, of the disk limit's size.
    private_workspaces: bool = False

    @property
    def confined(self) -> bool:
        return self.mode == "bwrap"

    def describe(self) -> str:
        return PROTECTION[self.mode]

    def enforcement_lines(self) -> list[str]:
        """Which limits are in force and how, one line each (printed when grading starts)."""
        from consortia.grading.limits import Enforcement

        group = self.cgroups.describe()
        enforcement = Enforcement(
            memory=f"{group}; each process also capped by RLIMIT_DATA",
            processes=f"{group}; RLIMIT_NPROC of the kernel's own user"
            if self.separate_users else f"{group}; RLIMIT_NPROC counts all of the grader's "
            "processes",
            disk="a file system of that size" if self.private_workspaces else
            "checked every 0.2 s while it runs (no file system of its own: the grader "
            "cannot mount one)",
            user=f"a user id of its own per kernel (from {UID_BASE}), no privileges"
            if self.separate_users else
            f"the grader's own user id ({os.geteuid()}) inside a user namespace",
        )
        return enforcement.lines(self.limits)

    def wrap(self, argv: Sequence[str], *, cwd: Path, writable: Sequence[Path],
             env: dict[str, str], uid: int | None = None,
             cgroup: KernelCgroup | None = None) -> list[str]:
        """The command that runs ``argv`` with the limits, as ``uid``, confined for bwrap.

        ``uid`` is the kernel's own user id when the grader is root (else ``None``: the
        kernel runs as the grader); ``cgroup`` the kernel's cgroup, joined first.
        """
        cmd = cgroup.join_argv() if cgroup is not None else []
        cmd += self.limits.prlimit_argv()
        if not self.confined:
            return cmd + (_drop_to(uid) if uid is not None else []) + list(argv)
        cmd += ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
        if uid is None:  # an ordinary grader: a user namespace, and no more of them
            cmd += ["--unshare-user", "--disable-userns", "--assert-userns-disabled"]
        cmd += ["--cap-drop", "ALL"]
        if uid is not None:  # kept only for setpriv, which drops them all
            cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                    "--cap-add", "CAP_SETPCAP"]
        cmd += ["--clearenv"]
        for key, value in sorted(env.items()):
            cmd += ["--setenv", key, value]
        cmd += ["--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(self.limits.tmp), "--tmpfs", "/tmp"]
        shown = [*self.read_only, *(str(p) for p in writable)]
        # bubblewrap creates the folders leading to a mount point private to root
        # (mode 0700); the kernel's own user must be able to walk through them
        for folder in _leading_folders(shown):
            if folder != "/tmp":  # already there: the private /tmp above
                cmd += ["--perms", "0755", "--dir", folder]
        for path in self.read_only:
            cmd += ["--ro-bind-try", path, path]
        for path in writable:
            cmd += ["--bind", str(path), str(path)]
        # the sandbox's own root (where bwrap creates the mount points) is read-only too;
        # without capabilities, root may not enter the kernel's own folder: the second
        # bubblewrap, as the kernel's user, does
        cmd += ["--remount-ro", "/", "--chdir", "/" if uid is not None else str(cwd), "--"]
        if uid is not None:
            cmd += _drop_to(uid)
            # a second bubblewrap, now without privileges: no new user namespaces either
            cmd += ["bwrap", "--unshare-user", "--disable-userns", "--assert-userns-disabled",
                    "--uid", str(uid), "--gid", str(uid), "--die-with-parent",
                    "--dev-bind", "/", "/", "--chdir", str(cwd), "--"]
        return cmd + list(argv)


def _drop_to(uid: int) -> list[str]:
    """``setpriv``: become ``uid`` (group too) with no groups, capabilities or new privileges."""
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
            "--inh-caps=-all", "--bounding-set=-all", "--"]


def _leading_folders(paths: Iterable[str]) -> list[str]:
    """The folders above ``paths`` that lie inside none of them, shallowest first."""
    shown = [Path(p) for p in paths]
    found: set[str] = set()
    for path in shown:
        for parent in path.parents:
            if parent == Path("/") or any(parent == s or s in parent.parents for s in shown):
                continue
            found.add(str(parent))
    return sorted(found, key=lambda p: (len(Path(p).parts), p))


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
        # the working folder is not on the import path: no file of a hand-in named like a
        # module (consortia/..., ipykernel_launcher.py) can stand in for the real one
        "PYTHONSAFEPATH": "1",
        "NBGRADER_EXECUTION": "autograde",
    }
    env.update({k: os.environ[k] for k in PASSED_ENV if os.environ.get(k)})
    env.update(extra or {})
    return env


def prepare_runtime(runtime: Path, uid: int | None = None) -> None:
    """Create the kernel's private runtime folder, seeded with matplotlib's font cache.

    Without the seed every kernel that imports matplotlib would rebuild the cache
    (seconds each) in its empty home. With ``uid`` the folder belongs to the kernel's
    own user (mode 0700): the grader, as root, still reaches its sockets.
    """
    (runtime / "home").mkdir(parents=True, exist_ok=True)
    mpl = runtime / "mpl"
    mpl.mkdir(exist_ok=True)
    for cached in _matplotlib_font_caches():
        shutil.copy2(cached, mpl / cached.name)
    if uid is not None:
        give_to(runtime, uid)


def give_to(folder: Path, uid: int) -> None:
    """Make ``folder`` and everything in it belong to ``uid`` (its own group too), private.

    Links are changed themselves, never followed (the grader runs this as root).
    """
    folder = Path(folder)
    os.chown(folder, uid, uid, follow_symlinks=False)
    os.chmod(folder, 0o700)
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)


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


def helpers_problem() -> str | None:
    """None when the programs that set limits and drop privileges are installed."""
    missing = [name for name in HELPERS if shutil.which(name) is None]
    if missing:
        return (f"{' and '.join(missing)} not found (Debian/Ubuntu: apt-get install -y "
                "util-linux)")
    return None


@cache
def bwrap_problem() -> str | None:
    """None when bubblewrap can confine a Python kernel here; else the reason it cannot."""
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install -y bubblewrap)"
    if helpers_problem():
        return helpers_problem()
    probe = Sandbox("bwrap", allow_list(), separate_users=grader_is_root())
    cwd = Path("/")
    uid = kernel_uid(0, 0) if probe.separate_users else None
    argv = probe.wrap([sys.executable, "-E", "-c", "import os; os.getcwd()"], cwd=cwd,
                      writable=[], env={"PATH": "/usr/bin:/bin"}, uid=uid)
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap could not start: {exc}"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bubblewrap is installed but cannot create a sandbox here ({last})"
    return None


def resolve(mode: str = "auto", *, private: Sequence[Path] = (), limits: Limits | None = None,
            cgroups: Mechanism | None = None) -> Sandbox:
    """The sandbox for ``mode``; ``private`` folders must stay invisible to kernels.

    ``limits`` default to :class:`~consortia.grading.limits.Limits` and ``cgroups`` to
    none. Raises :class:`SandboxError` if ``bwrap`` is asked for and does not work, if
    the programs that set the limits are missing, or if a private folder (the course
    folder, the kit's solutions) lies inside a folder the sandbox has to show the kernel.
    """
    if mode not in MODES:
        raise SandboxError(f"unknown sandbox mode {mode!r}; choose one of {', '.join(MODES)}")
    problem = helpers_problem()
    if problem:
        raise SandboxError(f"cannot limit participants' code: {problem}")
    from consortia.grading.workspace import can_mount

    root = grader_is_root()
    settings = {"limits": limits or Limits(), "separate_users": root,
                "private_workspaces": root and can_mount(),
                **({"cgroups": cgroups} if cgroups is not None else {})}
    if mode == "none":
        return _unconfined(settings)
    problem = bwrap_problem()
    if problem:
        if mode == "bwrap":
            raise SandboxError(f"--sandbox bwrap: {problem}")
        return _unconfined(settings, why=problem)
    sandbox = Sandbox("bwrap", allow_list(), **settings)
    for folder in private:
        folder = Path(folder).resolve()
        for shown in sandbox.read_only:
            if _inside(folder, shown):
                raise SandboxError(
                    f"{folder} lies inside {shown}, which graded code must be able to read; "
                    "move the course folder elsewhere (e.g. /srv/courses/...)")
    return sandbox


def _unconfined(settings: dict, why: str | None = None) -> Sandbox:
    """Mode ``none``; as root, only if a kernel can run as its own user (never as root)."""
    box = Sandbox("none", **settings)
    if box.separate_users:
        problem = _own_user_problem(box)
        if problem:
            because = f" ({why})" if why else ""
            raise SandboxError(
                f"without bubblewrap{because}, 'consortia grade' running as root would have "
                f"to run participants' code as root, because a kernel's own user cannot run "
                f"{sys.executable} ({problem}). Install bubblewrap (apt-get install -y "
                "bubblewrap), run 'consortia grade' as an ordinary user, or install the kit "
                "and its Python where every user may read them (not under /root).")
    return box


def _own_user_problem(box: Sandbox) -> str | None:
    """None when a kernel's own user can start this Python (mode ``none``, as root)."""
    # the interpreter must start as itself (its own standard library, not one found
    # elsewhere because its home cannot be read) and reach the kernel's packages
    code = f"import sys, ipykernel; assert sys.base_prefix == {sys.base_prefix!r}, sys.base_prefix"
    argv = box.wrap([sys.executable, "-E", "-c", code], cwd=Path("/"), writable=[],
                    env={}, uid=kernel_uid(0, 0))
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd="/")
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["it failed"])[-1]
        if last.startswith(("AssertionError", "ModuleNotFoundError")):
            return f"it cannot read the Python install it belongs to, {sys.base_prefix}"
        return last
    return None


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
        kernel_uid: int | None = None
        cgroup: KernelCgroup | None = None

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
                                     writable=[self.work_cwd, self.runtime], env=self._env(),
                                     uid=self.kernel_uid, cgroup=self.cgroup)

        def write_connection_file(self, **kwargs):
            written = super().write_connection_file(**kwargs)
            if self.kernel_uid is not None:  # the kernel's own user must read its keys
                os.chown(self.connection_file, self.kernel_uid, self.kernel_uid)
            return written

        async def _async_pre_start_kernel(self, **kw):
            kw["env"] = self._env()
            kw["cwd"] = str(self.work_cwd)
            # the kernel's own chatter (banners, warnings) is not the grader's output
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            if self.sandbox.cgroups.usable and self.cgroup is None:
                self.cgroup = KernelCgroup(self.sandbox.cgroups,
                                           memory=self.sandbox.limits.memory,
                                           processes=self.sandbox.limits.processes)
            return await super()._async_pre_start_kernel(**kw)

        def limit_events(self) -> dict[str, int]:
            """How often the kernel's cgroup hit its memory and process limits."""
            return self.cgroup.events() if self.cgroup is not None else {}

        def release(self) -> None:
            """Kill whatever the kernel left running and remove its cgroup."""
            if self.cgroup is not None:
                self.cgroup.remove()
                self.cgroup = None

    return ConfinedKernelManager


def kernel_manager(sandbox: Sandbox, *, cwd: Path, runtime: Path, kernel_name: str = "python3",
                   config=None, uid: int | None = None):
    """A kernel manager whose kernel runs confined, in ``cwd``, talking over Unix sockets.

    ``runtime`` (created if needed) holds the connection file and the socket files; it
    must be a short path (sockets) and private to this kernel. ``uid`` is the kernel's
    own user id (when the grader is root): ``runtime`` is given to it; ``cwd`` must
    already be its own.
    """
    if sandbox.separate_users and uid is None:
        raise SandboxError("the grader runs as root: every kernel needs a user id of its own "
                           "(kernel_uid) and a working folder that user owns")
    prefix = runtime / "kernel"
    if len(str(prefix)) > MAX_SOCKET_PREFIX:
        raise SandboxError(f"the runtime folder {runtime} is too long a path for Unix sockets; "
                           "set TMPDIR to a short folder such as /tmp")
    prepare_runtime(runtime, uid)
    cls = _manager_class()
    km = cls(kernel_name=kernel_name, transport="ipc", ip=str(prefix),
             connection_file=str(runtime / "kernel.json"),
             **({"config": config} if config is not None else {}))
    km.sandbox = sandbox
    km.work_cwd = Path(cwd)
    km.runtime = Path(runtime)
    km.kernel_uid = uid
    return km
