"""Action plans on disk: load, save (atomically), start from a case, and the JSON Schema.

A plan is a JSON file a participant builds with the planner widget, the command
line or code. Saving writes a temporary file beside the target and renames it over
the old one, so a crash or a full disk mid-save never leaves a half-written plan:
the previous version stays intact. Loading refuses anything that is not a plan with
a :class:`PlanFileError` whose message says what is wrong and what to do.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from consortia.datafiles import problems_from_validation
from consortia.models import PLAN_SCHEMA_VERSION, ActionPlan, Activity, Members

#: A real plan is a few kilobytes; a file far bigger than this is not a plan.
MAX_PLAN_BYTES = 1_000_000


class PlanFileError(ValueError):
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
            "a plan file is written by the planner or 'consortia plan new'"
        ) from None
    except RecursionError:
        raise PlanFileError(path, "is nested far too deeply to be a plan") from None
    if not isinstance(data, dict):
        raise PlanFileError(
            path, f"holds a JSON {type(data).__name__}, not a plan (a plan is a JSON "
            "object with 'consortium', 'activities', 'indicators' ...)"
        )
    version = data.get("schema_version", PLAN_SCHEMA_VERSION)
    if version != PLAN_SCHEMA_VERSION:
        raise PlanFileError(
            path, f"has schema_version {version!r}; this kit reads version "
            f"{PLAN_SCHEMA_VERSION}. Update the kit or re-create the plan."
        )
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


def plan_to_json(plan: ActionPlan) -> str:
    """The plan as the JSON text that :func:`save_plan` writes."""
    return plan.model_dump_json(indent=2) + "\n"


def save_plan(plan: ActionPlan, path: Path | str) -> Path:
    """Write ``plan`` to ``path`` atomically and return the path.

    The JSON is written to a temporary file in the same folder, flushed to disk,
    then renamed over ``path`` in one step. If anything fails on the way, the old
    file is untouched and the temporary file is removed.
    """
    path = Path(path)
    if not isinstance(plan, ActionPlan):
        raise TypeError(f"save_plan needs an ActionPlan, not {type(plan).__name__}")
    text = plan_to_json(plan)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the mode a plain new file would
        # get, or keep the old file's, so a grader or a shared hub can still read it
        os.fchmod(handle, _file_mode(path))
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
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


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def plan_schema() -> dict:
    """The JSON Schema of a plan file, generated from :class:`ActionPlan`."""
    schema = ActionPlan.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"consortia-action-plan-v{PLAN_SCHEMA_VERSION}",
        **schema,
    }


def new_plan(case_slug: str | None = None, consortium: str | None = None,
             product: str | None = None) -> ActionPlan:
    """A new plan, pre-filled from a case study when ``case_slug`` is given.

    The plan carries the case's country, its product (the first one, or the one
    named by ``product`` for cases with several) and territory, a six-month
    review cadence (SELA 2014 §21) and one starter activity for each of phases III,
    IV and V, laid over the first six months as the 2014 work programme expects
    (§8). Owners and indicators are left empty for the team to fill in: the
    validator lists what is still missing.
    """
    from consortia import methodology

    fields: dict = {"consortium": consortium or "Our consortium"}
    if case_slug:
        from consortia import cases

        case = cases.case(case_slug)
        chosen = case.products[0]
        if product:
            matches = [p for p in case.products if product.casefold() in p.name.casefold()]
            if not matches:
                names = "; ".join(p.name for p in case.products)
                raise ValueError(f"Case {case.slug!r} has no product matching {product!r}. "
                                 f"Its products: {names}.")
            chosen = matches[0]
        fields.update(
            consortium=consortium or f"{case.name} consortium",
            country=case.country,
            product=chosen.name,
            territory=chosen.territory,
            case=case.slug,
        )
    activities = []
    month = 0
    for number in (3, 4, 5):
        phase = methodology.phase(number)
        first = next((a for a in phase.activities if a.source == "SELA 2014 §21"),
                     phase.activities[0])
        activities.append(
            Activity(
                id=f"A{len(activities) + 1}",
                title=first.text[:200],
                phase=number,
                start_month=month,
                duration_months=phase.duration_months,
            )
        )
        month += phase.duration_months
    return ActionPlan(
        **fields,
        members=Members(kinds=["producers"]),
        activities=activities,
        review_every_months=6,
        horizon_months=24,
    )
