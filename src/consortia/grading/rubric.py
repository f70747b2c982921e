"""Rubrics for the parts of an assignment that a trainer marks by hand.

A rubric is a data file, ``data/rubrics/<name>.yaml``: a list of criteria, each
with three or four levels (points and a descriptor per level), the paragraph of
the sources the criterion rests on, and the ``grade_id`` of the manually graded
cell of the assignment it scores. A trainer marks a submission by choosing one
level per criterion (with :class:`consortia.widgets.rubric.RubricGrader`, or by
calling :func:`apply_choices`); the points land in nbgrader's gradebook as the
cell's manual score, with a short comment naming the levels chosen, so that
nbgrader's formgrader, its reports and the kit's feedback all see them.

Several criteria may score the same cell: the cell then gets the sum of their
points, and its points in the notebook must equal the sum of their maxima.

A rubric may also list the assignment's autograded ``checks``: each test cell of the
notebook by ``grade_id``, what it checks in words, its points and, for an action plan,
the codes of the validator's rules it applies (:class:`Check`). That list is the one
home of what the computer grades: the test cell calls
:func:`consortia.grading.checks.assert_criterion` with its own ``grade_id``, and the
table participants see before they hand in (:mod:`consortia.grading.criteria`) is
made from it, so the check, its message and the announcement cannot drift apart.
A rule the planner calls "Worth improving" (severity ``advice``) never costs points,
and no rule is graded by two checks.

A rubric is checked when it is loaded (:func:`load_rubric`): ids are unique,
levels run from fewest to most points, no level is worth more than its
criterion's maximum and the best level is worth exactly that, and every manually
graded cell of the assignment's notebook is scored by some criterion (when the
notebook is found, that is in a checkout with ``solutions/`` or ``exercises/``).
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from consortia._paths import DATA_DIR, exercises_dir, solutions_dir
from consortia.datafiles import DataFileError, Problem, load_yaml_model
from consortia.errors import InputError
from consortia.grading.nbgrader_course import open_gradebook
from consortia.sources import KitModel, NonEmpty, Source, require_unique

#: Where the kit's rubrics live.
RUBRICS_DIR = DATA_DIR / "rubrics"
#: Folders searched, in order, for an assignment's notebook.
NOTEBOOK_FOLDERS = (solutions_dir(), exercises_dir())

#: Every line the rubric writes into a gradebook comment starts with this.
COMMENT_PREFIX = "Rubric - "

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Points = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class Level(KitModel):
    """One level of a criterion: what a piece of work at this level looks like."""

    id: Key
    title: Annotated[str, Field(min_length=1, max_length=40)]
    points: Points
    descriptor: NonEmpty


class Criterion(KitModel):
    """One thing the trainer judges, worth up to ``max_points``, scored into ``grade_id``."""

    id: Key
    title: NonEmpty
    grade_id: Key
    max_points: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    sources: list[Source] = Field(min_length=1)
    guidance: str = ""
    levels: list[Level] = Field(min_length=3, max_length=4)

    @model_validator(mode="after")
    def _levels_make_sense(self) -> Criterion:
        require_unique([level.id for level in self.levels], "level ids")
        points = [level.points for level in self.levels]
        if any(a >= b for a, b in itertools.pairwise(points)):
            raise ValueError(
                f"levels must be listed from fewest to most points, each worth more than "
                f"the one before; got {points}"
            )
        over = [level.id for level in self.levels if level.points > self.max_points]
        if over:
            raise ValueError(
                f"level(s) {over} are worth more than the criterion's max_points "
                f"({self.max_points:g})"
            )
        if points[-1] != self.max_points:
            raise ValueError(
                f"the best level is worth {points[-1]:g} points but max_points is "
                f"{self.max_points:g}; make them equal so that full marks can be given"
            )
        return self

    def level(self, choice: str | float) -> Level:
        """The level chosen by its id (``"good"``) or by its points (``2``)."""
        for item in self.levels:
            if isinstance(choice, str) and item.id == choice.strip():
                return item
            if not isinstance(choice, (str, bool)) and item.points == choice:
                return item
        valid = ", ".join(f"{item.id} ({item.points:g})" for item in self.levels)
        raise InputError(
            f"{choice!r} is not a level of the criterion {self.id!r}; choose one of: {valid}"
        )


class Check(KitModel):
    """One autograded test cell: what it checks, in words, and what it is worth.

    ``rules`` are codes of the plan validator (``data/plan_rules.yaml``);
    ``severity: error`` stands for every "Must fix" rule that no other check names.
    A check with neither checks only that the plan file counts (handed in, readable,
    not the untouched starter plan), which every check of a plan checks first.
    """

    grade_id: Key
    title: str = ""  # what it checks, in words; none: the titles of its rules
    points: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    rules: list[str] = Field(default_factory=list)
    severity: Literal["error"] | None = None

    @model_validator(mode="after")
    def _rules_exist(self) -> Check:
        from consortia.plans.rulebook import SEVERITY_LABELS, rulebook

        require_unique(self.rules, "rules")
        book = rulebook()
        unknown = [code for code in self.rules if code not in book]
        if unknown:
            raise ValueError(f"no rule {', '.join(map(repr, unknown))} in data/plan_rules.yaml")
        optional = [code for code in self.rules if book[code].severity == "advice"]
        if optional:
            raise ValueError(
                f"{', '.join(map(repr, optional))} the planner calls "
                f"{SEVERITY_LABELS['advice']!r}, so it cannot cost points; grade only rules "
                "of severity error or warning")
        if self.severity and self.rules:
            raise ValueError("give either rules or severity, not both")
        if not self.title.strip() and not self.rules:
            raise ValueError("a check without rules needs a title saying what it checks")
        return self

    @property
    def words(self) -> str:
        """What the check asks, in words: its title, else the titles of its rules."""
        from consortia.plans.rulebook import rulebook

        if self.title.strip():
            return self.title.strip()
        return "; ".join(rulebook()[code].title for code in self.rules)


class Rubric(KitModel):
    """The content of one ``data/rubrics/<name>.yaml`` file."""

    name: Key
    title: NonEmpty
    assignment: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    notebook: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    description: str = ""
    criteria: list[Criterion] = Field(min_length=1)
    checks: list[Check] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        require_unique([c.id for c in self.criteria], "criterion ids")
        require_unique([c.grade_id for c in self.checks], "check grade_ids")
        named = [code for item in self.checks for code in item.rules]
        twice = sorted({code for code in named if named.count(code) > 1})
        if twice:
            raise ValueError(f"the rule(s) {', '.join(twice)} are graded by more than one "
                             "check; grade each rule once")
        if sum(item.severity is not None for item in self.checks) > 1:
            raise ValueError("only one check may stand for all the rules of a severity")
        return self

    def check(self, grade_id: str) -> Check:
        """One autograded check by its cell's ``grade_id``; :class:`KeyError` if none."""
        return self._one(self.checks, "grade_id", grade_id, "check")

    def check_rules(self, grade_id: str) -> list[str]:
        """The codes of the rules one check applies, ``severity`` resolved to its rules."""
        from consortia.plans.rulebook import rulebook

        item = self.check(grade_id)
        if item.severity is None:
            return list(item.rules)
        named = {code for other in self.checks for code in other.rules}
        return [code for code, rule in rulebook().items()
                if rule.severity == item.severity and code not in named]

    @property
    def check_points(self) -> float:
        """The points of all the autograded checks."""
        return sum(item.points for item in self.checks)

    def criterion(self, criterion_id: str) -> Criterion:
        """One criterion by id; :class:`KeyError` naming the valid ids if none."""
        return self._one(self.criteria, "id", criterion_id, "criterion")

    def _one(self, items: list, key: str, wanted: str, what: str):
        """The item of ``items`` whose ``key`` is ``wanted``; a :class:`KeyError` listing
        the valid ones (``what``: the word for an item, with its plural in the message)."""
        for item in items:
            if getattr(item, key) == wanted:
                return item
        plural = "criteria" if what == "criterion" else f"{what}s"
        raise KeyError(
            f"No {what} {wanted!r} in the rubric {self.name!r}; the {plural} are: "
            f"{', '.join(getattr(i, key) for i in items) or 'none'}"
        )

    def grade_ids(self) -> dict[str, list[Criterion]]:
        """The manually graded cells the rubric scores, each with its criteria (in order)."""
        cells: dict[str, list[Criterion]] = {}
        for item in self.criteria:
            cells.setdefault(item.grade_id, []).append(item)
        return cells

    def cell_points(self) -> dict[str, float]:
        """The points each scored cell must be worth: the sum of its criteria's maxima."""
        return {cell: sum(c.max_points for c in items) for cell, items in self.grade_ids().items()}

    @property
    def max_points(self) -> float:
        """The most points the rubric can give."""
        return sum(c.max_points for c in self.criteria)

    def _repr_html_(self) -> str:
        rows = []
        for item in self.criteria:
            levels = "".join(
                f"<li><b>{html.escape(level.title)}</b> ({level.points:g} pts): "
                f"{html.escape(level.descriptor)}</li>"
                for level in item.levels
            )
            rows.append(
                f"<tr><td style='text-align:left;vertical-align:top'><b>"
                f"{html.escape(item.title)}</b><br>up to {item.max_points:g} points<br>"
                f"<i>{html.escape('; '.join(item.sources))}</i></td>"
                f"<td style='text-align:left'><ul>{levels}</ul></td></tr>"
            )
        return (
            f"<h4>{html.escape(self.title)}</h4><table><tr><th>Criterion</th>"
            f"<th>Levels</th></tr>{''.join(rows)}</table>"
        )


# --- loading ---------------------------------------------------------------------------------


def rubric_names() -> list[str]:
    """The names of the kit's rubrics (the file names in ``data/rubrics``)."""
    return sorted(p.stem for p in RUBRICS_DIR.glob("*.yaml"))


def manual_cells(notebook: Path | str) -> dict[str, float]:
    """The manually graded cells of an nbgrader notebook: ``grade_id`` -> points.

    These are the written-answer cells (``grade`` and ``solution``) and the task
    cells (``task``).
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    found: dict[str, float] = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader")
        if not meta:
            continue
        if meta.get("task") or (meta.get("grade") and meta.get("solution")):
            found[meta["grade_id"]] = float(meta.get("points", 0))
    return found


def autograded_cells(notebook: Path | str) -> dict[str, float]:
    """The autograded test cells of an nbgrader notebook: ``grade_id`` -> points."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    found: dict[str, float] = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta and meta.get("grade") and not meta.get("solution") \
                and cell.get("cell_type") == "code":
            found[meta["grade_id"]] = float(meta.get("points", 0))
    return found


def find_notebook(rubric: Rubric) -> Path | None:
    """The notebook the rubric is for, in ``solutions/`` or ``exercises/``; ``None`` if absent."""
    for folder in NOTEBOOK_FOLDERS:
        path = folder / rubric.assignment / f"{rubric.notebook}.ipynb"
        if path.is_file():
            return path
    return None


def notebook_problems(rubric: Rubric, notebook: Path | str, path: Path) -> list[Problem]:
    """What does not match between a rubric (read from ``path``) and its notebook."""
    cells = manual_cells(notebook)
    wanted = rubric.cell_points()
    problems = []
    for index, item in enumerate(rubric.criteria):
        if item.grade_id not in cells:
            problems.append(Problem(
                path, f"criteria.{index}.grade_id",
                f"{item.grade_id!r} is not a manually graded cell of {Path(notebook).name} "
                f"(those are: {', '.join(cells) or 'none'})",
            ))
    for grade_id, points in cells.items():
        if grade_id not in wanted:
            problems.append(Problem(
                path, "criteria",
                f"the manually graded cell {grade_id!r} of {Path(notebook).name} is scored by "
                "no criterion; link a criterion to it with grade_id",
            ))
        elif wanted[grade_id] != points:
            problems.append(Problem(
                path, "criteria",
                f"the criteria scoring {grade_id!r} add up to {wanted[grade_id]:g} points, but "
                f"the cell is worth {points:g} in {Path(notebook).name}; make them equal",
            ))
    if rubric.checks:
        problems += _check_problems(rubric, notebook, path)
    return problems


def _check_problems(rubric: Rubric, notebook: Path | str, path: Path) -> list[Problem]:
    """What does not match between a rubric's checks and the notebook's test cells."""
    tests = autograded_cells(notebook)
    name = Path(notebook).name
    problems = []
    for index, item in enumerate(rubric.checks):
        if item.grade_id not in tests:
            problems.append(Problem(
                path, f"checks.{index}.grade_id",
                f"{item.grade_id!r} is not an autograded test cell of {name} (those are: "
                f"{', '.join(tests) or 'none'})"))
        elif tests[item.grade_id] != item.points:
            problems.append(Problem(
                path, f"checks.{index}.points",
                f"the check {item.grade_id!r} is worth {item.points:g} points here but "
                f"{tests[item.grade_id]:g} in {name}; make them equal"))
    listed = {item.grade_id for item in rubric.checks}
    for grade_id in tests:
        if grade_id not in listed:
            problems.append(Problem(
                path, "checks",
                f"the test cell {grade_id!r} of {name} is not listed under checks, so "
                "participants would not be told what it grades; add it"))
    return problems


def load_rubric(name: str, *, path: Path | str | None = None,
                notebook: Path | str | None = None) -> Rubric:
    """Load and check a rubric: ``load_rubric("action_plan")``.

    ``path`` reads another file than ``data/rubrics/<name>.yaml``; ``notebook`` checks
    the rubric against another notebook than the assignment's own. A broken rubric
    raises :class:`~consortia.datafiles.DataFileError` naming the file and each field
    at fault.
    """
    if path is None and notebook is None:
        return _default(name)
    return _load(name, Path(path) if path else None, Path(notebook) if notebook else None)


@cache
def _default(name: str) -> Rubric:
    return _load(name, None, None)


def _load(name: str, path: Path | None, notebook: Path | None) -> Rubric:
    if path is None:
        path = RUBRICS_DIR / f"{name}.yaml"
        if not path.is_file():
            raise InputError(f"No rubric {name!r}; the rubrics are: {', '.join(rubric_names())}")
    rubric = load_yaml_model(path, Rubric)
    problems = []
    if rubric.name != path.stem:
        problems.append(Problem(path, "name", f"is {rubric.name!r} but the file is named "
                                f"{path.name!r}; make them match"))
    notebook = notebook or find_notebook(rubric)
    if notebook is not None:
        problems += notebook_problems(rubric, notebook, path)
    if problems:
        raise DataFileError(problems)
    return rubric


def rubric_for(assignment: str) -> Rubric:
    """The rubric of an assignment (``"04_action_plan"``); :class:`~consortia.errors.InputError`
    if it has none."""
    for name in rubric_names():
        rubric = load_rubric(name)
        if rubric.assignment == assignment:
            return rubric
    raise InputError(f"No rubric is written for the assignment {assignment!r}.")


def reload() -> None:
    """Forget loaded rubrics, so edits to the YAML files are seen in this session."""
    _default.cache_clear()


# --- scoring -----------------------------------------------------------------------------------


def _comment_line(item: Criterion, level: Level) -> str:
    descriptor = " ".join(level.descriptor.split())
    return (f"{COMMENT_PREFIX}{item.title}: {level.title} ({level.points:g} of "
            f"{item.max_points:g} points). {descriptor}")


def score(rubric: Rubric, choices: Mapping[str, str | float]) -> dict:
    """Turn a choice of one level per criterion into points, per criterion and per cell.

    ``choices`` maps each criterion id to a level id (or to the level's points).
    Every criterion needs a choice. Returns plain data::

        {"rubric": "action_plan", "total": 9.0, "max_total": 12.0,
         "criteria": {"timeline_realism": {"level": "sound", "title": "Sound",
                      "points": 2.0, "max_points": 3.0, "grade_id": "timeline_realism"}, ...},
         "grades": {"timeline_realism": {"points": 2.0, "max_points": 3.0,
                    "comment": "Rubric - Realism of the timeline: Sound (2 of 3 points). ..."}}}
    """
    unknown = [key for key in choices if key not in {c.id for c in rubric.criteria}]
    if unknown:
        raise InputError(
            f"{unknown} are not criteria of the rubric {rubric.name!r}; the criteria are: "
            f"{', '.join(c.id for c in rubric.criteria)}"
        )
    missing = [c.id for c in rubric.criteria if choices.get(c.id) is None]
    if missing:
        raise InputError(f"Choose a level for every criterion; still missing: {', '.join(missing)}")
    criteria: dict[str, dict] = {}
    grades: dict[str, dict] = {}
    for item in rubric.criteria:
        level = item.level(choices[item.id])
        criteria[item.id] = {
            "level": level.id,
            "title": level.title,
            "points": level.points,
            "max_points": item.max_points,
            "grade_id": item.grade_id,
        }
        cell = grades.setdefault(item.grade_id, {"points": 0.0, "max_points": 0.0, "lines": []})
        cell["points"] += level.points
        cell["max_points"] += item.max_points
        cell["lines"].append(_comment_line(item, level))
    for cell in grades.values():
        cell["comment"] = "\n".join(cell.pop("lines"))
    return {
        "rubric": rubric.name,
        "total": sum(c["points"] for c in criteria.values()),
        "max_total": rubric.max_points,
        "criteria": criteria,
        "grades": grades,
    }


def parse_comment(rubric: Rubric, comment: str | None) -> dict[str, str]:
    """The levels a comment written by :func:`apply_choices` records: criterion -> level id."""
    found: dict[str, str] = {}
    for line in (comment or "").splitlines():
        if not line.startswith(COMMENT_PREFIX):
            continue
        for item in rubric.criteria:
            for level in item.levels:
                if line.startswith(f"{COMMENT_PREFIX}{item.title}: {level.title} ("):
                    found[item.id] = level.id
    return found


def chosen_levels(rubric: Rubric, comment: str | None) -> dict[str, Level]:
    """The levels a gradebook comment records, as :class:`Level` objects: criterion -> level.

    What the feedback and the cohort report show per criterion (title, points,
    descriptor); a criterion the comment does not name is left out.
    """
    found = parse_comment(rubric, comment)
    return {item.id: item.level(found[item.id]) for item in rubric.criteria if item.id in found}


def own_words(comment: str | None) -> str:
    """The trainer's own words in a gradebook comment: every line but the rubric's."""
    kept = [line.rstrip() for line in (comment or "").splitlines()
            if not line.startswith(COMMENT_PREFIX)]
    return "\n".join(kept).strip("\n")


def _merge_comment(existing: str | None, rubric_lines: str, words: str | None = None) -> str:
    """The trainer's words (``words``, else those already there), then the rubric lines."""
    kept = own_words(existing if words is None else words)
    return f"{kept}\n{rubric_lines}" if kept else rubric_lines


# --- the gradebook -------------------------------------------------------------------------------


def _open_gradebook(course_dir: Path | str):
    """The course's gradebook, as its configuration names it (see
    :func:`consortia.grading.nbgrader_course.open_gradebook`)."""
    return open_gradebook(course_dir)


def read_choices(course_dir: Path | str, assignment: str, student: str,
                 rubric: Rubric | None = None) -> dict[str, str]:
    """The levels already recorded in the gradebook for a submission (criterion -> level)."""
    from nbgrader.api import MissingEntry

    rubric = rubric or rubric_for(assignment)
    found: dict[str, str] = {}
    with _open_gradebook(course_dir) as gb:
        for grade_id in rubric.grade_ids():
            try:
                comment = gb.find_comment(grade_id, rubric.notebook, assignment, student)
            except MissingEntry:
                continue
            found.update(parse_comment(rubric, comment.manual_comment))
    return found


def read_comment(course_dir: Path | str, assignment: str, student: str,
                 rubric: Rubric | None = None) -> str:
    """The trainer's own comment on a submission: the words (not the rubric lines) in
    the comment of the first cell the rubric scores, where :func:`apply_choices` puts it."""
    from nbgrader.api import MissingEntry

    rubric = rubric or rubric_for(assignment)
    with _open_gradebook(course_dir) as gb:
        try:
            comment = gb.find_comment(next(iter(rubric.grade_ids())), rubric.notebook,
                                      assignment, student)
        except MissingEntry:
            return ""
        return own_words(comment.manual_comment)


def apply_choices(course_dir: Path | str, assignment: str, student: str,
                  choices: Mapping[str, str | float], rubric: Rubric | None = None,
                  comment: str | None = None) -> dict:
    """Write the rubric's points and comments for one submission into the gradebook.

    For every cell the rubric scores, sets nbgrader's ``manual_score`` (and marks the
    cell as graded) and writes a comment naming the chosen levels; a comment the
    trainer typed in the formgrader is kept, earlier rubric lines are replaced.
    ``comment``, the trainer's own words on the whole submission, replaces the words
    before the rubric lines of the first cell the rubric scores (nbgrader keeps
    comments per cell, and the participant's feedback shows them under that cell);
    ``None`` leaves them as they are, ``""`` removes them.
    Returns what :func:`score` returns, with ``comment`` added. Nothing is written
    unless every cell is found.
    """
    from nbgrader.api import MissingEntry

    rubric = rubric or rubric_for(assignment)
    result = score(rubric, choices)
    with _open_gradebook(course_dir) as gb:
        updates = []
        for grade_id, cell in result["grades"].items():
            try:
                grade = gb.find_grade(grade_id, rubric.notebook, assignment, student)
                entry = gb.find_comment(grade_id, rubric.notebook, assignment, student)
            except MissingEntry:
                raise InputError(
                    f"The gradebook has no cell {grade_id!r} of {assignment}/{rubric.notebook} "
                    f"for {student!r}: has this submission been autograded?"
                ) from None
            if grade.max_score is not None and cell["points"] > grade.max_score:
                raise InputError(
                    f"The rubric gives up to {cell['max_points']:g} points to {grade_id!r}, "
                    f"but the gradebook says the cell is worth {grade.max_score:g}: "
                    "regenerate the assignment or fix the rubric."
                )
            updates.append((grade, entry, cell))
        first = next(iter(result["grades"]))
        for (grade, entry, cell), grade_id in zip(updates, result["grades"], strict=True):
            grade.manual_score = cell["points"]
            grade.needs_manual_grade = False
            entry.manual_comment = _merge_comment(entry.manual_comment, cell["comment"],
                                                  comment if grade_id == first else None)
        gb.db.commit()
    result["comment"] = own_words(comment) if comment is not None else None
    return result
