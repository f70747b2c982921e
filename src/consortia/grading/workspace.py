"""One kernel's folders while it grades a submission: its working copy and its runtime.

A :class:`Workspace` is made for every kernel, in the grading run's work root::

    j<random>/s   the submission's working copy: the kernel's working folder
    j<random>/k   the kernel's runtime (connection file, sockets, home)
    j<random>/a   the working copy as it was when the kernel stopped (for the checks
                  the grader runs itself), copied without links or oversized files

When the grader runs as root the working copy is a file system of its own (a tmpfs of
the disk limit's size, ``noexec``, owned by the kernel's user): the participant's
code cannot write more than the limit, nor fill the grader's disk. Otherwise
:meth:`Workspace.used_bytes` lets a watchdog stop the kernel when it writes more.

A grading run that is killed leaves its work root behind; :func:`remove_leftovers`,
called when the next run starts, unmounts and removes those of runs whose process
is gone, so no participant's work stays in a temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from consortia.grading.cgroups import process_alive

#: The name the kit's tmpfs mounts carry (``mount`` shows it as their source).
MOUNT_SOURCE = "consortia-work"

#: Files a working copy may hold at most (the tmpfs inode count).
MAX_FILES = 50_000

#: Work roots are named ``cg-<pid of the grading run>-<random>``.
WORK_ROOT_PREFIX = "cg-"


def new_work_root() -> Path:
    """A fresh, private work root for a grading run, named after the run's process id."""
    return Path(tempfile.mkdtemp(prefix=f"{WORK_ROOT_PREFIX}{os.getpid()}-"))


def mounts_below(folder: Path | str) -> list[str]:
    """The kit's tmpfs mounts at or below ``folder``, deepest first."""
    folder = os.path.realpath(folder)
    found = []
    with contextlib.suppress(OSError), open("/proc/self/mounts", encoding="utf-8") as stream:
        for line in stream:
            source, target = line.split()[:2]
            target = target.replace("\\040", " ")
            if source == MOUNT_SOURCE and (target == folder or target.startswith(folder + "/")):
                found.append(target)
    return sorted(found, key=len, reverse=True)


def unmount(target: str) -> None:
    """Unmount a working copy (lazily if something still holds it)."""
    done = subprocess.run(["umount", target], capture_output=True, check=False)
    if done.returncode != 0:
        subprocess.run(["umount", "--lazy", target], capture_output=True, check=False)


def can_mount() -> bool:
    """True when this process may mount a tmpfs (root with CAP_SYS_ADMIN)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = Path(tempfile.mkdtemp(prefix="cg-probe-"))
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", MOUNT_SOURCE,
                               str(probe)], capture_output=True, check=False)
        if done.returncode != 0:
            return False
        unmount(str(probe))
        return True
    finally:
        shutil.rmtree(probe, ignore_errors=True)


class Workspace:
    """The folders of one kernel (see the module's docstring)."""

    def __init__(self, root: Path, *, uid: int | None, disk_bytes: int, mount: bool):
        self.folder = Path(tempfile.mkdtemp(prefix="j", dir=root))
        self.work = self.folder / "s"
        self.runtime = self.folder / "k"
        self.harvested = self.folder / "a"
        self.uid = uid
        self.disk_bytes = disk_bytes
        self.work.mkdir()
        self.mounted = False
        if mount:
            options = (f"size={disk_bytes},nr_inodes={MAX_FILES},mode=0700,nosuid,nodev,noexec"
                       + (f",uid={uid},gid={uid}" if uid is not None else ""))
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, MOUNT_SOURCE,
                                   str(self.work)], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                self.remove()
                raise OSError(f"cannot mount the working copy: {done.stderr.strip()}")
            self.mounted = True
        if uid is not None:
            os.chown(self.work, uid, uid)
            os.chmod(self.work, 0o700)

    def give_to_kernel(self) -> None:
        """Make everything copied into the working copy the kernel's own (as root)."""
        if self.uid is None:
            return
        for root, dirs, files in os.walk(self.work):
            for name in dirs + files:
                os.chown(os.path.join(root, name), self.uid, self.uid, follow_symlinks=False)

    def used_bytes(self) -> int:
        """Bytes the working copy holds now (blocks actually used, as ``du`` counts)."""
        total = 0
        for root, _dirs, files in os.walk(self.work):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.lstat(os.path.join(root, name)).st_blocks * 512
        return total

    def harvest(self, copy) -> Path:
        """Copy the working copy, as the kernel left it, to :attr:`harvested`; return it.

        ``copy`` is :func:`consortia.grading.execute.copy_files` (links and special files
        are never followed, oversized files skipped).
        """
        self.harvested.mkdir(exist_ok=True)
        copy(self.work, self.harvested, ignore=[], max_bytes=self.disk_bytes)
        return self.harvested

    def remove(self) -> None:
        """Unmount and delete everything of this workspace."""
        for target in mounts_below(self.folder):
            unmount(target)
        self.mounted = False
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_leftovers(parent: Path | str | None = None) -> list[Path]:
    """Remove the work roots (and their mounts) of grading runs that were killed.

    A work root named ``cg-<pid>-...`` whose run is no longer alive is unmounted and
    deleted; those of running grading runs are left alone.
    """
    parent = Path(parent or tempfile.gettempdir())
    removed = []
    pattern = re.compile(rf"^{re.escape(WORK_ROOT_PREFIX)}(\d+)-")
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            match = pattern.match(entry.name)
            if not match or not entry.is_dir(follow_symlinks=False):
                continue
            if process_alive(int(match.group(1))):  # a run still going (this one, perhaps)
                continue
            for target in mounts_below(entry.path):
                unmount(target)
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed
