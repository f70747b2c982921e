"""Plain prose in lessons written since the prose rules were set (lesson 10 onwards).

The core prose of a lesson (markdown a learner reads, without the cells tagged
``trainer`` or ``more``) stays at most about 60 words per teaching minute and plain:
a Flesch reading ease of 60 or more. The Flesch formula is the usual one (206.835 -
1.015 words per sentence - 84.6 syllables per word); syllables are counted with the
common vowel-group rule, a list item or table row counts as a sentence, and code,
links and markup are left out. Depth goes into cells tagged ``more``.
"""

from __future__ import annotations

import json
import re

import pytest

from consortia.course import outline

#: Lessons written under these rules (earlier lessons predate them).
PLAIN_FROM = "10"
WORDS_PER_MINUTE = 60
MIN_FLESCH = 60

LESSONS = [item for item in outline.lessons() if item.id >= PLAIN_FROM]


def core_prose(item) -> str:
    cells = json.loads((outline.course_dir() / item.file).read_text(encoding="utf-8"))["cells"]
    texts = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
             and not {"trainer", "more"} & set(c["metadata"].get("tags", []))]
    return "\n".join(texts)


def _clean(text: str) -> str:
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*(?:[-*>]|\d+\.)\s*", "", text, flags=re.M)
    text = re.sub(r"[*_#|]", " ", text)
    return text


def syllables(word: str) -> int:
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch(text: str) -> float:
    lines = [line for line in _clean(text).splitlines() if line.strip()]
    sentences = sum(max(len(re.findall(r"[.!?:;](?:\s|$)", line)), 1) for line in lines)
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", " ".join(lines))
    return (206.835 - 1.015 * len(words) / sentences
            - 84.6 * sum(syllables(w) for w in words) / len(words))


def test_the_flesch_score_tells_plain_from_dense_text():
    assert flesch("The cat sat on the mat. It was warm.") > 90
    assert flesch("Institutional considerations regarding organisational sustainability "
                  "necessitate comprehensive evaluation methodologies.") < 0


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_core_prose_fits_the_teaching_minutes(item):
    words = len(core_prose(item).split())
    assert words <= WORDS_PER_MINUTE * item.teaching_minutes, f"{item.file}: {words} words"


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_core_prose_is_plain(item):
    score = flesch(core_prose(item))
    assert score >= MIN_FLESCH, f"{item.file}: Flesch reading ease {score:.1f}"


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_depth_sits_in_cells_tagged_more(item):
    cells = json.loads((outline.course_dir() / item.file).read_text(encoding="utf-8"))["cells"]
    more = [c for c in cells if "more" in c["metadata"].get("tags", [])]
    assert more and all(c["cell_type"] == "markdown" for c in more)
    assert all("".join(c["source"]).startswith("**More") for c in more)


def test_lesson_10_says_its_practice_data_is_invented():
    text = core_prose(outline.lesson("10"))
    assert "invented" in text.lower() and "not what they did next" in text
