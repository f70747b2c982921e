"""The three kinds of text cell in a lesson, and how "Going further" cells fold.

A lesson's markdown cells are told apart by their tags:

* **core** (no tag): what every learner reads in the teaching time;
* **more** (tag ``more``): depth, sources and extra cases, shown folded under a
  "Going further" line, which a trainer can skip and a learner may open later;
* **trainer** (tag ``trainer``): notes for the person running the session.

A ``more`` cell folds wherever the lesson is read because its text is wrapped in an
HTML ``<details>`` element: JupyterLab, the slides and the static site all show the
one-line ``<summary>`` and open the rest on a click. :func:`folded` writes that
wrapper; the static site (:mod:`consortia.course.site`) applies it to any ``more``
cell written without one, so the folding never depends on an author's care.
"""

from __future__ import annotations

import re
from html import escape

__all__ = ["MORE", "MORE_SUMMARY", "TRAINER", "cell_kind", "folded", "is_folded", "source"]

#: The tag of a "Going further" cell.
MORE = "more"
#: The tag of a trainer's note.
TRAINER = "trainer"
#: The words that open the one-line summary of every folded cell.
MORE_SUMMARY = "Going further"

_DETAILS = re.compile(r"^\s*<details>\s*<summary>", re.IGNORECASE)


def source(cell: dict) -> str:
    """The text of a notebook cell (nbformat keeps it as a string or a list of lines)."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def cell_kind(cell: dict) -> str | None:
    """``"core"``, ``"more"`` or ``"trainer"`` for a markdown cell; None for code."""
    if cell.get("cell_type") != "markdown":
        return None
    tags = cell.get("metadata", {}).get("tags", [])
    if TRAINER in tags:
        return "trainer"
    if MORE in tags:
        return "more"
    return "core"


def is_folded(markdown: str) -> bool:
    """Whether the text opens with a ``<details><summary>`` and closes the element."""
    return bool(_DETAILS.match(markdown)) and markdown.rstrip().endswith("</details>")


def folded(markdown: str, topic: str = "") -> str:
    """The text wrapped so that it shows folded under "Going further: <topic>".

    The blank lines around the body let every markdown renderer (JupyterLab's,
    nbconvert's) read the inside as markdown rather than as raw HTML.
    """
    label = f"<b>{MORE_SUMMARY}</b>" + (f": {escape(topic)}" if topic else "")
    return f"<details><summary>{label}</summary>\n\n{markdown.strip()}\n\n</details>"
