"""What grading found for each submission: outcomes, kept in ``reports/<assignment>/grading.json``.

Each submission ends with a status: ``graded``; ``failed`` (could not be run: the
reason says why; it scores what nbgrader would, usually 0); ``missing`` (a folder
without the assignment's notebook); ``absent`` (a participant with no folder). While
a run goes, a submission not yet graded is ``pending``: the file is rewritten
(atomically) after every submission, so a run that is stopped leaves a true record,
and the report shows those as not graded rather than as zero. The feedback pages and
the cohort report read these outcomes beside the gradebook.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATUSES = ("graded", "failed", "missing", "absent", "pending")


@dataclass
class Outcome:
    """What happened to one participant's submission of one assignment."""

    student: str
    assignment: str
    status: str  # one of STATUSES
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""  # why it was not graded normally (failed, missing, absent)
    notes: list[str] = field(default_factory=list)  # repairs and limits applied
    notebooks: list[str] = field(default_factory=list)  # notebooks graded
    late_penalty: float = 0.0
    needs_manual_grade: bool = False
    seconds: float = 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Outcome:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class GradingRun:
    """The result of one ``grade`` call: outcomes, and how the run was made."""

    course: Path
    outcomes: list[Outcome]
    sandbox: str
    workers: int
    seconds: float
    timeout: float | None = None
    ignored: list[str] = field(default_factory=list)  # folders of unknown assignments

    def assignments(self) -> list[str]:
        return sorted({o.assignment for o in self.outcomes})

    def of(self, assignment: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.assignment == assignment]

    def outcome(self, student: str, assignment: str) -> Outcome:
        for o in self.outcomes:
            if o.student == student and o.assignment == assignment:
                return o
        raise KeyError(f"no outcome for {student}/{assignment}")


def outcomes_path(course: Path, assignment: str) -> Path:
    """Where a run's outcomes for one assignment are kept (read by feedback and report)."""
    return Path(course) / "reports" / assignment / "grading.json"


def load_outcomes(course: Path, assignment: str) -> list[Outcome]:
    """The outcomes of the last ``grade`` run of ``assignment`` (empty if never graded)."""
    path = outcomes_path(course, assignment)
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Outcome.from_dict(item) for item in data["outcomes"]]


def _write_atomically(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".grading.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def save_progress(course: Path, assignment: str, outcomes: list[Outcome]) -> Path:
    """Write the outcomes so far of a run that is still going (some may be ``pending``)."""
    return _write_atomically(outcomes_path(course, assignment), {
        "assignment": assignment, "finished": False,
        "outcomes": [o.as_dict() for o in outcomes]})


def save_outcomes(run: GradingRun, assignment: str) -> Path:
    """Write the outcomes of a finished run."""
    return _write_atomically(outcomes_path(run.course, assignment), {
        "assignment": assignment, "finished": True, "sandbox": run.sandbox,
        "workers": run.workers, "seconds": round(run.seconds, 2),
        "outcomes": [o.as_dict() for o in run.of(assignment)]})
