"""Every kind of data file the kit ships, with how to check it: what ``consortia check-data`` runs.

A trainer edits the kit's YAML (a case, a rule, a rubric, a lesson's self-checks)
without touching code; ``consortia check-data`` then loads every kind of file
through its own validating loader and says how many items of each it checked, or
what is wrong and where. A new kind of data file is added to :data:`KINDS` here, and
``tests/test_catalog.py`` fails until it is.

This module sits beside the command line, above every domain, because it calls the
loaders of all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from consortia import _paths


@dataclass(frozen=True)
class DataKind:
    """One kind of data file: where it lives and how to load it all."""

    name: str
    noun: str  # what is counted, plural ("phases", "cases")
    location: Callable[[], Path]
    count: Callable[[], int]  # loads and validates every file of the kind; how many items


def _phases() -> int:
    from consortia.content.methodology import phases

    return len(phases())


def _criteria() -> int:
    from consortia.content.methodology import criteria

    return len(criteria())


def _programme() -> int:
    from consortia.content.programme import work_programme

    return len(work_programme().early_phases.phases)


def _cases() -> int:
    from consortia.content.cases import all_cases

    return len(all_cases())


def _rules() -> int:
    from consortia.plans.rulebook import rulebook

    return len(rulebook())


def _progress() -> int:
    from consortia.plans.progress import settings

    return len(settings().model_dump())


def _followup() -> int:
    from consortia.plans.followup import followup_plans

    return len(followup_plans())


def _readiness() -> int:
    from consortia.content.readiness import load_readiness

    return len(load_readiness().cases)


def _themes() -> int:
    from consortia.content.themes import themes

    return len(themes())


def _rubrics() -> int:
    from consortia.datafiles import DataFileError
    from consortia.grading.rubric import load_rubric, rubric_names

    problems = []
    names = rubric_names()
    for name in names:
        try:
            load_rubric(name)
        except DataFileError as exc:  # check every rubric, then report all problems
            problems += exc.problems
    if problems:
        raise DataFileError(problems)
    return len(names)


def _syllabus() -> int:
    from consortia.course.outline import lessons

    return len(lessons())


def _formats() -> int:
    from consortia.course.agenda import workshop_formats

    return len(workshop_formats())


def _self_checks() -> int:
    from consortia.course.self_checks import all_checks

    return len(all_checks())


#: Every kind of data file the kit ships, in the order ``check-data`` lists them.
KINDS: tuple[DataKind, ...] = (
    DataKind("methodology", "phases", lambda: _paths.DATA_DIR / "phases.yaml", _phases),
    DataKind("criteria", "criteria", lambda: _paths.DATA_DIR / "criteria.yaml", _criteria),
    DataKind("work programme", "early phases", lambda: _paths.DATA_DIR / "work_programme.yaml",
             _programme),
    DataKind("cases", "cases", _paths.cases_dir, _cases),
    DataKind("plan rules", "rules", lambda: _paths.DATA_DIR / "plan_rules.yaml", _rules),
    DataKind("progress settings", "settings", lambda: _paths.DATA_DIR / "progress.yaml",
             _progress),
    DataKind("illustrative follow-up", "teams", lambda: _paths.DATA_DIR / "followup.yaml",
             _followup),
    DataKind("readiness scores", "scored cases", lambda: _paths.DATA_DIR / "readiness.yaml",
             _readiness),
    DataKind("themes", "themes", lambda: _paths.DATA_DIR / "themes.yaml", _themes),
    DataKind("rubrics", "rubrics", lambda: _paths.DATA_DIR / "rubrics", _rubrics),
    DataKind("syllabus", "lessons", lambda: _paths.course_dir() / "syllabus.yaml", _syllabus),
    DataKind("workshop formats", "formats",
             lambda: _paths.course_dir() / "workshop_formats.yaml", _formats),
    DataKind("self-checks", "questions", lambda: _paths.course_dir() / "self_checks",
             _self_checks),
)


@dataclass(frozen=True)
class Checked:
    """The result of checking one kind: how many items, or the error that stopped it."""

    kind: DataKind
    count: int | None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check_all() -> list[Checked]:
    """Load every kind of data file; a broken kind is reported and the others still checked.

    Only the kit's own :class:`~consortia.errors.KitError` counts as a broken file;
    anything else is a bug and is raised.
    """
    from consortia.errors import KitError

    results = []
    for kind in KINDS:
        try:
            results.append(Checked(kind, kind.count()))
        except KitError as exc:
            results.append(Checked(kind, None, exc))
    return results
