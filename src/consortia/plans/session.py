"""Editing one plan file: open it (or recover), change it with undo, save after every change.

A :class:`PlanSession` is what the planner widget, the no-code planner page and any
later front end drive. It holds no widget: each edit is a function from the current
plan to a new one (built with the model's ``with_*`` methods, so pydantic validates
it), and the session answers with a :class:`Change` that says in plain words what
happened. Three promises to the participant live here:

* **Nothing typed is lost.** Every accepted change is saved at once, atomically
  (:func:`consortia.plans.files.save_plan`). A plan file that cannot be read is
  never overwritten: the session says what is wrong and works on a sibling file
  (``plan.recovered.json``). If the file was changed by something else meanwhile,
  that version is kept aside before the session saves over it.
* **A mistake never breaks the plan.** If the model refuses an edit (an empty
  title, a negative budget) the change names the field and why, and the plan stays
  as it was. :meth:`PlanSession.undo` steps back through earlier versions and says
  which change it took back ("Undid: removed activity A3 “Trade fair”").
* **Plain English.** Messages name fields as the planner labels them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from consortia.datafiles import plain_message
from consortia.plans.files import PlanFileError, load_plan, plan_to_json, save_plan
from consortia.plans.model import ActionPlan
from consortia.plans.starter import new_plan

#: How many earlier versions Undo can go back to.
UNDO_LEVELS = 200

#: Plain-English names of model fields, used in messages about refused input.
FIELD_LABELS = {
    "consortium": "Consortium name",
    "country": "Country",
    "product": "Product",
    "territory": "Territory",
    "case": "Case",
    "count": "Number of members",
    "kinds": "Kinds of members",
    "objectives": "Objectives",
    "review_every_months": "Review cadence",
    "horizon_months": "Plan length (months)",
    "activities": "List of activities",
    "milestones": "List of milestones",
    "id": "Id",
    "title": "Title",
    "phase": "Phase",
    "start_month": "Start month",
    "duration_months": "Duration",
    "owner": "Owner",
    "budget_usd": "Budget",
    "justification": "Justification",
    "name": "Name",
    "kind": "Kind",
    "unit": "Unit",
    "baseline": "Baseline",
    "target": "Target",
    "month": "Month",
    "start_date": "Plan started on",
    "actual": "Actual",
    "actual_text": "Actual",
    "assessment": "Your reading",
    "comment": "Comment",
    "where": "Evidence",
    "reported_by": "Reported by",
    "reported_on": "Reported on",
    "status": "Status",
    "reason": "Reason sent back",
    "held_on": "Review held on",
    "decisions": "What it decided",
    "sent_on": "Report sent on",
    "note": "Note",
    "reached_on": "Held on",
}


def describe_validation_error(error: ValidationError, subject: str = "") -> str:
    """A short sentence naming each refused field, e.g. ``Title of the activity cannot be empty``.

    ``subject`` ("activity", "indicator", "milestone") is added after the field name
    when the error is about one item rather than the whole plan.
    """
    parts = []
    for item in error.errors():
        names = [part for part in item["loc"] if isinstance(part, str)]
        field = names[-1] if names else ""
        label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize() or "A value")
        if subject:
            label = f"{label} of the {subject}"
        parts.append(f"{label} {plain_message(item)}")
    return "; ".join(dict.fromkeys(parts))


def _sentence(exc: Exception) -> str:
    """The text of an exception as a sentence (KeyError quotes its message; undo that)."""
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return text if text.endswith(".") else text + "."


@dataclass(frozen=True)
class Change:
    """What an edit, an undo or the opening of the file did, in words for the person."""

    ok: bool
    message: str
    changed: bool = False  # the plan is now another one (redraw what shows it)


@dataclass(frozen=True)
class Recovery:
    """Why the requested file could not be used, and which file the session works on."""

    original: Path
    reason: str
    working_on: Path
    continued: bool  # True: an earlier recovery file was picked up again


class PlanSession:
    """One plan file being edited: ``PlanSession("plan.json", case="belize")``.

    Opens the file if it exists, or starts a new plan (from the case, if given) and
    saves it at once. Attributes: ``plan`` (the current plan), ``path`` (the file
    being saved to), ``requested_path``, ``recovery`` (a :class:`Recovery` when the
    requested file could not be opened, else ``None``), ``history`` (earlier plans,
    for Undo), ``undo_labels`` (what each step of ``history`` undoes, in the same
    order) and ``opened`` (the :class:`Change` that opening made).
    """

    def __init__(self, path: str | Path, case: str | None = None):
        self.requested_path = Path(path)
        self.path = self.requested_path
        self.case = case
        self.history: list[ActionPlan] = []
        self.undo_labels: list[str] = []
        self.recovery: Recovery | None = None
        self._merge_key: str | None = None
        self._written: bytes | None = None
        self.plan: ActionPlan
        self.opened = self._open()

    # -- opening ---------------------------------------------------------------------------

    def _open(self) -> Change:
        """Load the plan file, start a new one, or recover from a broken one."""
        path = self.requested_path
        if not path.exists() and not path.is_symlink():
            self.plan = new_plan(self.case)
            origin = f" from the case {self.case!r}" if self.case else ""
            error = self.save()
            if error:
                return Change(False, error)
            return Change(True, f"Started a new plan{origin} and saved it to {path.name}.")
        try:
            self.plan = load_plan(path)
        except PlanFileError as exc:
            return self._recover(exc)
        self._written = path.read_bytes()
        note = ""
        if self.case and self.plan.case != self.case:
            note = (f" (the case {self.case!r} was not used: the file already holds a plan; "
                    "use another file name to start a new one)")
        indicators = len(self.plan.indicators)
        return Change(True, f"Opened {path.name}: {_count(len(self.plan.activities), 'activity')}"
                            f", {_count(indicators, 'indicator')}{note}.")

    def _recover(self, exc: PlanFileError) -> Change:
        """Leave the broken file alone and work on a sibling file instead."""
        original = self.requested_path
        stem = original.stem if original.suffix else original.name
        continued = False
        for n in range(1, 100):
            suffix = ".recovered" if n == 1 else f".recovered-{n}"
            candidate = original.with_name(f"{stem}{suffix}.json")
            if not candidate.exists():
                self.plan = new_plan(self.case)
                break
            try:
                self.plan = load_plan(candidate)
            except PlanFileError:
                continue  # also broken: never overwrite it either
            self._written = candidate.read_bytes()
            continued = True
            break
        else:  # pragma: no cover - a hundred broken recovery files
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            candidate = original.with_name(f"{stem}.recovered-{stamp}.json")
            self.plan = new_plan(self.case)
        self.path = candidate
        self.recovery = Recovery(original, exc.reason, candidate, continued)
        error = None if continued else self.save()
        if error:
            return Change(False, error)
        return Change(False, f"Could not open {original.name} (left untouched); working on "
                             f"{candidate.name}.")

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> str | None:
        """Save the plan atomically; return an error message, or a note, or None.

        If the file on disk is no longer what this session last wrote (another planner,
        the command line or an editor changed it), that version is first copied aside
        and the returned note says where. A message starting with ``NOT saved`` means
        the plan could not be written; the session keeps it and saves at the next change.
        """
        note = ""
        try:
            if self._written is not None:
                try:
                    on_disk = self.path.read_bytes()
                except FileNotFoundError:
                    on_disk = None
                if on_disk is not None and on_disk != self._written:
                    kept = self._keep_aside(on_disk)
                    note = (f" {self.path.name} had been changed outside this planner; that "
                            f"version is kept as {kept.name}.")
            data = plan_to_json(self.plan).encode("utf-8")
            save_plan(self.plan, self.path)
        except OSError as exc:
            return (f"NOT saved to {self.path}: {exc.strerror or exc}. Your changes are kept "
                    "in this session; make room or ask your trainer, then make any change "
                    "to save again.")
        self._written = data
        return note or None

    def _keep_aside(self, data: bytes) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        stem = self.path.stem
        for n in range(1, 1000):
            extra = "" if n == 1 else f"-{n}"
            aside = self.path.with_name(f"{stem}.changed-elsewhere-{stamp}{extra}.json")
            try:
                with open(aside, "xb") as stream:
                    stream.write(data)
                return aside
            except FileExistsError:
                continue
        raise OSError(f"could not find a free name to keep {self.path.name} aside")

    # -- editing ------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def apply(self, what: str, make: Callable[[ActionPlan], ActionPlan], *,
              subject: str = "", merge_key: str | None = None,
              undo_label: str | None = None) -> Change:
        """Apply one edit: build a new plan with ``make``, then save and record it for Undo.

        If the model refuses the new plan, the change says which field and why, and
        the plan stays as it was. Edits with the same ``merge_key`` in a row (typing
        in one field) count as one step for Undo. ``what`` describes the edit
        ("Added activity A4") for the message; ``undo_label`` is what Undo will say it
        took back (by default ``what``), for a message such as "Removed activity A3
        (Undo brings it back)" whose hint makes no sense once undone.
        """
        try:
            new = make(self.plan)
        except ValidationError as exc:
            return Change(False, f"Not saved: {describe_validation_error(exc, subject)}. The "
                                 "plan is unchanged.")
        except (KeyError, ValueError) as exc:
            return Change(False, f"Not saved: {_sentence(exc)} The plan is unchanged.")
        if new == self.plan:
            message = "" if merge_key is not None else "Nothing to change: the plan already " \
                                                       "says that."
            return Change(True, message)
        if merge_key is None or merge_key != self._merge_key or not self.history:
            self.history.append(self.plan)
            self.undo_labels.append(undo_label or what)
            del self.history[:-UNDO_LEVELS]
            del self.undo_labels[:-UNDO_LEVELS]
        self._merge_key = merge_key
        self.plan = new
        return self._saved(what)

    def undo(self) -> Change:
        """Go back to the plan as it was before the last change, save that, and say which."""
        if not self.history:
            return Change(True, "Nothing to undo yet.")
        self.plan = self.history.pop()
        label = self.undo_labels.pop()
        self._merge_key = None
        return self._saved(f"Undid: {label[:1].lower()}{label[1:]}")

    def _saved(self, what: str) -> Change:
        problem = self.save()
        if problem and problem.startswith("NOT saved"):
            return Change(False, f"{what}, but {problem}", changed=True)
        when = datetime.now().strftime("%H:%M:%S")
        return Change(True, f"{what}. Saved to {self.path.name} at {when}.{problem or ''}",
                      changed=True)


def _count(n: int, noun: str) -> str:
    """``1 activity``, ``2 activities``, ``0 indicators``."""
    if n == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {plural}"
