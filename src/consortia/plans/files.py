"""Action plans on disk: load, save (atomically), and the JSON Schema of the file.

A plan is a JSON file a participant builds with the planner widget, the command
line or code. Saving writes a temporary file beside the target and renames it over
the old one, so a crash or a full disk mid-save never leaves a half-written plan:
the previous version stays intact. A save killed on the way can leave its temporary
file behind (``.plan.json.<random>.tmp``); the next save of the same plan removes
such leftovers, and the kit's nbgrader settings never submit or grade them. Loading
refuses anything that is not a plan with a :class:`PlanFileError` whose message
says what is wrong and what to do.

Plans written by earlier versions of the kit still load: :func:`migrate` brings the
data of an older ``schema_version`` up to the current one step by step (version 1,
the plans handed in at the first workshops, gains indicator ids and empty progress),
and the next save writes the current version. A file from a newer kit is refused
with a message that says so, never half read.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path

from pydantic import ValidationError

from consortia._paths import kit_command
from consortia.datafiles import problems_from_validation
from consortia.errors import KitError
from consortia.plans.model import PLAN_SCHEMA_VERSION, ActionPlan
from consortia.storage import file_mode

try:  # a lock tells a temporary file still being written from one left by a killed save
    import fcntl
except ImportError:  # pragma: no cover - Windows: fall back to the file's age
    fcntl = None

#: A real plan is a few kilobytes; a file far bigger than this is not a plan.
MAX_PLAN_BYTES = 1_000_000

#: Where locks are not available, a temporary file older than this is a leftover.
STALE_AFTER_SECONDS = 600
#: A save locks its temporary file at once; one younger than this is never touched,
#: so a save that has created its file but not yet locked it is left alone.
FRESH_SECONDS = 5

#: The names of a save's temporary files: ``.<plan file name>.<random>.tmp``.
TEMPORARY_PATTERN = ".*.tmp"


class PlanFileError(KitError, ValueError):
    """A plan file cannot be read or is not a plan. The message says what to fix."""

    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        self.reason = message
        super().__init__(f"{self.path}: {message}")


def load_plan(path: Path | str) -> ActionPlan:
    """Read and validate the plan stored at ``path``.

    Raises :class:`PlanFileError` for a missing, unreadable, oversized, non-JSON or
    wrongly shaped file. Never returns a partly read plan.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanFileError(path, "no such file; check the name and folder") from None
    except OSError as exc:
        raise PlanFileError(path, f"cannot be read ({exc.strerror})") from None
    if path.is_dir():
        raise PlanFileError(path, "is a folder, not a plan file")
    if size > MAX_PLAN_BYTES:
        raise PlanFileError(
            path, f"is {size:,} bytes, far too large for a plan (the limit is "
            f"{MAX_PLAN_BYTES:,}); is it the right file?"
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise PlanFileError(path, f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise PlanFileError(path, "is not a text file (not UTF-8); is it the right file?") from None
    return parse_plan(text, path)


def parse_plan(text: str, path: Path | str = "<plan>") -> ActionPlan:
    """Validate plan JSON given as text; ``path`` is only used in messages."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "a plan file is written by the planner or by the command "
            f"{kit_command('plan', 'new', '--out', 'new-plan.json')}"
        ) from None
    except RecursionError:
        raise PlanFileError(path, "is nested far too deeply to be a plan") from None
    if not isinstance(data, dict):
        raise PlanFileError(
            path, f"holds a JSON {type(data).__name__}, not a plan (a plan is a JSON "
            "object with 'consortium', 'activities', 'indicators' ...)"
        )
    data = migrate(data, path)
    try:
        return ActionPlan.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(Path(path), exc, data)
        details = "; ".join(
            f"{p.field or 'the file'} {p.message}" for p in problems[:5]
        )
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise PlanFileError(path, f"is not a valid plan: {details}{more}") from None
    except RecursionError:
        raise PlanFileError(path, "is nested far too deeply to be a plan") from None


def _v1_to_v2(data: dict) -> dict:
    """Version 1 had no indicator ids and no progress: number the indicators in order."""
    indicators = data.get("indicators")
    if isinstance(indicators, list):
        taken = {item.get("id") for item in indicators if isinstance(item, dict)}
        numbered, n = [], 0
        for item in indicators:
            if isinstance(item, dict) and not item.get("id"):
                n += 1
                while f"I{n}" in taken:
                    n += 1
                item = {**item, "id": f"I{n}"}
            numbered.append(item)
        data = {**data, "indicators": numbered}
    return {**data, "schema_version": 2}


#: One step per older version: the function that turns its data into the next version's.
MIGRATIONS = {1: _v1_to_v2}


def migrate(data: dict, path: Path | str = "<plan>") -> dict:
    """Plan data of any version this kit knows, brought up to :data:`PLAN_SCHEMA_VERSION`.

    A file without ``schema_version`` is taken as version 1 (the first kit wrote it
    always, but a hand-made file may lack it). A version from a newer kit, or one
    that is not a number, raises :class:`PlanFileError`.
    """
    version = data.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PlanFileError(path, f"has schema_version {version!r}, which is not a version "
                            f"of the plan format; this kit writes version {PLAN_SCHEMA_VERSION}")
    if version > PLAN_SCHEMA_VERSION:
        raise PlanFileError(
            path, f"has schema_version {version!r}, made by a newer version of the kit; this "
            f"kit reads versions 1 to {PLAN_SCHEMA_VERSION}. Update the kit to open it."
        )
    while version < PLAN_SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version = data["schema_version"]
    return data


def plan_to_json(plan: ActionPlan) -> str:
    """The plan as the JSON text that :func:`save_plan` writes."""
    return plan.model_dump_json(indent=2) + "\n"


def save_plan(plan: ActionPlan, path: Path | str) -> Path:
    """Write ``plan`` to ``path`` atomically and return the path.

    The JSON is written to a temporary file in the same folder, flushed to disk,
    then renamed over ``path`` in one step. If anything fails on the way, the old
    file is untouched and the temporary file is removed. Temporary files that earlier
    saves of this plan left behind when they were killed are removed first.
    """
    path = Path(path)
    if not isinstance(plan, ActionPlan):
        raise TypeError(f"save_plan needs an ActionPlan, not {type(plan).__name__}")
    text = plan_to_json(plan)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if fcntl is not None:  # held until the file is closed: "still being written"
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # mkstemp makes the file private (0600); give it the mode a plain new file would
        # get, or keep the old file's, so a grader or a shared hub can still read it
        os.fchmod(handle, file_mode(path))
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
            if fcntl is not None:  # renamed while still locked, so never taken for a leftover
                os.replace(temporary, path)
        if fcntl is None:
            os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return path


def leftovers(path: Path | str) -> list[Path]:
    """Temporary files of saves of ``path`` that were killed before they finished.

    A save holds a lock on its temporary file while it writes; a file nobody holds a
    lock on (and older than :data:`FRESH_SECONDS`) is a leftover. Without locks
    (Windows), a file older than :data:`STALE_AFTER_SECONDS` is.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    found = []
    for candidate in folder.glob(f".{glob_escape(path.name)}.*.tmp"):
        if candidate.is_symlink() or not candidate.is_file():
            continue
        if _still_being_written(candidate):
            continue
        found.append(candidate)
    return sorted(found)


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters taken literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _still_being_written(candidate: Path) -> bool:
    try:
        age = time.time() - candidate.stat().st_mtime
    except OSError:
        return True
    if fcntl is None:
        return age < STALE_AFTER_SECONDS
    if age < FRESH_SECONDS:
        return True
    try:
        handle = os.open(candidate, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True  # another save holds it
    finally:
        os.close(handle)  # also releases the lock just taken
    return False


def remove_leftovers(path: Path | str) -> list[Path]:
    """Remove what :func:`leftovers` finds for ``path``; return what was removed."""
    removed = []
    for candidate in leftovers(path):
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed


def plan_schema() -> dict:
    """The JSON Schema of a plan file, generated from :class:`ActionPlan`."""
    schema = ActionPlan.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"consortia-action-plan-v{PLAN_SCHEMA_VERSION}",
        **schema,
    }
