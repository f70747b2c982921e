"""A small assignment and a cohort of hostile submissions for the grading sandbox's tests.

The assignment ``hostile_check`` has three tests of three kinds: one of a value
(``answer``, checked again by the grader with the kit's own code), one of a function
the participant writes (``double``: it can only run in the participant's kernel), and
one of a file the notebook writes (``result.txt``). Every other submission attacks
the grader in one way; each attack is bounded (small files, few processes, short
times) and any probe of a kernel interface only tries to *open* it, never writes it.
"""

from __future__ import annotations

import copy
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from consortia.grading import workshop
from grading_fixtures import _meta

ASSIGNMENT = "hostile_check"
NOTEBOOK = "hostile_check"
#: Code only the hidden tests hold: it must never reach a participant's feedback (their
#: messages are written for the participant and may).
HIDDEN_MARKERS = ("HIDDEN_MARKER_7731", "HIDDEN_MARKER_4410")
POINTS = 4.0

#: Limits of the test cohort: small, so that each attack is cheap to run and to stop.
LIMITS = {"memory": '"384 MiB"', "processes": "64", "disk": '"24 MB"', "file_size": '"8 MB"',
          "tmp": '"16 MB"', "cpu_seconds": "6", "notebook_seconds": "60", "output": '"200 kB"'}
#: Long enough that the CPU-time limit, not the wall clock, stops the busy loop even on a
#: loaded machine.
CELL_TIMEOUT = 40

SETUP = "from consortia.grading import checks"
ANSWER = 'answer = ""\n### BEGIN SOLUTION\nanswer = "origin"\n### END SOLUTION'
TEST_ANSWER = '''\
kind = checks.answer_word(answer, "answer", ["export", "origin"])
### BEGIN HIDDEN TESTS
HIDDEN_MARKER_7731 = "origin"
assert kind == HIDDEN_MARKER_7731, "answer names the other kind."
### END HIDDEN TESTS'''
DOUBLE = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
TEST_DOUBLE = '''\
checks.assert_answered(double(3), "double(3)")
assert double(3) == 6, "double(3) should be 6"
### BEGIN HIDDEN TESTS
HIDDEN_MARKER_4410 = -2
assert double(-1) == HIDDEN_MARKER_4410, "double(-1) should be -2"
### END HIDDEN TESTS'''
RESULT = ('### BEGIN SOLUTION\nwith open("result.txt", "w") as f:\n    f.write("42")\n'
          '### END SOLUTION')
TEST_RESULT = '''\
with open("result.txt") as f:
    assert f.read().strip() == "42", "result.txt should hold 42"'''


def source_notebook():
    return new_notebook(cells=[
        new_markdown_cell("# Hostile check", metadata=_meta("intro", locked=True)),
        new_code_cell(SETUP, metadata=_meta("setup", locked=True)),
        new_code_cell(ANSWER, metadata=_meta("answer", solution=True)),
        new_code_cell(TEST_ANSWER, metadata=_meta("test_answer", grade=True, locked=True,
                                                  points=2)),
        new_code_cell(DOUBLE, metadata=_meta("double", solution=True)),
        new_code_cell(TEST_DOUBLE, metadata=_meta("test_double", grade=True, locked=True,
                                                  points=1)),
        new_code_cell(RESULT, metadata=_meta("result", solution=True)),
        new_code_cell(TEST_RESULT, metadata=_meta("test_result", grade=True, locked=True,
                                                  points=1)),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}, "language_info": {"name": "python"}})


def _gid(cell):
    return (cell.metadata.get("nbgrader") or {}).get("grade_id")


def answered(release, *, answer='"origin"', double="2 * x", result="42"):
    """The released notebook with the given answers typed in."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        if _gid(cell) == "answer":
            cell.source = f"answer = {answer}"
        elif _gid(cell) == "double":
            cell.source = f"def double(x):\n    return {double}"
        elif _gid(cell) == "result":
            cell.source = f'with open("result.txt", "w") as f:\n    f.write("{result}")'
    return nb


def with_cell(nb, code: str, after: str = "setup"):
    """``nb`` with a code cell of the participant's inserted after the cell ``after``."""
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb.cells) if _gid(c) == after)
    nb.cells.insert(index + 1, new_code_cell(code))
    return nb


#: Code a participant could run to pass with wrong answers, if the kit trusted its kernel.
FORGE = '''\
from consortia.grading import checks
checks.answer_word = lambda *args, **kwargs: "origin"
checks.assert_answered = lambda *args, **kwargs: None
import builtins
_open = builtins.open
def fake_open(path, *args, **kwargs):
    if str(path).endswith("result.txt") and "w" not in "".join(map(str, args)):
        import io
        return io.StringIO("42")
    return _open(path, *args, **kwargs)
builtins.open = fake_open'''

SWAP = '''\
import types
fake = types.ModuleType("consortia.grading.checks")
fake.answer_word = lambda *args, **kwargs: "origin"
fake.assert_answered = lambda *args, **kwargs: None
checks = fake'''

#: A function whose error carries the text of the cells run so far, hidden tests included.
LEAK = '''\
def double(x):
    import inspect
    seen = []
    for frame in inspect.stack():
        seen += [str(v) for v in frame.frame.f_globals.get("_ih", [])[-3:]]
    raise AssertionError("leaked: " + " | ".join(seen))'''

#: Kernel interfaces a root escape would use: opened only, never written.
ESCAPE = '''\
import ctypes, os
found = ["UID %d %d" % (os.getuid(), os.geteuid())]
for path in ("/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger", "/sys/kernel/uevent_helper"):
    try:
        handle = os.open(path, os.O_WRONLY)
        os.close(handle)
        found.append("OPENED " + path)
    except OSError as exc:
        found.append("REFUSED " + path + " " + type(exc).__name__)
found.append("SYS " + str(os.path.exists("/sys/kernel")))
try:
    os.setuid(0)
    found.append("SETUID worked")
except OSError:
    found.append("SETUID refused")
for line in open("/proc/self/status"):
    if line.startswith(("NoNewPrivs", "CapEff", "CapBnd")):
        found.append(" ".join(line.split()))
libc = ctypes.CDLL(None, use_errno=True)
found.append("USERNS " + ("created" if libc.unshare(0x10000000) == 0 else "refused"))
mine = 0
for top in ("/usr", "/etc", "/tmp", "/proc/1"):
    try:
        if os.stat(top).st_uid == os.getuid():
            mine += 1
    except OSError:
        pass
found.append("OWNS-OUTSIDE %d" % mine)
print("\\n".join(found))'''

RLIMIT = '''\
import resource
try:
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print("RAISED the file size limit")
except (ValueError, OSError) as exc:
    print("REFUSED raise", type(exc).__name__)
try:
    with open("big.bin", "wb") as f:
        for _ in range(12):
            f.write(b"x" * 2**20)
    print("WROTE 12 MB")
except OSError as exc:
    print("STOPPED", exc.strerror)'''

MEMORY = '''\
chunks = []
try:
    for _ in range(12):
        chunks.append(bytearray(64 * 2**20))
    print("ALLOCATED", len(chunks) * 64, "MiB")
except MemoryError:
    print("STOPPED at", len(chunks) * 64, "MiB: MemoryError")
del chunks'''

PROCESSES = '''\
import subprocess
started = []
try:
    for _ in range(100):
        started.append(subprocess.Popen(["sleep", "30"]))
    print("STARTED all", len(started))
except OSError as exc:
    print("STOPPED after", len(started), exc.strerror)
for p in started:
    p.kill()
    p.wait()'''

def _fill(folder: str, files: int, mb_each: int) -> str:
    """Code writing ``files`` files of ``mb_each`` MiB into ``folder``, saying how far it got."""
    return f'''written = 0
try:
    for n in range({files}):
        with open(f"{folder}fill{{n}}.bin", "wb") as f:
            for _ in range({mb_each}):
                f.write(b"x" * 2**20)
                written += 1
    print("WROTE", written, "MB")
except OSError as exc:
    print("STOPPED at", written, "MB:", exc.strerror)'''


DISK = _fill("", 8, 5)
TMP = _fill("/tmp/", 10, 4)

CPU = "while True:\n    pass"

#: Everything that could outlive a kernel: a thread, an atexit hook, a child that
#: ignores signals, and a daemon in a session of its own.
LINGER = '''\
import atexit, signal, subprocess, threading, time
threading.Thread(target=time.sleep, args=(1000,)).start()
atexit.register(time.sleep, 1000)
subprocess.Popen(["sh", "-c", "trap '' TERM INT HUP; sleep 1000"])
subprocess.Popen(["setsid", "sh", "-c", "trap '' TERM INT HUP; sleep 1000"])
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
print("LINGERING")'''

SHADOW_CHECKS = '''\
from pathlib import Path
Path(__file__).resolve().parents[2].joinpath("SHADOWED").write_text("the hand-in's module ran")
def answer_word(value, name, words):
    return "origin"
def assert_answered(value, name):
    return None
'''

LAUNCHER = '''\
from pathlib import Path
Path(__file__).resolve().parent.joinpath("LAUNCHER-RAN").write_text("taken over")
from ipykernel import kernelapp as app
app.launch_new_instance()
'''


def cohort(release) -> dict[str, dict[str, object]]:
    """Each hostile submission's files: participant id -> file name -> notebook or content."""
    right = answered(release)
    wrong = answered(release, answer='"export"', double="0", result="41")
    nb = f"{NOTEBOOK}.ipynb"
    many = copy.deepcopy(right)
    many.cells += [new_code_cell("pass") for _ in range(20_000)]
    added = with_cell(right, "print('bonus')", after="test_result")
    added.cells[-1].metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "locked": False,
                                            "points": 100, "schema_version": 3,
                                            "solution": False, "task": False}
    return {
        "honest": {nb: right},
        "forger": {nb: with_cell(wrong, FORGE)},
        "swapper": {nb: with_cell(wrong, SWAP)},
        "shadow": {nb: wrong, "consortia/__init__.py": "", "consortia/grading/__init__.py": "",
                   "consortia/grading/checks.py": SHADOW_CHECKS},
        "launcher": {nb: right, "ipykernel_launcher.py": LAUNCHER},
        "leaker": {nb: with_cell(right, LEAK, after="double")},
        "escape": {nb: with_cell(right, ESCAPE)},
        "rlimit": {nb: with_cell(right, RLIMIT, after="test_result")},
        "memory": {nb: with_cell(right, MEMORY, after="test_result")},
        "processes": {nb: with_cell(right, PROCESSES, after="test_result")},
        "disk": {nb: with_cell(right, DISK, after="test_result")},
        "tmp": {nb: with_cell(right, TMP, after="test_result")},
        "cpu": {nb: with_cell(right, CPU, after="test_answer")},
        "linger": {nb: with_cell(right, LINGER, after="test_result")},
        "added-cell": {nb: added},
        "many-cells": {nb: many},
        "old-format": {nb: b'{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}'},
        "not-utf8": {nb: b"\xff\xfe\x00not a notebook\x80\x81"},
        "folder": {f"{nb}/inside.txt": "a folder where the notebook should be"},
    }


def write_files(folder: Path, files: dict[str, object]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            nbformat.write(content, path)


def make_course(root: Path, ids: list[str]) -> Path:
    """A course folder of ``hostile_check`` for ``ids``, with the small test limits."""
    folder = root / "solutions" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(source_notebook(), folder / f"{NOTEBOOK}.ipynb")
    students = root / "students.csv"
    students.write_text("id,first_name,last_name\n" + "".join(
        f"{pid},First,Last\n" for pid in ids), encoding="utf-8")
    course = root / "course"
    workshop.new_workshop(course, students, solutions=root / "solutions",
                          timeout=CELL_TIMEOUT)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\n# smaller limits for the tests\n" + "".join(
            f"c.GradingLimits.{key} = {value}\n" for key, value in LIMITS.items()))
    return course


def build(root: Path, *, extra: dict[str, dict[str, object]] | None = None) -> Path:
    """The course with every hostile submission handed in (and the odd folders)."""
    course = make_course(root, [*cohort_ids(), *(extra or {})])
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    submitted = course / "submitted"
    for student, files in {**cohort(release), **(extra or {})}.items():
        write_files(submitted / student / ASSIGNMENT, files)
    nb = f"{NOTEBOOK}.ipynb"
    honest = submitted / "honest" / ASSIGNMENT / nb
    for student, target in (("link-shadow", Path("/etc/shadow")), ("link-peer", honest)):
        (submitted / student / ASSIGNMENT).mkdir(parents=True)
        (submitted / student / ASSIGNMENT / nb).symlink_to(target)
    (submitted / "huge").joinpath(ASSIGNMENT).mkdir(parents=True)
    with (submitted / "huge" / ASSIGNMENT / nb).open("wb") as sparse:  # no disk used
        sparse.truncate(150 * 2**20)
    (submitted / "linked-folder").mkdir()
    (submitted / "linked-folder" / ASSIGNMENT).symlink_to(honest.parent)
    (submitted / "new\nline" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(honest, submitted / "new\nline" / ASSIGNMENT / nb)
    return course


def cohort_ids() -> list[str]:
    return ["honest", "forger", "swapper", "shadow", "launcher", "leaker", "escape", "rlimit",
            "memory", "processes", "disk", "tmp", "cpu", "linger", "added-cell", "many-cells",
            "old-format", "not-utf8", "folder", "link-shadow", "link-peer", "huge",
            "linked-folder"]


# --- the same grader as an ordinary user -----------------------------------------------------

#: The system user the tests create to grade as an ordinary (non-root) user.
TEST_USER = "consortia-test-grader"


def ordinary_user() -> tuple[int, int]:
    """The test's ordinary user (created when missing; needs root)."""
    try:
        entry = pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", TEST_USER], check=True, capture_output=True)
        entry = pwd.getpwnam(TEST_USER)
    return entry.pw_uid, entry.pw_gid


def as_ordinary_user(argv: list[str]) -> list[str]:
    """``argv`` run as :data:`TEST_USER`, with this Python reachable.

    The kit's Python may live under ``/root`` (pyenv), which no other user may enter;
    the command runs in a mount namespace where ``/root`` holds only that install,
    readable. Everything else is the machine as it is.
    """
    uid, gid = ordinary_user()
    prefixes = sorted({str(Path(p).resolve()) for p in (sys.base_prefix, sys.prefix)
                       if str(Path(p).resolve()).startswith("/root/")})
    cmd = ["bwrap", "--dev-bind", "/", "/"]
    if prefixes:
        cmd += ["--perms", "0755", "--tmpfs", "/root"]
        for prefix in prefixes:
            parts = Path(prefix).parts  # ("/", "root", ".pyenv", "versions", "3.11.7")
            for depth in range(3, len(parts)):  # /root/.pyenv, /root/.pyenv/versions
                cmd += ["--perms", "0755", "--dir", str(Path(*parts[:depth]))]
            cmd += ["--ro-bind", prefix, prefix]
    return [*cmd, "--", "setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
            "--", *argv]


def give_course_to(course: Path, uid: int, gid: int) -> None:
    for root, dirs, files in os.walk(course):
        os.chown(root, uid, gid, follow_symlinks=False)
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)
