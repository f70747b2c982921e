"""Notebook widgets of the kit (ipywidgets only): the phase planner, later readiness and quiz.

Widgets are imported lazily, so ``import consortia.widgets`` stays cheap and a
notebook that never shows a widget never loads ipywidgets or matplotlib::

    from consortia.widgets import PhasePlanner
    PhasePlanner("plan.json", case="belize")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consortia.widgets.planner import PhasePlanner

__all__ = ["PhasePlanner"]


def __getattr__(name: str):
    if name == "PhasePlanner":
        from consortia.widgets.planner import PhasePlanner

        return PhasePlanner
    raise AttributeError(f"module 'consortia.widgets' has no attribute {name!r}")
