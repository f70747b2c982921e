"""Shared test helpers: a valid case document to break in different ways."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

VALID_CASE = {
    "slug": "test-case",
    "name": "Test case",
    "country": "Testland",
    "kind": "caribbean-proposal",
    "summary": "A small case written for the tests.",
    "organisations": [{"name": "Test Growers", "role": "producers", "source": "SELA 2014 §13"}],
    "products": [
        {"name": "cacao", "sector": "agro-food", "territory": "South", "source": "SELA 2014 §13"}
    ],
    "stage": {"phase": 1, "label": "identification", "source": "SELA 2014 §40"},
    "strengths": [{"text": "An old tradition.", "source": "SELA 2014 §13"}],
    "facts": [
        {"what": "farmers in the association", "value": 800, "qualifier": "over",
         "unit": "farmers", "source": "SELA 2014 §13"}
    ],
    "sources": ["SELA 2014 §13", "SELA 2014 §40"],
}


@pytest.fixture
def valid_case() -> dict:
    """A fresh deep copy of a case document that validates."""
    return copy.deepcopy(VALID_CASE)


@pytest.fixture
def write_case(tmp_path):
    """Write a case document (dict or raw text) into a fresh folder; return the folder."""

    def _write(document, name: str = "test-case.yaml") -> Path:
        path = tmp_path / name
        if isinstance(document, str):
            path.write_text(document, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        return tmp_path

    return _write


@pytest.fixture(scope="session")
def graded_cohort(tmp_path_factory):
    """The synthetic 30-submission cohort, graded once per test session.

    Shared by the autograde, feedback and report tests (see grading_fixtures.py).
    """
    from grading_fixtures import grade_cohort_once

    return grade_cohort_once(tmp_path_factory)
