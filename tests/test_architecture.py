"""The package's layers: lower layers never import higher ones, and each says what it holds.

From the ground up: the ground modules (citations, the YAML loader, errors, display,
figure and page plumbing), then ``content``, then ``plans`` and ``course`` side by
side, then ``monitoring`` (across plans) and ``grading``, then ``widgets``, and the
command line on top. Imports made
inside functions count too: they are dependencies all the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "consortia"

#: What each room of the package may import (besides itself).
ALLOWED = {
    "ground": {"ground"},
    "content": {"ground"},
    "plans": {"ground", "content"},
    "course": {"ground", "content"},
    "monitoring": {"ground", "content", "plans"},
    "grading": {"ground", "content", "plans"},
    "widgets": {"ground", "content", "plans", "course", "monitoring", "grading"},
    "top": {"ground", "content", "plans", "course", "monitoring", "grading", "widgets"},
}
SUBPACKAGES = ("content", "plans", "course", "monitoring", "grading", "widgets")
TOP = {"cli", "catalog"}
#: The finder of earlier import paths names modules of every room on purpose.
EXEMPT = {"_legacy"}


def room(dotted: str) -> str:
    """The room of a module ``consortia.x.y``."""
    parts = dotted.split(".")
    if len(parts) > 1 and parts[1] in SUBPACKAGES:
        return parts[1]
    if len(parts) > 1 and parts[1] in TOP:
        return "top"
    return "ground"


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every consortia module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("consortia")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("consortia"):
            for alias in node.names:  # "from consortia.content import cases" names a module
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py")
                is_package = PACKAGE.parent / Path(*candidate.split(".")) / "__init__.py"
                found.add(candidate if is_module.exists() or is_package.exists()
                          else node.module)
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_case_data" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_higher_room(path):
    name = module_name(path)
    if name.split(".")[-1] in EXEMPT:
        return
    mine = room(name)
    upward = sorted(m for m in imported_modules(path)
                    if room(m) != mine and room(m) not in ALLOWED[mine] and m != "consortia")
    assert not upward, f"{name} ({mine}) imports {upward}"


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_each_subpackage_says_what_belongs_there_and_what_it_may_import(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
    assert doc and "Belongs here" in doc and "May import" in doc, package


def test_every_module_says_what_it_is_for():
    missing = [module_name(p) for p in MODULES
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


def test_the_top_of_the_package_holds_only_the_ground():
    flat = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert flat == ["_legacy", "_paths", "catalog", "cli", "datafiles", "display", "errors",
                    "figures", "pages", "sources", "storage"]
