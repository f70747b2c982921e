"""Tests of consortia.course.reading: how much a lesson asks a learner to read, and how easily.

The figures per lesson are held against the course's two limits (at most 60 words of
core text per teaching minute; Flesch reading ease of the core prose at least 60), and
the rules of what counts as core prose are pinned on small examples.
"""

from __future__ import annotations

import pytest

from consortia.course import cells, outline, reading

LESSONS = [item for item in outline.lessons() if item.id != "00"]


def _nb(*cells_):
    return {"cells": list(cells_)}


def _md(text, *tags):
    return {"cell_type": "markdown", "metadata": {"tags": list(tags)}, "source": text}


@pytest.fixture(scope="module")
def figures():
    return {f.lesson: f for f in reading.course_reading()}


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_core_text_fits_the_teaching_minutes(figures, item):
    f = figures[item.id]
    assert f.teaching_minutes == item.teaching_minutes
    assert f.words_per_minute <= reading.MAX_WORDS_PER_MINUTE, f.problems()


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_core_prose_is_plain_english(figures, item):
    assert figures[item.id].flesch >= reading.MIN_FLESCH, figures[item.id].problems()


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_depth_is_kept_in_going_further_cells(figures, item):
    """Shortening the core moved depth into folded cells; it did not delete it."""
    f = figures[item.id]
    assert f.more_cells >= 1 and f.more_words > 0


def test_only_core_cells_count_against_the_limits():
    nb = _nb(_md("One two three four."), _md("Five six seven.", "more"),
             _md("Eight nine.", "trainer"),
             {"cell_type": "code", "metadata": {}, "source": "print('ten eleven')"})
    f = reading.notebook_reading(nb, "01", "Test", teaching_minutes=5)
    assert (f.core_words, f.more_words, f.trainer_words, f.more_cells) == (4, 3, 2, 1)
    assert f.words_per_minute == pytest.approx(0.8)


def test_every_visible_word_counts_but_markup_does_not():
    text = ("## A heading\n\n| Col | Other |\n|---|---|\n| **one** | [two](https://x.org) |\n\n"
            "Run `show(x)` now.\n\n<details><summary>Going</summary>\n\n- item\n\n</details>")
    assert reading.word_count(text) == 11  # A heading Col Other one two Run show(x) now Going item


def test_prose_leaves_out_headings_tables_and_code_and_ends_every_item():
    text = ("# Title\n\nA first sentence, then more\nthat runs on.\n\n- a list item\n- another;\n\n"
            "| a | table |\n|---|---|\n\n```python\nx = 1\n```\n\n> A quote with `code`")
    assert reading.prose(text) == ("A first sentence, then more that runs on. a list item. "
                                   "another;. A quote with.")


def test_decimals_and_e_g_do_not_end_a_sentence():
    assert reading.prose("A fund of US$ 1.38 million, e.g. for tools.") == (
        "A fund of US$ 138 million, eg for tools.")


def test_plain_words_score_higher_than_long_ones():
    plain = reading.flesch("The group sells bread. It is made in one town. Buyers like it.")
    dense = reading.flesch("Institutional consolidation necessitates comprehensive "
                           "intergovernmental coordination mechanisms, particularly "
                           "regarding internationalisation methodologies.")
    assert plain > reading.MIN_FLESCH > dense


def test_problems_say_what_to_move_and_what_to_simplify():
    f = reading.LessonReading("07", "T", teaching_minutes=10, core_words=700, more_words=0,
                              trainer_words=0, more_cells=0, flesch=52.0)
    found = " ".join(f.problems())
    assert "move 100 words or more into cells tagged 'more'" in found
    assert "Flesch reading ease 52.0" in found
    ok = reading.LessonReading("07", "T", 10, 600, 0, 0, 0, 60.0)
    assert ok.problems() == []


def test_reading_table_has_one_row_per_lesson(figures):
    frame = reading.reading_table(list(figures.values()))
    assert list(frame["lesson"]) == [item.id for item in LESSONS]
    assert {"core words", "words a minute", "Flesch"} <= set(frame.columns)


def test_folded_cells_open_with_going_further():
    text = cells.folded("Some *detail* (§21).", "the group work")
    assert text.startswith("<details><summary><b>Going further</b>: the group work</summary>")
    assert cells.is_folded(text) and not cells.is_folded("Some detail.")
    assert reading.word_count(text) == 8  # Going further: the group work Some detail (§21)
