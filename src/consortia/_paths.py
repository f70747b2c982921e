"""Every folder the kit reads, found in one place.

The package runs either from a clone of the kit (``pip install -e .``, the usual
case: ``make lab`` and ``make test``) or from an installed wheel. In a clone, the
case data, the course, ``solutions/`` and ``exercises/`` sit beside ``src/``; a wheel
carries the case data inside the package (``_case_data``). Environment variables
point the kit at other folders (a trainer's own cases or course).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

#: The package folder (``src/consortia`` in a clone).
PACKAGE = Path(__file__).resolve().parent
#: YAML data shipped inside the package: phases, criteria, rules, rubrics...
DATA_DIR = PACKAGE / "data"
#: Jinja2 templates of the kit's HTML pages.
TEMPLATES_DIR = PACKAGE / "templates"
#: Notebooks the kit serves as apps (the no-code planner page).
APPS_DIR = PACKAGE / "apps"
#: JupyterLab settings and server configuration of the learners' lab (``consortia lab``).
LAB_DIR = PACKAGE / "lab"

#: Set this environment variable to load cases from another folder.
CASES_DIR_ENV = "CONSORTIA_CASES_DIR"
#: Set this environment variable to use another course folder.
COURSE_DIR_ENV = "CONSORTIA_COURSE_DIR"
#: Set this environment variable to keep the learner's personal copy somewhere else.
LEARNER_DIR_ENV = "CONSORTIA_LEARNER_DIR"
#: The name of the learner's personal copy of the course, at the kit's root.
LEARNER_DIR_NAME = "my_course"


def checkout() -> Path:
    """The root of the clone the package runs from (it may not exist in a wheel)."""
    return PACKAGE.parents[1]


def cases_dir() -> Path:
    """The folder the case files are read from.

    In order: the ``CONSORTIA_CASES_DIR`` environment variable; ``case_studies/data``
    of the clone this package runs from; the copy bundled inside an installed wheel.
    """
    override = os.environ.get(CASES_DIR_ENV)
    if override:
        return Path(override)
    in_clone = checkout() / "case_studies" / "data"
    if in_clone.is_dir():
        return in_clone
    return PACKAGE / "_case_data"


def course_dir() -> Path:
    """The ``course/`` folder of the clone (or ``CONSORTIA_COURSE_DIR``)."""
    override = os.environ.get(COURSE_DIR_ENV)
    if override:
        return Path(override)
    return checkout() / "course"


def case_studies_dir() -> Path:
    """The folder of the case-study notebooks (beside ``course/``)."""
    return course_dir().parent / "case_studies"


def solutions_dir() -> Path:
    """The kit's ``solutions/`` folder: nbgrader's source, with answers and hidden tests."""
    return checkout() / "solutions"


def exercises_dir() -> Path:
    """The kit's ``exercises/`` folder: the release participants receive."""
    return checkout() / "exercises"


def learner_dir() -> Path:
    """The learner's personal copy of the course: ``my_course/`` at the kit's root.

    ``make lab`` (``consortia lab``) creates it from the kit's notebooks and serves
    it, so a learner's runs, outputs and drafts land there and never in the kit's
    own ``course/``. ``CONSORTIA_LEARNER_DIR`` puts it elsewhere (tests, a shared
    machine where each person has a folder of their own).
    """
    override = os.environ.get(LEARNER_DIR_ENV)
    if override:
        return Path(override)
    return checkout() / LEARNER_DIR_NAME


def kit_command(*words: str) -> str:
    """The ``consortia`` command line as a person types it in the kit's folder.

    Advice the kit prints ("run ... plan check plan.json") must work as printed.
    ``consortia`` is only on the PATH once an environment is activated; ``make lab``
    and ``make test`` never activate ``.venv``. So when the running Python is the
    kit's own ``.venv``, the advice names ``.venv/bin/consortia`` (``.venv\\Scripts\\consortia``
    on Windows), which works from the kit's folder without activating
    anything; in any other environment (conda, a wheel) the command is on that
    environment's PATH and plain ``consortia`` is right.
    """
    scripts = "Scripts" if os.name == "nt" else "bin"
    # sys.prefix, not sys.executable: a venv's python may be a link to the system one
    program = Path(sys.prefix) / scripts / "consortia"
    try:
        relative = program.relative_to(checkout())
    except ValueError:
        line = "consortia"
    else:
        line = str(relative)
    words = [str(word) for word in words]
    if os.name == "nt":
        return subprocess.list2cmdline([line, *words])
    return " ".join([line, *(shlex.quote(word) for word in words)])
