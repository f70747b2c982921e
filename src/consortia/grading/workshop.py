"""A cohort's nbgrader course folder: ``workshop new DIR --students CSV``, ``workshop open DIR``.

``consortia workshop new`` creates the folder (below); ``consortia workshop open`` starts
JupyterLab for it, with nbgrader's formgrader and exchange working and the kit's
marking page, and prints the one address to open (:func:`open_workshop`).

The folder holds everything nbgrader and ``consortia grade`` need, and nothing more::

    DIR/
      nbgrader_config.py   course id, time limits, how deleted test cells are handled
      gradebook.db         the assignments (from source/) and the participants (from the CSV)
      source/<assignment>/ a copy of the kit's solutions/ (nbgrader's source step)
      release/<assignment>/ the participants' version, generated (no solutions, no hidden tests)
      submitted/           where participants' work goes (see README.md in DIR)
      exchange/            nbgrader's exchange (formgrader's release and collect buttons)
      README.md            the layout and the next commands
      marking.ipynb        the marking page (written by ``workshop open``, each time)

The class list is a CSV file with the columns ``id``, ``first_name``, ``last_name`` and,
optionally, ``email``. Only those columns are stored; any other column is ignored
(and reported), so a spreadsheet with phone numbers or notes leaks nothing into the
gradebook. Ids become folder names, so they must be safe ones.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from consortia._paths import APPS_DIR, LAB_DIR, kit_command, solutions_dir
from consortia.errors import KitError
from consortia.grading.nbgrader_course import (
    config_text,
    find_assignments,
    load_config,
    open_gradebook,
    quiet,
    scripts_on_path,
)
from consortia.plans.app import HOST, free_port
from consortia.storage import write_text_atomic

REQUIRED_COLUMNS = ("id", "first_name", "last_name")
OPTIONAL_COLUMNS = ("email",)

#: A participant id is used as a folder name: letters, digits, '.', '_' and '-' only.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

#: Folders nbgrader itself uses under the course folder (an id may not shadow them).
RESERVED_IDS = {"source", "release", "submitted", "autograded", "feedback", "reports"}

#: Seconds a cell may run while graded (nbgrader's ``Execute.timeout``).
DEFAULT_CELL_TIMEOUT = 30

MAX_CLASS_LIST_BYTES = 5 * 1024 * 1024

README_TEMPLATE = """\
# Course folder {course_id}

Created by `consortia workshop new` for {students} participants and {assignments}
assignments ({names}).

## Layout

- `nbgrader_config.py`: the course id and the time limits used when grading.
- `gradebook.db`: nbgrader's gradebook (assignments, participants, scores). It holds
  participants' names: keep this folder private.
- `source/<assignment>/`: the instructor's notebooks, with solutions and hidden tests.
- `release/<assignment>/`: what participants receive (no solutions, no hidden tests).
- `submitted/<participant id>/<assignment>/<notebook>.ipynb`: hand-ins, one folder per
  participant id of the class list, then one per assignment, holding the notebook(s)
  with their original names and any file the assignment asks for (such as
  `plan.json` for the action plan). An optional `timestamp.txt` (for example
  `2025-03-01 14:05:00 UTC`) records when the work was handed in.
- `autograded/`, `feedback/`, `reports/`: written by `consortia grade`.
- `exchange/`: nbgrader's exchange, used by formgrader's release and collect buttons.
- `marking.ipynb`: the marking page, rewritten by `consortia workshop open` each time.

## Next steps

Run the commands from the kit's folder, as written here.

1. Give participants the notebooks in `release/`.
2. Put each hand-in into `submitted/<participant id>/<assignment>/`.
3. Run `{grade}` (add an assignment's name to grade only that one):
   every submission is graded in parallel and in a sandbox; feedback goes to
   `feedback/<participant id>/<assignment>/`, a cohort report and a CSV of scores to
   `reports/<assignment>/`.
4. Run `{open}` and open the address it prints: mark the
   written parts with the rubric, one submission after another.
5. Run `{report}`: the report, the scores and the
   feedback are rebuilt with your marks and comments (without grading again), and the
   feedback is released to participants through the exchange.
"""


class WorkshopError(KitError, ValueError):
    """The course folder cannot be created as asked; the message says what to fix."""


@dataclass(frozen=True)
class Participant:
    """One row of the class list: only what grading needs."""

    id: str
    first_name: str
    last_name: str
    email: str | None = None


@dataclass
class Workshop:
    """What ``new_workshop`` created."""

    folder: Path
    course_id: str
    assignments: list[str]
    participants: list[Participant]
    ignored_columns: list[str] = field(default_factory=list)


def read_class_list(path: Path | str) -> tuple[list[Participant], list[str]]:
    """The participants of a class-list CSV, and the columns that were ignored.

    Raises :class:`WorkshopError` naming the file, the line and the fix for a missing
    column, an empty or duplicate id (ids differing only in case count as duplicates:
    they would share a folder on some systems), an id that is not a safe folder name,
    or a file that is not a CSV.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WorkshopError(f"{path}: no such file; give the class list with --students") from None
    except OSError as exc:
        raise WorkshopError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_CLASS_LIST_BYTES:
        raise WorkshopError(f"{path}: {len(raw):,} bytes is far too large for a class list")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkshopError(f"{path}: not UTF-8 text; save the class list as 'CSV UTF-8'") from None
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else "id",
                                      delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise WorkshopError(
            f"{path}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(c) for c in missing)}; the first line must name the columns "
            f"{', '.join(REQUIRED_COLUMNS)} (and optionally email)")
    reader.fieldnames = header
    ignored = [h for h in header if h and h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    participants: list[Participant] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        if not any(values.values()):
            continue  # blank line
        pid = values.get("id", "")
        if not pid:
            problems.append(f"line {line}: the id is empty")
            continue
        if not SAFE_ID.match(pid) or pid.lower() in RESERVED_IDS:
            problems.append(
                f"line {line}: id {pid!r} is not a safe folder name (use 1 to 64 letters, "
                "digits, '.', '_' or '-', starting with a letter or digit"
                + (f"; {pid!r} is reserved" if pid.lower() in RESERVED_IDS else "") + ")")
            continue
        if pid.lower() in seen:
            problems.append(f"line {line}: id {pid!r} is already used on line {seen[pid.lower()]}")
            continue
        seen[pid.lower()] = line
        participants.append(Participant(pid, values.get("first_name", ""),
                                        values.get("last_name", ""),
                                        values.get("email") or None))
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more"
                                            if len(problems) > 10 else "")
        raise WorkshopError(f"{path}: {shown}")
    if not participants:
        raise WorkshopError(f"{path}: no participants (only a header line?)")
    return participants, ignored


def kit_solutions() -> Path:
    """The kit's ``solutions/`` folder (nbgrader source) in a clone of the kit."""
    return solutions_dir()


def _course_id(folder: Path) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", folder.name).strip("-")
    return slug or "consortia-course"


def new_workshop(folder: Path | str, students: Path | str, *, solutions: Path | str | None = None,
                 course_id: str | None = None, timeout: int = DEFAULT_CELL_TIMEOUT) -> Workshop:
    """Create the course folder ``folder`` for the class list ``students``.

    ``solutions`` defaults to the kit's ``solutions/``. Everything is checked before
    anything is written; ``folder`` must not exist yet or be empty. Raises
    :class:`WorkshopError` with a message that says what to fix.
    """
    folder = Path(folder).resolve()
    participants, ignored = read_class_list(students)
    solutions = Path(solutions) if solutions else kit_solutions()
    assignments = find_assignments(solutions)
    if not assignments:
        raise WorkshopError(f"{solutions}: no assignments (sub-folders with a notebook) found; "
                            "give the nbgrader source folder with --solutions")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise WorkshopError(f"{folder} already exists and is not empty; choose a new folder")
    if timeout < 1:
        raise WorkshopError("the cell timeout must be at least 1 second")
    course_id = course_id or _course_id(folder)
    if not re.match(r"^[A-Za-z0-9_-]+$", course_id):
        raise WorkshopError(f"course id {course_id!r}: use letters, digits, '_' and '-' only")

    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # the gradebook holds names; solutions are in source/
    try:
        _populate(folder, solutions, assignments, participants, course_id, timeout)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Workshop(folder, course_id, assignments, participants, ignored)


def _populate(folder: Path, solutions: Path, assignments: list[str],
              participants: list[Participant], course_id: str, timeout: int) -> None:
    (folder / "nbgrader_config.py").write_text(config_text(
        course_id=course_id, timeout=int(timeout), written_by="'consortia workshop new'",
        usage=f"Run nbgrader commands from this folder, or use 'consortia grade "
              f"{folder.name}'."), encoding="utf-8")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".*")
    for name in assignments:
        shutil.copytree(solutions / name, folder / "source" / name, ignore=ignore)
    for sub in ("release", "submitted", "exchange"):
        (folder / sub).mkdir()
    config = load_config(folder)
    with scripts_on_path():
        for name in assignments:
            generate_release(folder, name, config)
    with open_gradebook(folder, config) as gb, quiet():
        for p in participants:
            fields = {"first_name": p.first_name, "last_name": p.last_name}
            if p.email:
                fields["email"] = p.email
            gb.update_or_create_student(p.id, **fields)
    (folder / "README.md").write_text(README_TEMPLATE.format(
        course_id=course_id, students=len(participants), assignments=len(assignments),
        names=", ".join(assignments), grade=kit_command("grade", folder),
        open=kit_command("workshop", "open", folder),
        report=kit_command("report", folder, "<assignment>", "--release")), encoding="utf-8")


def generate_release(folder: Path, assignment: str, config=None) -> Path:
    """Run nbgrader's ``generate_assignment`` for one assignment; return its release folder.

    This also records the assignment, its notebooks and graded cells in the gradebook.
    """
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    config = config or load_config(folder)
    stream = io.StringIO()
    log = logging.getLogger(f"consortia.grading.workshop.{assignment}")
    log.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.ERROR)
    log.addHandler(handler)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    app = GenerateAssignment(coursedir=coursedir, config=config, log=log)
    app.force = True
    app.create_assignment = True
    try:
        with quiet():
            app.start()
    except Exception as exc:
        detail = stream.getvalue().strip().splitlines()
        raise WorkshopError(f"nbgrader could not generate the release of {assignment!r}: "
                            f"{exc}" + (f" ({detail[-1]})" if detail else "")) from None
    finally:
        log.removeHandler(handler)
    return folder / "release" / assignment


# --- workshop open: JupyterLab for the course, and the marking page ------------------------------

#: The marking page's notebook, shipped in ``apps/`` and copied into the course folder.
MARKING_NOTEBOOK = "marking.ipynb"
#: Where the marking page is served: Voilà, running inside the course's JupyterLab.
MARKING_PATH = f"voila/render/{MARKING_NOTEBOOK}"
#: Seconds JupyterLab may take to answer before ``workshop open`` gives up.
START_TIMEOUT = 120


@dataclass(frozen=True)
class Opened:
    """Where the course's JupyterLab answers: its address and the token that opens it."""

    folder: Path
    port: int
    token: str = field(repr=False)

    def url(self, path: str = "") -> str:
        """An address of the server with the token, e.g. ``url("formgrader")``."""
        return f"http://{HOST}:{self.port}/{path}?token={self.token}"

    @property
    def marking_url(self) -> str:
        """The one address printed: the marking page, which links to the formgrader."""
        return self.url(MARKING_PATH)


def check_course_folder(folder: Path | str) -> Path:
    """The course folder, resolved; :class:`WorkshopError` if it is not one ``workshop new``
    made (no ``nbgrader_config.py`` or no ``gradebook.db``)."""
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise WorkshopError(f"{folder}: no such folder; give the course folder made by "
                            f"{kit_command('workshop', 'new', 'DIR', '--students', 'CSV')}")
    missing = [name for name in ("nbgrader_config.py", "gradebook.db")
               if not (folder / name).is_file()]
    if missing:
        raise WorkshopError(
            f"{folder} is not a course folder: it has no {' and no '.join(missing)}. Create "
            f"one with {kit_command('workshop', 'new', 'DIR', '--students', 'CSV')}")
    return folder


def install_marking_page(folder: Path) -> Path:
    """Write the kit's marking page into the course folder (atomically); return its path.

    Voilà inside JupyterLab serves only notebooks under the folder JupyterLab serves,
    so the page must sit there. It is rewritten each time, so it always matches the
    kit's version; it holds three lines of code, all the logic stays in the package.
    """
    return write_text_atomic(folder / MARKING_NOTEBOOK,
                             (APPS_DIR / MARKING_NOTEBOOK).read_text(encoding="utf-8"))


def port_is_free(port: int) -> bool:
    """True when nothing listens on ``port`` of the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def open_command(folder: Path, port: int) -> list[str]:
    """The command line of the course's JupyterLab: the course folder, this computer only.

    It runs in the course folder, so nbgrader's formgrader reads the course's
    ``nbgrader_config.py`` (``CourseDirectory.root`` is that folder, ``Exchange.root``
    its ``exchange/``). The token is passed in the environment, not here, so other
    users of the machine cannot read it in the list of processes.
    """
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={folder}",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the printed address must be the one it listens on
        "--ServerApp.open_browser=False",  # the kit opens the marking page itself
        "--VoilaConfiguration.show_tracebacks=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses root unless told (containers)
    return command


def open_environment(token: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the course's JupyterLab.

    The learners' lab settings (``src/consortia/lab/config``, which switch the
    formgrader off) are taken off ``JUPYTER_CONFIG_PATH`` in case the command is run
    from a terminal inside ``make lab``; this Python's scripts come first on ``PATH``
    (nbgrader runs ``alembic``); ``JUPYTER_TOKEN`` is the token of the address.
    """
    env = dict(os.environ if base is None else base)
    learners = str(LAB_DIR / "config")
    kept = [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep)
            if p and os.path.normpath(p) != os.path.normpath(learners)]
    if kept:
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(kept)
    else:
        env.pop("JUPYTER_CONFIG_PATH", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["JUPYTER_TOKEN"] = token
    return env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(process: subprocess.Popen) -> None:
    """Stop JupyterLab (it shuts its kernels down); kill it after 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _exit_on_signal(signum, _frame):
    """SIGTERM or SIGHUP (the terminal was closed): leave as Ctrl+C would, stopping JupyterLab."""
    raise SystemExit(128 + signum)


def _tail(log: Path, lines: int = 15) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no messages)"
    return "\n".join(text.splitlines()[-lines:])


def open_workshop(folder: Path | str, port: int = 0, open_browser: bool = True,
                  progress: Callable[[str], None] = print,
                  timeout: float = START_TIMEOUT) -> int:
    """Run JupyterLab for the course folder until Ctrl+C; return its exit status.

    Checks the folder, makes its ``exchange/`` if it is missing, puts the marking page
    in it, starts JupyterLab on ``port`` (a free one if 0) and, once it answers, prints
    the address of the marking page (and opens it in the browser if asked).
    JupyterLab's own messages, which print other addresses, go to a log file named on
    the last line (and, with their end, in the error if JupyterLab does not start);
    it is removed when JupyterLab is stopped as asked. SIGTERM and SIGHUP stop
    JupyterLab as Ctrl+C does.
    """
    folder = check_course_folder(folder)
    if port and not port_is_free(port):
        raise WorkshopError(f"port {port} is already in use on this computer; choose another "
                            "with --port, or leave --port out to use a free one")
    (folder / "exchange").mkdir(exist_ok=True)
    install_marking_page(folder)
    opened = Opened(folder, port or free_port(), secrets.token_urlsafe(24))
    handle, log_name = tempfile.mkstemp(prefix="consortia-workshop-open-", suffix=".log")
    log = Path(log_name)
    progress(f"Starting JupyterLab for the course in {folder} (this can take half a minute)...")
    with os.fdopen(handle, "wb") as stream:
        process = subprocess.Popen(open_command(folder, opened.port), cwd=folder,
                                   env=open_environment(opened.token), stdout=stream,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _exit_on_signal)
    try:
        deadline = time.monotonic() + timeout
        while not _answers(opened.url("api/status")):
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                raise WorkshopError(f"JupyterLab did not start; its last messages "
                                    f"(all of them in {log}):\n{_tail(log)}")
            time.sleep(0.5)
        progress("")
        progress("Open this address in your browser (it works on this computer only):")
        progress("")
        progress(f"    {opened.marking_url}")
        progress("")
        progress("It opens the marking page. Its links lead to nbgrader's formgrader and to "
                 "the course's files in JupyterLab.")
        progress(f"Stop with Ctrl+C. (JupyterLab's own messages: {log})")
        if open_browser:
            webbrowser.open(opened.marking_url)
        return process.wait()
    except (KeyboardInterrupt, SystemExit) as stopped:  # asked to stop: its log is not needed
        _stop(process)
        with contextlib.suppress(OSError):
            log.unlink()
        progress("Stopped JupyterLab.")
        if isinstance(stopped, SystemExit):
            raise
        return 0
    except BaseException:
        _stop(process)
        raise
