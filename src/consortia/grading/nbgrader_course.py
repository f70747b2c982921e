"""One nbgrader course configuration and one way to open it, for every part of grading.

``exercises/`` (made by :mod:`~consortia.grading.release`) and every cohort's course
folder (made by :mod:`~consortia.grading.workshop`) are generated with the same
settings, :data:`KIT_SETTINGS`, written into their ``nbgrader_config.py`` by
:func:`config_text`; grading, rubrics, feedback and the report all read a course's
configuration with :func:`load_config` and open its gradebook with
:func:`open_gradebook`, which honours a configured ``CourseDirectory.db_url`` and
``course_id`` (nbgrader's own defaults otherwise). The helpers to run nbgrader
itself (:func:`run_nbgrader`, :func:`scripts_on_path`) and to silence its harmless
warnings (:func:`quiet`) live here too.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from consortia.errors import KitError

#: The kit's own nbgrader settings, shared by ``exercises/`` and every cohort.
#:
#: The code stub is empty: an answer cell keeps its first line (``answer_1 = ""``,
#: ``my_case = ""``...) and loses only the solution, so a participant types a value
#: between the quotes instead of deleting ``raise NotImplementedError()``, and Run All
#: goes on to the checks. An unanswered question then fails its test with a plain
#: message, not a traceback. Temporary files of a plan save that was killed half-way
#: (``.plan.json.<random>.tmp``) are never released, submitted, collected or graded.
KIT_SETTINGS = '''\
# The kit's own settings (consortia.grading.nbgrader_course.KIT_SETTINGS), shared by
# the kit's exercises/ and every cohort: edit them there, not in this copy.
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*.tmp"]
'''

#: What a cohort's configuration adds to :data:`KIT_SETTINGS` (``workshop new``).
COHORT_SETTINGS = '''\
c.CourseDirectory.course_id = {course_id!r}

# Seconds one cell may run while graded; a cell that runs longer is interrupted and
# its tests score zero (consortia grade --timeout overrides it for one run).
c.Execute.timeout = {timeout}

# A participant who deleted a test cell is still graded: nbgrader puts the cell back
# from source/ (and 'consortia grade' reports that it did).
c.OverwriteCells.add_missing_cells = True

# The course is this folder, wherever nbgrader or JupyterLab is started from, and
# nbgrader's exchange (the release and collect buttons of formgrader) lives in it, not
# in the system-wide /usr/local/share/nbgrader/exchange ('consortia workshop open').
import os  # noqa: E402
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")
'''


def config_text(*, course_id: str | None = None, timeout: int | None = None,
                written_by: str = "the origin-consortium course kit",
                usage: str | None = None) -> str:
    """The text of an ``nbgrader_config.py``: the kit's settings, and a cohort's with
    ``course_id`` and ``timeout``."""
    lines = [f"# nbgrader configuration written by {written_by}."]
    if usage:
        lines.append(f"# {usage}")
    lines += ["c = get_config()  # noqa: F821", "", KIT_SETTINGS.rstrip()]
    if course_id is not None:
        from consortia.grading.limits import Limits

        lines += ["", COHORT_SETTINGS.format(course_id=course_id,
                                             timeout=int(timeout or 30)).rstrip(), "",
                  "# What each submission may use while it is graded (sizes such as \"2 GiB\" "
                  "or",
                  "# \"200 MB\"; times in seconds). 'consortia grade' says how the machine "
                  "holds",
                  "# them when it starts; its options (--memory ...) override them for one run.",
                  Limits().as_config()]
    return "\n".join(lines) + "\n"


def find_assignments(solutions: Path | str) -> list[str]:
    """The assignments of an nbgrader source folder: its sub-folders that hold a notebook."""
    folder = Path(solutions)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))


# --- reading a course's configuration ------------------------------------------------------


def load_config(course: Path | str, overrides: dict | None = None):
    """nbgrader's configuration as ``nbgrader`` run in ``course`` would see it.

    The Jupyter config folders' ``nbgrader_config.py`` first, then the course's own,
    then ``overrides`` (``{"Execute": {"timeout": 5}}``); the course root is ``course``.
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    folders = [*reversed(jupyter_config_path()), str(course)]
    for folder in folders:
        if os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            config.merge(PyFileConfigLoader("nbgrader_config.py", folder).load_config())
    config.merge(Config(overrides or {}))
    config.CourseDirectory.root = str(Path(course).resolve())
    return config


def course_directory(config):
    """nbgrader's ``CourseDirectory`` for a configuration (folders, course id, db_url)."""
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=config)


class GradebookError(KitError, ValueError):
    """The course's gradebook cannot be opened; the message says where it was looked for."""


def open_gradebook(course: Path | str, config=None):
    """The gradebook of ``course`` as nbgrader's ``Gradebook`` (use it in a ``with``).

    It is the database the course's configuration names (``CourseDirectory.db_url``,
    by default ``gradebook.db`` in the course folder) for the course's ``course_id``,
    exactly as nbgrader's own commands open it, so that no stray course row is
    created. A SQLite gradebook that does not exist raises :class:`GradebookError`
    instead of being created empty.
    """
    from nbgrader.api import Gradebook

    config = config if config is not None else load_config(course)
    coursedir = course_directory(config)
    url = coursedir.db_url
    prefix = "sqlite:///"
    if url.startswith(prefix) and not Path(url[len(prefix):]).is_file():
        raise GradebookError(
            f"No gradebook in {course}: expected {url[len(prefix):]}. Is this the course "
            "folder made by 'consortia workshop new'?")
    with quiet():
        return Gradebook(url, coursedir.course_id or "default_course")


# --- running nbgrader ------------------------------------------------------------------------


class NbgraderError(KitError, RuntimeError):
    """nbgrader failed; the message holds the end of its output."""


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader: this interpreter's ``bin`` first on ``PATH``.

    nbgrader runs ``alembic`` as a program to set up the gradebook, so it must be
    found even when the venv is not activated.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_nbgrader(course_dir: Path | str, *args: str, timeout: float = 600,
                 strict: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m nbgrader <args>`` in a course folder and return the finished process.

    Raises :class:`NbgraderError` with the end of nbgrader's output if it exits with
    an error or, when ``strict``, if it logs an ERROR line (nbgrader logs a notebook it
    could not process and carries on with the next).
    """
    command = [sys.executable, "-m", "nbgrader", *args]
    done = subprocess.run(command, cwd=course_dir, env=nbgrader_env(), capture_output=True,
                          text=True, timeout=timeout, check=False)
    failed = done.returncode != 0 or (strict and "| ERROR]" in done.stderr)
    if failed:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        raise NbgraderError(f"'nbgrader {' '.join(args)}' failed in {course_dir}:\n{tail}")
    return done


@contextlib.contextmanager
def scripts_on_path():
    """Put this Python's scripts folder on PATH for the duration (in this process).

    nbgrader runs the ``alembic`` command when it creates a gradebook; in a virtual
    environment that was not activated (``.venv/bin/consortia ...``) it is not on PATH.
    """
    scripts = os.path.dirname(sys.executable)
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = scripts + os.pathsep + old if old else scripts
    try:
        yield
    finally:
        os.environ["PATH"] = old


def ignore_harmless_warnings() -> None:
    """SQLAlchemy 2.1's 'not in session' warning of nbgrader's gradebook, and nbformat's
    warnings about cell ids (nbgrader's restored cells have none; nbformat adds them)."""
    import warnings

    from nbformat.warnings import DuplicateCellId, MissingIDFieldWarning

    warnings.filterwarnings("ignore", message=".*not in session.*")
    warnings.filterwarnings("ignore", category=MissingIDFieldWarning)
    warnings.filterwarnings("ignore", category=DuplicateCellId)


@contextlib.contextmanager
def quiet():
    """Run a block with :func:`ignore_harmless_warnings` in force."""
    import warnings

    with warnings.catch_warnings():
        ignore_harmless_warnings()
        yield
