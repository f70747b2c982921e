"""Checks on every notebook of the kit that hold without running them.

Running them is done by nbval (``--nbval-lax`` in pyproject.toml), which collects
every notebook under ``course/`` and ``case_studies/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p
    for folder in ("course", "case_studies", "exercises", "solutions")
    for p in (REPO / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


def test_start_here_exists():
    assert REPO / "course" / "00_start_here.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"cell {index} of {path.name} has outputs"
        assert cell.get("execution_count") is None, f"cell {index} of {path.name} was run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_uses_the_standard_python_kernel(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_code_cells_stay_short(path):
    """Logic belongs in the package; a notebook cell calls it in a few lines."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            lines = "".join(cell["source"]).strip().splitlines()
            assert len(lines) <= 15, f"cell {index} of {path.name} has {len(lines)} lines"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_valid_nbformat_with_unique_cell_ids(path):
    import warnings

    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a duplicate cell id is only a warning in nbformat
        nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
