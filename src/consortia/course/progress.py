"""Where a learner is in the course: the lesson's place, and the self-checks done.

Each time a learner presses "Check my answer" in a notebook of their personal copy
of the course (:func:`consortia._paths.learner_dir`, ``my_course/``), the self-check
widget records the attempt here, in ``my_course/.self_checks.json``, never in the
kit. Notebooks run anywhere else (the kit's own ``course/`` on a projector, the
static site, the tests) neither record nor show personal progress: they are not
one learner's.
The file is rewritten whole and atomically after every answer, and read again just
before, so that two lessons open side by side do not undo each other's records.

A self-check counts as *done* once it has been answered right. The questions of a
lesson are those of its file ``course/self_checks/<lesson>.yaml``; the lesson header
and footer, and the widget after each answer, show the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from consortia._paths import learner_dir
from consortia.course import self_checks
from consortia.course.outline import lesson, lessons
from consortia.storage import read_json, write_json_atomic

#: The progress file, inside the learner's personal copy of the course.
PROGRESS_FILE = ".self_checks.json"
#: The layout of that file; a file of another version is read as empty.
PROGRESS_VERSION = 1


@dataclass(frozen=True)
class Tally:
    """How many self-checks are done out of how many."""

    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done} of {self.total}"


def in_learner_copy(where: Path | None = None) -> bool:
    """True when ``where`` (default: the current folder, a notebook's own) is inside
    the learner's personal copy of the course."""
    here = Path(where or Path.cwd()).resolve()
    return here.is_relative_to(learner_dir().resolve())


def progress_path(folder: Path | None = None) -> Path:
    """The progress file of the learner's copy (``my_course/.self_checks.json``)."""
    return Path(folder or learner_dir()) / PROGRESS_FILE


def answers(folder: Path | None = None) -> dict[str, dict]:
    """Every self-check answered so far: ``{check id: {"right": bool, "tries": n, ...}}``.

    A missing or damaged file reads as no answers (it is rewritten whole at the next
    answer); it never stops a lesson.
    """
    data = read_json(progress_path(folder), default={})
    if not isinstance(data, dict) or data.get("version") != PROGRESS_VERSION:
        return {}
    found = data.get("checks")
    return {key: value for key, value in found.items() if isinstance(value, dict)} \
        if isinstance(found, dict) else {}


def record_answer(check_id: str, right: bool, folder: Path | None = None) -> dict:
    """Record one answer to ``check_id`` and return its record.

    A check once answered right stays done, whatever comes after.
    """
    records = answers(folder)
    record = dict(records.get(check_id, {"right": False, "tries": 0}))
    record["tries"] = int(record.get("tries", 0)) + 1
    record["right"] = bool(record.get("right")) or bool(right)
    record["last"] = datetime.now(UTC).isoformat(timespec="seconds")
    records[check_id] = record
    write_json_atomic(progress_path(folder),
                      {"version": PROGRESS_VERSION, "checks": dict(sorted(records.items()))})
    return record


def lesson_of(check_id: str) -> str | None:
    """The lesson whose self-check file holds ``check_id`` (None if unknown)."""
    for lesson_id, checks in self_checks.checks_by_lesson().items():
        if any(check.id == check_id for check in checks):
            return lesson_id
    return None


def lesson_tally(lesson_id: str | int, folder: Path | None = None) -> Tally:
    """Self-checks of one lesson done so far."""
    wanted = lesson(lesson_id).id
    ids = [check.id for check in self_checks.checks_by_lesson().get(wanted, [])]
    done = answers(folder)
    return Tally(sum(1 for i in ids if done.get(i, {}).get("right")), len(ids))


def course_tally(folder: Path | None = None) -> Tally:
    """Self-checks of the whole course done so far."""
    ids = [check.id for checks in self_checks.checks_by_lesson().values() for check in checks]
    done = answers(folder)
    return Tally(sum(1 for i in ids if done.get(i, {}).get("right")), len(ids))


def position(lesson_id: str | int) -> tuple[int, int]:
    """The lesson's place in the course: ``(3, 10)`` for the third of ten lessons."""
    order = [item.id for item in lessons()]
    return order.index(lesson(lesson_id).id) + 1, len(order)
