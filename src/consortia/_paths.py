"""Every folder the kit reads, found in one place.

The package runs either from a clone of the kit (``pip install -e .``, the usual
case: ``make lab`` and ``make test``) or from an installed wheel. In a clone, the
case data, the course, ``solutions/`` and ``exercises/`` sit beside ``src/``; a wheel
carries the case data inside the package (``_case_data``). Environment variables
point the kit at other folders (a trainer's own cases or course).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The package folder (``src/consortia`` in a clone).
PACKAGE = Path(__file__).resolve().parent
#: YAML data shipped inside the package: phases, criteria, rules, rubrics...
DATA_DIR = PACKAGE / "data"
#: Jinja2 templates of the kit's HTML pages.
TEMPLATES_DIR = PACKAGE / "templates"
#: Notebooks the kit serves as apps (the no-code planner page).
APPS_DIR = PACKAGE / "apps"

#: Set this environment variable to load cases from another folder.
CASES_DIR_ENV = "CONSORTIA_CASES_DIR"
#: Set this environment variable to use another course folder.
COURSE_DIR_ENV = "CONSORTIA_COURSE_DIR"


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
