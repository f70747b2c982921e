"""Tests of the grading sandbox: what a participant's kernel can read, write and reach.

The bubblewrap checks need Debian's ``bubblewrap`` package (``apt-get install -y
bubblewrap``). Without it they are skipped with a message, unless the environment
variable ``REQUIRE_SANDBOX=1`` is set: then a missing sandbox fails the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from consortia.grading import autograde, execute, sandbox
from consortia.grading.sandbox import Sandbox, SandboxError

REPO = Path(__file__).resolve().parents[2]
SECRET_ENV = "CONSORTIA_SANDBOX_TEST_SECRET"


def require_bwrap() -> None:
    problem = sandbox.bwrap_problem()
    if not problem:
        return
    if os.environ.get("REQUIRE_SANDBOX") == "1":
        pytest.fail(f"REQUIRE_SANDBOX=1 but the bubblewrap sandbox is unavailable: {problem}")
    pytest.skip(f"bubblewrap sandbox unavailable ({problem}); install it with "
                "'apt-get install -y bubblewrap', or set REQUIRE_SANDBOX=1 to fail instead")


# --- modes and the allow-list (no kernel needed) -----------------------------------------


def test_unknown_mode_is_refused():
    with pytest.raises(SandboxError, match="unknown sandbox mode 'docker'"):
        sandbox.resolve("docker")


def test_none_mode_says_it_protects_nothing():
    box = Sandbox("none")
    assert box.mode == "none" and not box.confined
    assert "NO SANDBOX" in box.describe()
    cmd = box.wrap(["python"], cwd=Path("/x"), writable=[], env={})
    assert cmd[0] == "prlimit" and cmd[-1] == "python" and "bwrap" not in cmd  # limits only


def test_missing_bwrap_is_explained(monkeypatch):
    real_which = sandbox.shutil.which
    monkeypatch.setattr(sandbox.shutil, "which",
                        lambda name: None if name == "bwrap" else real_which(name))
    sandbox.bwrap_problem.cache_clear()
    try:
        assert "apt-get install -y bubblewrap" in sandbox.bwrap_problem()
        with pytest.raises(SandboxError, match="--sandbox bwrap: bubblewrap is not installed"):
            sandbox.resolve("bwrap")
    finally:
        sandbox.bwrap_problem.cache_clear()


def test_missing_limit_tools_are_explained(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(SandboxError, match=r"prlimit and setpriv not found.*util-linux"):
        sandbox.resolve("none")


def test_as_root_without_bwrap_participants_code_never_runs_as_root(monkeypatch):
    """Mode none as root drops to a user of its own, or refuses when it cannot."""
    monkeypatch.setattr(sandbox, "grader_is_root", lambda: True)
    monkeypatch.setattr(sandbox, "_own_user_problem", lambda box: "Permission denied")
    with pytest.raises(SandboxError, match="would have to run participants' code as root"):
        sandbox.resolve("none")
    box = sandbox.Sandbox("none", separate_users=True)
    cmd = box.wrap(["python"], cwd=Path("/x"), writable=[], env={}, uid=1600000000)
    assert cmd[cmd.index("setpriv"):cmd.index("python")] == [
        "setpriv", "--reuid=1600000000", "--regid=1600000000", "--clear-groups",
        "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--"]


def test_allow_list_shows_python_but_not_the_kit_or_secrets():
    shown = sandbox.allow_list()
    assert any(Path(sys.prefix).resolve() == Path(p) or Path(p) in Path(sys.prefix).resolve()
               .parents for p in shown)
    for path in shown:
        assert path not in ("/", "/etc", "/root", "/home", "/tmp", str(REPO))
        assert not (REPO / "solutions").resolve().is_relative_to(path)
    assert "/etc/shadow" not in shown
    from consortia.content import cases

    assert str(cases.cases_dir().resolve()) in shown  # assignments read the case studies


def test_a_private_folder_inside_the_allow_list_is_refused():
    require_bwrap()
    inside = Path(sys.prefix).resolve() / "courses" / "cohort-1"
    with pytest.raises(SandboxError, match="move the course folder"):
        sandbox.resolve("bwrap", private=[inside])


def test_bwrap_command_confines():
    from consortia.grading.limits import Limits

    box = Sandbox("bwrap", ("/usr",), limits=Limits(memory=2**30, processes=100))
    cmd = box.wrap(["python", "-m", "ipykernel_launcher"], cwd=Path("/tmp/j/s"),
                   writable=[Path("/tmp/j/s"), Path("/tmp/j/k")], env={"HOME": "/tmp"})
    text = " ".join(cmd)
    for flag in ("--unshare-pid", "--unshare-net", "--unshare-user", "--disable-userns",
                 "--die-with-parent", "--cap-drop ALL", "--clearenv", "--remount-ro /",
                 "--ro-bind-try /usr /usr", "--bind /tmp/j/s /tmp/j/s", "--chdir /tmp/j/s",
                 "--data=1073741824:1073741824", "--nproc=100:100", "--core=0:0"):
        assert flag in text, flag
    assert text.index("prlimit") < text.index("bwrap")  # limits set outside the sandbox
    assert text.index("--tmpfs /tmp") < text.index("--bind /tmp/j/s")  # binds after the tmpfs
    assert "--ro-bind / /" not in text and "--share-net" not in text
    assert cmd[-3:] == ["python", "-m", "ipykernel_launcher"]


def test_as_root_the_kernel_drops_to_its_own_user_inside_the_sandbox():
    box = Sandbox("bwrap", ("/usr",), separate_users=True)
    cmd = box.wrap(["python"], cwd=Path("/tmp/j/s"), writable=[Path("/tmp/j/s")], env={},
                   uid=1600000003)
    outer, inner = cmd[:cmd.index("setpriv")], cmd[cmd.index("setpriv"):]
    assert "--unshare-user" not in outer  # root sets up the mounts...
    assert "--reuid=1600000003" in inner and "--bounding-set=-all" in inner
    assert inner[inner.index("bwrap"):].count("--disable-userns") == 1  # ...then no more
    assert " ".join(outer).endswith("--remount-ro / --chdir / --")
    with pytest.raises(SandboxError, match="needs a user id of its own"):
        sandbox.kernel_manager(box, cwd=Path("/tmp/j/s"), runtime=Path("/tmp/j/k"))


def test_kernel_environment_is_minimal(tmp_path):
    env = sandbox.kernel_env(tmp_path, confined=True)
    assert set(env) == {"PATH", "HOME", "LANG", "MPLCONFIGDIR", "PYTHONDONTWRITEBYTECODE",
                        "PYTHONSAFEPATH", "NBGRADER_EXECUTION"}
    assert env["PYTHONSAFEPATH"] == "1"  # no file of a hand-in stands in for a module
    assert env["NBGRADER_EXECUTION"] == "autograde"


def test_submission_symlinks_are_never_followed(tmp_path):
    submitted = tmp_path / "submitted"
    submitted.mkdir()
    (submitted / "plan.json").symlink_to("/etc/passwd")
    (submitted / "data").symlink_to(tmp_path)
    (submitted / "notes.txt").write_text("mine", encoding="utf-8")
    dest = tmp_path / "dest"
    dest.mkdir()
    notes: list[str] = []
    execute.copy_files(submitted, dest, ignore=[], max_bytes=1000, notes=notes)
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt"]
    assert any("'plan.json': a symbolic link" in n for n in notes)


def test_oversized_files_are_not_copied(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "big.bin").write_bytes(b"x" * 2048)
    (tmp_path / "dest").mkdir()
    notes: list[str] = []
    execute.copy_files(tmp_path / "src", tmp_path / "dest", ignore=[], max_bytes=1024,
                         notes=notes)
    assert not (tmp_path / "dest" / "big.bin").exists()
    assert "larger than" in notes[0]


# --- a real kernel --------------------------------------------------------------------------

HOSTILE = """\
import os, signal, socket
found = []
for path in {targets!r}:
    try:
        if os.path.isdir(path):
            found.append("READ " + path + str(os.listdir(path)))
        else:
            found.append("READ " + path + open(path).read(30))
    except OSError as exc:
        found.append("BLOCKED " + type(exc).__name__)
for path in {writes!r}:
    try:
        with open(path, "w") as f:
            f.write("x")
        found.append("WROTE " + path)
    except OSError as exc:
        found.append("BLOCKED write " + type(exc).__name__)
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    found.append("NETWORK")
except OSError:
    found.append("NO NETWORK")
found.append("ENV " + " ".join(sorted(os.environ)))
found.append("PIDS " + str(sorted(p for p in os.listdir("/proc") if p.isdigit())))
print("\\n".join(found))"""

#: Sent only to a confined kernel: outside a PID namespace it would end every process.
KILL_EVERYTHING = """\
import os, signal
try:
    os.kill(-1, signal.SIGKILL)
except ProcessLookupError:
    print("nothing to kill")"""


def run_notebook(box: Sandbox, work: Path, cells: list[str], timeout: int = 10):
    """Run ``cells`` in a kernel of ``box``, as grading would start it (own user as root)."""
    from nbclient import NotebookClient

    from consortia.grading.workspace import Workspace

    uid = sandbox.kernel_uid(5, 0) if box.separate_users else None
    workspace = Workspace(work, uid=uid, disk_bytes=box.limits.disk,
                          mount=box.private_workspaces)
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    km = sandbox.kernel_manager(box, cwd=workspace.work, runtime=workspace.runtime, uid=uid)
    try:
        NotebookClient(nb, km=km, timeout=timeout, allow_errors=True,
                       interrupt_on_timeout=True).execute()
    finally:
        km.release()
        workspace.remove()
    return nb


def outputs(nb, index: int) -> str:
    return "".join(o.get("text", "") + o.get("ename", "") for o in nb.cells[index].outputs)


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    secret = tmp_path / "course" / "gradebook.db"
    secret.parent.mkdir()
    secret.write_text("SECRET GRADES", encoding="utf-8")
    monkeypatch.setenv(SECRET_ENV, "do-not-leak")
    return {"targets": [str(secret), str(secret.parent), str(REPO / "solutions"),
                        str(REPO / "pyproject.toml"), "/etc/shadow", "/root/.bashrc"],
            "writes": [str(secret), "/usr/consortia-test", str(REPO / "pwned.txt")]}


def test_bwrap_kernel_sees_only_its_folder(tmp_path, secrets):
    require_bwrap()
    box = sandbox.resolve("bwrap", private=[tmp_path / "course"])
    work = Path(tempfile.mkdtemp(prefix="cg-test-"))
    victim = subprocess.Popen(["sleep", "60"])  # a process of the same user, outside
    try:
        nb = run_notebook(box, work, [
            "open('mine.txt', 'w').write('ok'); print(open('mine.txt').read())",
            HOSTILE.format(**secrets),
        ])
        from nbclient.exceptions import DeadKernelError

        with contextlib.suppress(DeadKernelError):  # it may end its own sandbox, no more
            run_notebook(box, Path(tempfile.mkdtemp(prefix="cg-test-")), [KILL_EVERYTHING])
        assert victim.poll() is None, "the kernel killed a process outside its sandbox"
    finally:
        victim.kill()
        victim.wait()
        shutil.rmtree(work, ignore_errors=True)
    assert outputs(nb, 0).strip() == "ok"  # its own folder is writable
    text = outputs(nb, 1)
    lines = text.splitlines()
    assert not [line for line in lines if line.startswith("READ")], text
    # a write may only land in the sandbox's private /tmp (when the kit itself lives
    # under /tmp, its folders exist there as empty mount points): never on the host
    for line in lines:
        if line.startswith("WROTE "):
            assert line[6:].startswith("/tmp/") and not Path(line[6:]).exists(), text
    assert "NO NETWORK" in lines
    env = next(line for line in lines if line.startswith("ENV"))
    assert SECRET_ENV not in env
    pids = next(line for line in lines if line.startswith("PIDS"))
    assert len(eval(pids[5:])) <= 3, pids  # only the sandbox's own processes
    assert (tmp_path / "course" / "gradebook.db").read_text() == "SECRET GRADES"
    assert not (REPO / "pwned.txt").exists()


def test_bwrap_kernel_can_be_interrupted(tmp_path):
    require_bwrap()
    box = sandbox.resolve("bwrap")
    work = Path(tempfile.mkdtemp(prefix="cg-test-"))
    try:
        nb = run_notebook(box, work, ["while True:\n    pass", "print('after the loop')"],
                          timeout=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert "KeyboardInterrupt" in outputs(nb, 0) or "Timeout" in outputs(nb, 0)
    assert "after the loop" in outputs(nb, 1)


def test_none_mode_gives_no_protection_but_a_clean_environment(tmp_path, secrets):
    if sandbox.grader_is_root() and sandbox._own_user_problem(
            Sandbox("none", separate_users=True)):
        # as root, mode none would have to run participants' code as root: it refuses
        with pytest.raises(SandboxError, match="would have to run participants' code as root"):
            sandbox.resolve("none")
        return
    box = sandbox.resolve("none")
    work = Path(tempfile.mkdtemp(prefix="cg-test-"))
    targets = {"targets": secrets["targets"][:1], "writes": []}
    try:
        nb = run_notebook(box, work, [HOSTILE.format(**targets)])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = outputs(nb, 0)
    assert SECRET_ENV not in text
    if not box.separate_users:  # documented: as the grader's user, no protection
        assert "READ " + secrets["targets"][0] + "SECRET GRADES" in text


def test_grading_a_notebook_with_a_symlinked_plan(tmp_path):
    """A plan.json linking to another participant's plan is not graded as this one's."""
    from grading_fixtures import (
        ASSIGNMENT,
        NOTEBOOK,
        make_course,
        sandbox_mode,
        submission,
        write_files,
    )

    course = make_course(tmp_path, ["ana", "ben"])
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    for student in ("ana", "ben"):
        write_files(course / "submitted" / student / ASSIGNMENT,
                    submission("solved", release, source, course, "x"))
    ben_plan = course / "submitted" / "ben" / ASSIGNMENT / "plan.json"
    ben_plan.unlink()
    ben_plan.symlink_to(course / "submitted" / "ana" / ASSIGNMENT / "plan.json")
    run = autograde.grade(course, ASSIGNMENT, sandbox=sandbox_mode())
    ana, ben = run.outcome("ana", ASSIGNMENT), run.outcome("ben", ASSIGNMENT)
    assert ana.score == 3 and ben.score == 2
    assert any("'plan.json': a symbolic link is not graded" in n for n in ben.notes)
