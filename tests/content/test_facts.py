"""Tests of consortia.content.facts: a case's facts written out for display."""

from __future__ import annotations

import pytest

from consortia.content.facts import COLUMNS, fact_table, figure_text
from consortia.content.models import Fact


def _fact(value, unit="farmers", qualifier=None) -> Fact:
    return Fact(what="x", value=value, unit=unit, qualifier=qualifier, source="SELA 2014 §13")


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (2006, "year", None, "2006"),
        (2006.0, "year", None, "2006"),
        (9000, "breads per week", "average", "9,000 on average"),
        (800, "farmers", "over", "over 800"),
        (266000, "people", "about", "about 266,000"),
        (1.38, "US$ million", None, "1.38"),
        (18, "%", None, "18"),
        (40, "producers", "up to", "up to 40"),
    ],
)
def test_figure_text_reads_like_the_source(value, unit, qualifier, expected):
    assert figure_text(_fact(value, unit, qualifier)) == expected


def test_fact_table_of_a_case_with_facts(valid_case, write_case):
    valid_case["facts"].append({"what": "year the association began", "value": 1999,
                                "unit": "year", "year": 2014, "source": "SELA 2014 §13"})
    folder = write_case(valid_case)
    table = fact_table("test-case", folder)
    assert list(table.columns) == COLUMNS
    assert table["figure"].tolist() == ["over 800", "1999"]
    assert table["year"].tolist() == ["", "2014"]
    assert table["source"].tolist() == ["SELA 2014 §13", "SELA 2014 §13"]


def test_fact_table_of_a_case_without_facts(valid_case, write_case):
    valid_case["facts"] = []
    folder = write_case(valid_case)
    table = fact_table("test-case", folder)
    assert table.empty and list(table.columns) == COLUMNS


def test_unknown_case_lists_the_valid_ones(valid_case, write_case):
    folder = write_case(valid_case)
    with pytest.raises(ValueError, match="test-case"):
        fact_table("nowhere", folder)


def test_the_shipped_cases_show_years_without_separators():
    table = fact_table("chulucanas-ceramics")
    years = table.loc[table["unit"] == "year", "figure"].tolist()
    assert years == ["2006", "2008"]
