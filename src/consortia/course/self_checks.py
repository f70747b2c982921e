"""Self-check questions: load them, and judge a learner's answer with feedback.

The questions live as data in ``course/self_checks/<lesson>.yaml`` (one file per
lesson, validated on load). This module has no widgets: it decides whether an
answer is right and what to tell the learner, so the quiz widget, the tests and a
future command line all judge answers the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from consortia._paths import course_dir
from consortia.course.models import SelfCheck, SelfCheckFile
from consortia.datafiles import DataFileError, Problem, load_yaml_folder
from consortia.errors import InputError


@dataclass(frozen=True)
class Verdict:
    """What the learner is told after answering."""

    correct: bool
    message: str


def checks_dir() -> Path:
    """The folder of self-check files: ``course/self_checks`` of the checkout."""
    return course_dir() / "self_checks"


@cache
def _load_files(folder: Path) -> dict[str, tuple[SelfCheck, ...]]:
    loaded, problems = load_yaml_folder(folder, SelfCheckFile, named_by="lesson")
    seen: set[str] = set()
    by_lesson: dict[str, tuple[SelfCheck, ...]] = {}
    for path, checks_file in loaded:
        for item in checks_file.checks:
            if item.id in seen:
                problems.append(Problem(path, "checks", f"id {item.id!r} is used twice"))
            seen.add(item.id)
        by_lesson[checks_file.lesson] = tuple(checks_file.checks)
    if problems:
        raise DataFileError(problems)
    return dict(sorted(by_lesson.items()))


def _load(folder: Path) -> dict[str, SelfCheck]:
    return {item.id: item for checks in _load_files(folder).values() for item in checks}


def all_checks(folder: Path | None = None) -> dict[str, SelfCheck]:
    """Every self-check by id (validated; a broken file raises DataFileError)."""
    return dict(_load(folder or checks_dir()))


def checks_by_lesson(folder: Path | None = None) -> dict[str, list[SelfCheck]]:
    """The self-checks of each lesson, in the order of its file (``self_checks/NN.yaml``)."""
    return {key: list(value) for key, value in _load_files(folder or checks_dir()).items()}


def get(check_id: str, folder: Path | None = None) -> SelfCheck:
    """One self-check by id; an unknown id lists the known ones."""
    checks = all_checks(folder)
    if check_id not in checks:
        raise InputError(f"Unknown self-check {check_id!r}. Known: {', '.join(sorted(checks))}.")
    return checks[check_id]


def judge(check: SelfCheck, answer: object) -> Verdict:
    """Judge ``answer``: an option index (choice), a set of indexes (multiple) or a number."""
    if check.kind == "number":
        try:
            value = float(str(answer).replace(",", "").strip())
        except ValueError:
            return Verdict(False, "Type a number (digits only, for example 9000).")
        if abs(value - float(check.answer)) <= check.tolerance:
            return Verdict(True, f"Right. {check.explanation}")
        return Verdict(False, "Not quite. Look again at the figures above, then try once more.")
    if check.kind == "choice":
        if answer is None:
            return Verdict(False, "Choose one answer first.")
        option = check.options[int(answer)]
        return Verdict(option.correct, option.feedback)
    chosen = set(answer or ())
    if not chosen:
        return Verdict(False, "Tick every answer you think is right first.")
    wanted = {i for i, o in enumerate(check.options) if o.correct}
    if chosen == wanted:
        return Verdict(True, "Right: you found every correct answer. " + check.explanation)
    wrong = sorted(chosen - wanted)
    missed = len(wanted - chosen)
    parts = [check.options[i].feedback for i in wrong]
    if missed:
        parts.append(f"{missed} correct answer{'s are' if missed > 1 else ' is'} still unticked.")
    return Verdict(False, " ".join(parts))


def answer_text(check: SelfCheck) -> str:
    """The correct answer in words, shown only after the learner has tried."""
    if check.kind == "number":
        return f"{check.answer:g} {check.unit}".strip() + f". {check.explanation}"
    right = [o.text for o in check.options if o.correct]
    return f"{'; '.join(right)}. {check.explanation}"
