"""Notebook widgets of the kit (ipywidgets only): planner, readiness, self-checks, rubric,
and the marking page (:mod:`consortia.widgets.marking`).

Belongs here: views only. A widget lays out controls, turns what a person does into
calls of the layer below (the planner calls :mod:`consortia.plans.session` and
:mod:`consortia.plans.rules`; the readiness widget :mod:`consortia.content.readiness`;
the quiz :mod:`consortia.course.self_checks`; the rubric form
:mod:`consortia.grading.rubric`; the marking page :mod:`consortia.grading.marking`)
and shows what comes back. No widget reads or writes a file itself. May import every
other part of the package; nothing but notebooks, apps and the command line imports
widgets.

Widgets are imported lazily, so ``import consortia.widgets`` stays cheap and a
notebook that never shows a widget never loads ipywidgets or matplotlib::

    from consortia.widgets import PhasePlanner, ProductReadiness, self_check
    PhasePlanner("plan.json", case="belize")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consortia.widgets.planner import PhasePlanner
    from consortia.widgets.quiz import self_check
    from consortia.widgets.readiness import ProductReadiness
    from consortia.widgets.rubric import RubricGrader

_WHERE = {
    "PhasePlanner": "consortia.widgets.planner",
    "ProductReadiness": "consortia.widgets.readiness",
    "RubricGrader": "consortia.widgets.rubric",
    "self_check": "consortia.widgets.quiz",
}
__all__ = ["PhasePlanner", "ProductReadiness", "RubricGrader", "self_check"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'consortia.widgets' has no attribute {name!r}")
