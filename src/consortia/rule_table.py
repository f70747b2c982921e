"""The plan checker's rulebook as one table to read: what each rule asks, how serious, and why.

The rules of the plan validator (:mod:`consortia.rules`) live in
``data/plan_rules.yaml``, one entry per rule with its code, severity, title,
source, explanation and suggestion. :func:`rule_table` lays them out as a pandas
DataFrame, most serious first, so that a lesson or a trainer can walk through the
rulebook in one short call::

    from consortia.rule_table import rule_table
    from consortia.tables import show

    show(rule_table())

Each row also carries the plain-English label the planner widget shows for the
severity ("Must fix", "Should fix", "Worth improving"), so the words in the table
match the words participants see in the planner. With ``plan=`` the table adds how
many findings each rule gives for that plan: the rulebook read as a checklist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consortia import rules

if TYPE_CHECKING:
    import pandas as pd

    from consortia.models import ActionPlan

#: What the planner calls each severity (defined once, in :mod:`consortia.rules`).
SEVERITY_LABELS = rules.SEVERITY_LABELS

#: Columns of :func:`rule_table`, in order; ``details=True`` adds :data:`DETAIL_COLUMNS`.
COLUMNS = ["code", "severity", "label", "title", "source"]
DETAIL_COLUMNS = ["explanation", "suggestion"]


def rule_table(details: bool = False, plan: ActionPlan | None = None) -> pd.DataFrame:
    """Every rule of the plan checker, one row each: errors first, then warnings, then advice.

    Within a severity the rules keep the order of ``data/plan_rules.yaml``.
    Columns: ``code`` (the stable name findings and grading use), ``severity``,
    ``label`` (the planner's word for the severity), ``title`` (what the rule asks,
    in one line) and ``source`` (a SELA 2014 paragraph, the methodology, or "kit's
    own"). ``details=True`` adds ``explanation`` (why the rule exists) and
    ``suggestion`` (what to do when it fires). With a ``plan``, a last column
    ``findings`` counts the findings that rule gives for it (0 means it passes).
    """
    import pandas as pd

    book = sorted(rules.rulebook().values(),
                  key=lambda rule: rules.SEVERITY_ORDER[rule.severity])
    rows = [
        {"code": rule.code, "severity": rule.severity,
         "label": SEVERITY_LABELS[rule.severity], "title": rule.title,
         "source": rule.source, "explanation": rule.explanation,
         "suggestion": rule.suggestion}
        for rule in book
    ]
    columns = COLUMNS + (DETAIL_COLUMNS if details else [])
    frame = pd.DataFrame(rows, columns=COLUMNS + DETAIL_COLUMNS)[columns]
    if plan is not None:
        found = [finding.code for finding in rules.check_plan(plan)]
        frame["findings"] = [found.count(code) for code in frame["code"]]
    return frame.reset_index(drop=True)


def severity_counts() -> dict[str, int]:
    """How many rules the checker has of each severity, e.g. ``{"error": 9, ...}``."""
    counts = dict.fromkeys(rules.SEVERITY_ORDER, 0)
    for rule in rules.rulebook().values():
        counts[rule.severity] += 1
    return counts
