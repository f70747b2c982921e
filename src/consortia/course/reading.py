"""How much a learner has to read in each lesson, and how easy it is to read.

A lesson has three kinds of text cell (:mod:`consortia.course.cells`): **core**
(no tag), **more** ("Going further", folded) and **trainer** notes. Only the core is
what a learner must read in the teaching time, so it is what the limits apply to;
the other two are counted and reported beside it.

Two figures are kept per lesson, against two limits the course holds itself to
(participants often read in a second language, at about 150 words a minute):

* the **reading load**: words of core text per teaching minute (the teaching
  minutes come from ``course/syllabus.yaml``), at most :data:`MAX_WORDS_PER_MINUTE`.
  Every visible word counts: headings, paragraphs, lists and table cells;
* the **Flesch reading ease** of the core *prose*, at least :data:`MIN_FLESCH`,
  computed by ``textstat`` 0.7.4 (the ``test`` extra). Prose means paragraphs, list
  items and quotations; headings and tables are left out because they are not
  sentences. Each paragraph and list item ends a sentence, even without a full stop
  (a list of short items is read as short sentences, not as one long one). A
  decimal point (``1.38``) and the abbreviations "e.g." and "i.e." do not end a
  sentence. Inline code, links' addresses, images and HTML tags are not prose.

:func:`course_reading` gives the figures of every lesson; ``benchmarks/reading.py``
prints them beside those of an earlier version of the course.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from consortia.course.cells import cell_kind, source
from consortia.errors import KitError

__all__ = ["MAX_WORDS_PER_MINUTE", "MIN_FLESCH", "LessonReading", "course_reading",
           "flesch", "lesson_reading", "notebook_reading", "prose", "reading_table",
           "visible_words", "word_count"]

#: The most words of core text a lesson may hold per teaching minute.
MAX_WORDS_PER_MINUTE = 60
#: The lowest Flesch reading ease the core prose of a lesson may have.
MIN_FLESCH = 60.0

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_CODE = re.compile(r"`+([^`]*)`+")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_ABBREVIATIONS = re.compile(r"\b(e)\.(g)\.|\b(i)\.(e)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")


def _inline(text: str, keep_code: bool) -> str:
    """A line without its markdown and HTML markup (code kept or dropped)."""
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub((lambda m: m.group(1)) if keep_code else " ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text.replace("\\", ""))
    return _EMPHASIS.sub("", text)


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """The markdown cut into blocks: ``("heading"|"table"|"prose", text)``."""
    blocks: list[tuple[str, str]] = []
    current: list[str] = []
    in_code = False

    def close() -> None:
        if current:
            blocks.append(("prose", " ".join(current)))
            current.clear()

    for line in markdown.splitlines():
        if _FENCE.match(line):
            close()
            in_code = not in_code
            continue
        if in_code:
            continue
        stripped = line.strip()
        if not stripped:
            close()
        elif _HEADING.match(line):
            close()
            blocks.append(("heading", stripped.lstrip("#").strip()))
        elif stripped.startswith("|"):
            close()
            if not _TABLE_RULE.match(stripped):
                blocks.append(("table", " ".join(stripped.strip("|").split("|"))))
        elif _LIST_ITEM.match(line):
            close()
            current.append(_LIST_ITEM.sub("", line, count=1).strip())
        else:
            current.append(stripped.lstrip(">").strip())
    close()
    return blocks


def visible_words(markdown: str) -> str:
    """Every word a reader sees in a markdown cell, markup removed."""
    return " ".join(_inline(text, keep_code=True) for _, text in _blocks(markdown))


def word_count(markdown: str) -> int:
    """How many words a reader sees in a markdown cell (punctuation alone is no word)."""
    return sum(1 for word in visible_words(markdown).split() if re.search(r"\w", word))


def prose(markdown: str) -> str:
    """The sentences of a markdown cell, ready for a readability formula.

    Paragraphs, list items and quotations only; each of them ends a sentence.
    """
    sentences = []
    for kind, text in _blocks(markdown):
        if kind != "prose":
            continue
        text = " ".join(_inline(text, keep_code=False).split())
        text = _ABBREVIATIONS.sub(lambda m: "".join(g for g in m.groups() if g), text)
        text = _DECIMAL.sub("", text)
        if not re.search(r"\w", text):
            continue
        sentences.append(text if _SENTENCE_END.search(text) else text + ".")
    return " ".join(sentences)


def flesch(text: str) -> float:
    """The Flesch reading ease of ``text`` (English), by textstat 0.7.4."""
    try:
        from textstat.textstat import textstatistics
    except ImportError as err:  # textstat is a test tool, not needed to take the course
        raise KitError("Measuring readability needs textstat: run "
                       "'.venv/bin/pip install -e .[test]' (or 'make test') first.") from err
    stats = textstatistics()
    stats.set_lang("en_US")
    return float(stats.flesch_reading_ease(text)) if text.strip() else 0.0


@dataclass(frozen=True)
class LessonReading:
    """The reading figures of one lesson."""

    lesson: str
    title: str
    teaching_minutes: int
    core_words: int
    more_words: int
    trainer_words: int
    more_cells: int
    flesch: float

    @property
    def words_per_minute(self) -> float:
        """Words of core text per teaching minute."""
        return self.core_words / self.teaching_minutes

    @property
    def max_core_words(self) -> int:
        """The most core words the lesson's teaching time allows."""
        return MAX_WORDS_PER_MINUTE * self.teaching_minutes

    def problems(self) -> list[str]:
        """What breaks the course's reading limits, in words a course author can act on."""
        found = []
        if self.words_per_minute > MAX_WORDS_PER_MINUTE:
            found.append(f"lesson {self.lesson}: {self.core_words} words of core text for "
                         f"{self.teaching_minutes} teaching minutes "
                         f"({self.words_per_minute:.0f} a minute, at most "
                         f"{MAX_WORDS_PER_MINUTE}): move {self.core_words - self.max_core_words}"
                         " words or more into cells tagged 'more'")
        if self.flesch < MIN_FLESCH:
            found.append(f"lesson {self.lesson}: Flesch reading ease {self.flesch:.1f} "
                         f"(at least {MIN_FLESCH:.0f}): use shorter sentences and commoner "
                         "words in the core text")
        return found


def notebook_reading(nb: dict, lesson_id: str, title: str,
                     teaching_minutes: int) -> LessonReading:
    """The figures of one lesson notebook, given as its parsed JSON."""
    words = {"core": 0, "more": 0, "trainer": 0}
    core_prose = []
    more_cells = 0
    for cell in nb.get("cells", []):
        kind = cell_kind(cell)
        if kind is None:
            continue
        text = source(cell)
        words[kind] += word_count(text)
        more_cells += kind == "more"
        if kind == "core":
            core_prose.append(prose(text))
    return LessonReading(
        lesson=lesson_id, title=title, teaching_minutes=teaching_minutes,
        core_words=words["core"], more_words=words["more"], trainer_words=words["trainer"],
        more_cells=more_cells, flesch=flesch(" ".join(p for p in core_prose if p)),
    )


def lesson_reading(lesson_id: str | int, path: Path | None = None) -> LessonReading:
    """The figures of one lesson of the syllabus (``path``: another copy of its notebook)."""
    from consortia.course.outline import course_dir, lesson

    item = lesson(lesson_id)
    path = path or course_dir() / item.file
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return notebook_reading(nb, item.id, item.title, item.teaching_minutes)


def course_reading(include_start: bool = False) -> list[LessonReading]:
    """The figures of every lesson, in syllabus order (lesson 00 only when asked)."""
    from consortia.course.outline import lessons

    return [lesson_reading(item.id) for item in lessons()
            if include_start or item.id != "00"]


def reading_table(figures: list[LessonReading]):
    """The figures as a table (a pandas DataFrame), one row per lesson."""
    import pandas as pd

    return pd.DataFrame([{
        "lesson": f.lesson,
        "teaching minutes": f.teaching_minutes,
        "core words": f.core_words,
        "words a minute": round(f.words_per_minute, 1),
        "Flesch": round(f.flesch, 1),
        "Going further cells": f.more_cells,
        "Going further words": f.more_words,
        "trainer words": f.trainer_words,
    } for f in figures])
