"""Import paths of earlier versions of the kit, kept working for notebooks already handed out.

Released exercises and participants' own notebooks import modules by the names the
kit's flat layout had (``consortia.models``, ``consortia.plan``, ``consortia.cases``,
``consortia.readiness``, ``consortia.charts``...). The package is now grouped by
domain; this finder answers those old names so that such a notebook still runs. An
old name that moved whole is the new module itself (``consortia.cases`` *is*
``consortia.content.cases``); an old module that was split (``consortia.models``,
``consortia.plan``, ``consortia.charts``) is rebuilt from the public names of the
modules its parts went to. New code and the kit's own notebooks use the new paths;
``tests/test_legacy_imports.py`` pins the old ones.

Written by hand rather than as a file per old name, so that the package's folders
show only where things live now.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

#: Old module -> the modules that now hold what it offered (in that order).
ALIASES: dict[str, tuple[str, ...]] = {
    "consortia.models": ("consortia.sources", "consortia.content.models",
                         "consortia.course.models", "consortia.plans.rulebook",
                         "consortia.plans.model"),
    "consortia.plan": ("consortia.plans.files", "consortia.plans.starter"),
    "consortia.rules": ("consortia.plans.rulebook", "consortia.plans.rules"),
    "consortia.charts": ("consortia.figures", "consortia.plans.timeline",
                         "consortia.content.phase_overview"),
    "consortia.methodology": ("consortia.content.methodology",),
    "consortia.cases": ("consortia.content.cases",),
    "consortia.fact_tables": ("consortia.content.facts",),
    "consortia.case_views": ("consortia.content.case_views",),
    "consortia.themes": ("consortia.content.themes",),
    "consortia.comparison": ("consortia.content.comparison",),
    "consortia.readiness": ("consortia.content.readiness",),
    "consortia.readiness_compare": ("consortia.content.readiness_compare",),
    "consortia.phase_overview": ("consortia.content.phase_overview",),
    "consortia.tables": ("consortia.display",),
    "consortia.indicators": ("consortia.plans.monitoring",),
    "consortia.rule_table": ("consortia.plans.rulebook", "consortia.plans.rules"),
    "consortia.plan_page": ("consortia.plans.page",),
    "consortia.plan_preview": ("consortia.plans.page",),
    "consortia.planner_app": ("consortia.plans.app",),
    "consortia.self_checks": ("consortia.course.self_checks",),
    "consortia.site": ("consortia.course.site",),
}


class LegacyFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds and loads the old module names of :data:`ALIASES`."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in ALIASES:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        sources = [importlib.import_module(name) for name in ALIASES[spec.name]]
        if len(sources) == 1:
            return sources[0]  # moved whole: the old name is the new module
        merged = types.ModuleType(spec.name, f"Earlier name of the kit; its contents now live in "
                                             f"{', '.join(ALIASES[spec.name])}.")
        for module in sources:
            for name, value in vars(module).items():
                if not name.startswith("_") and name != "annotations":
                    setattr(merged, name, value)
        return merged

    def exec_module(self, module) -> None:
        return None  # everything was done in create_module


def install() -> None:
    """Put the finder on Python's import path (once)."""
    if not any(isinstance(finder, LegacyFinder) for finder in sys.meta_path):
        sys.meta_path.append(LegacyFinder())
