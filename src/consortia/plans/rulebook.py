"""The plan checker's rulebook: each rule's severity, wording and source, as data.

The rules of the plan validator live in ``data/plan_rules.yaml``, one entry per rule
with its code, severity, title, source, explanation and suggestion, so a trainer can
read them without code. This module validates that file (:func:`rulebook`), fills in
the work programme's values in its texts, and names the severities the way
participants read them (:data:`SEVERITY_LABELS`). What each rule looks for, and the
rulebook laid out as a table for a lesson (``rule_table``), are in
:mod:`consortia.plans.rules`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from consortia._paths import DATA_DIR
from consortia.datafiles import DataFileError, Problem, load_yaml_model
from consortia.sources import KitModel, NonEmpty, PhaseNumber, Source, require_unique

Severity = Literal["error", "warning", "advice"]

#: The order findings are listed in: the most serious first.
SEVERITY_ORDER = {"error": 0, "warning": 1, "advice": 2}
#: What a participant reads for each severity (the planner, the rule table, pages).
SEVERITY_LABELS = {"error": "Must fix", "warning": "Should fix", "advice": "Worth improving"}

#: The rulebook shipped with the kit.
DATA_PATH = DATA_DIR / "plan_rules.yaml"


class Rule(KitModel):
    """One rule of the plan validator, documented with its source (``data/plan_rules.yaml``)."""

    code: Annotated[str, Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")]
    severity: Severity
    title: NonEmpty
    source: Source
    explanation: NonEmpty
    suggestion: NonEmpty


class RuleParameters(KitModel):
    """The phases and the budget some rules single out (``parameters`` in the rulebook)."""

    legal_phase: PhaseNumber
    mark_phase: PhaseNumber
    #: Above this, an activity's budget is taken for a typing slip (rule budget-implausible).
    plausible_budget_usd: Annotated[int, Field(gt=0)]

    @model_validator(mode="after")
    def _legal_before_mark(self) -> RuleParameters:
        if self.legal_phase >= self.mark_phase:
            raise ValueError("the legal constitution (legal_phase) comes before the "
                             "collective mark (mark_phase)")
        return self


class RuleBook(KitModel):
    """The content of ``data/plan_rules.yaml``."""

    parameters: RuleParameters
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> RuleBook:
        require_unique([r.code for r in self.rules], "rule codes")
        return self


#: The texts of a rule that may name the work programme through ``{placeholders}``.
TEXT_FIELDS = ("title", "explanation", "suggestion")


def load_rulebook(path: Path | str = DATA_PATH) -> RuleBook:
    """Load a rulebook and fill in the work programme's values in its texts.

    The texts may also name the progress settings (``data/progress.yaml``):
    ``{on_track_pct}``, ``{at_risk_pct}`` and ``{review_grace_days}``, and the
    rulebook's own ``{plausible_budget_usd}`` (written as ``1,000,000``).

    A text that names an unknown ``{placeholder}`` (or has a stray brace) raises
    :class:`~consortia.datafiles.DataFileError` naming the rule and the field.
    """
    from consortia.content.programme import work_programme
    from consortia.plans.progress import settings

    path = Path(path)
    book = load_yaml_model(path, RuleBook)
    values = {**work_programme().placeholders(), **settings().placeholders(),
              "plausible_budget_usd": f"{book.parameters.plausible_budget_usd:,}"}
    problems, rules = [], []
    for index, rule in enumerate(book.rules):
        changes = {}
        for name in TEXT_FIELDS:
            text = getattr(rule, name)
            try:
                changes[name] = text.format(**values)
            except (KeyError, IndexError, ValueError) as exc:
                known = ", ".join("{" + key + "}" for key in values)
                problems.append(Problem(path, f"rules.{index}.{name}", (
                    f"names {exc} which is not a value of the work programme; use one of "
                    f"{known} (write a brace itself as {{{{ or }}}})")))
        rules.append(rule.model_copy(update=changes))
    if problems:
        raise DataFileError(problems)
    return book.model_copy(update={"rules": rules})


@cache
def _book() -> RuleBook:
    return load_rulebook(DATA_PATH)


def rulebook() -> dict[str, Rule]:
    """The documented rules by code, from ``data/plan_rules.yaml`` (read once)."""
    return {rule.code: rule for rule in _book().rules}


def parameters() -> RuleParameters:
    """What the rules single out: the legal and mark phases, the plausible budget."""
    return _book().parameters
