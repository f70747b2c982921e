"""Trainer notes, set apart from the learner's text.

Cells meant for the trainer alone are markdown cells tagged ``trainer``. Where a
learner reads a lesson (their personal copy of the course, made by
:mod:`consortia.course.workspace`) such a note is shown in a box of its own colour,
folded under one line that says who it is for; a click opens it. The trainer's
edition of the static site shows the same box, open.

The note's own text is kept as it is: the box is plain HTML around it
(``<details>``), which JupyterLab, nbconvert and every browser render without any
script, with the Markdown inside still rendered as Markdown.
"""

from __future__ import annotations

from consortia.course.cells import TRAINER, cell_kind

#: The tag of the cells meant for the trainer (one home: :mod:`consortia.course.cells`).
TRAINER_TAG = TRAINER
#: Marks a note already wrapped, so that wrapping twice does nothing.
NOTE_CLASS = "kit-trainer-note"
#: The folded line a learner sees.
SUMMARY = "Note for the trainer (learners can skip it; click to open)"

_BOX = ("border-left: 6px solid #E69F00; background: #fdf6e7; padding: 0.2em 0.8em; "
        "margin: 0.4em 0")


def is_trainer_cell(cell: dict) -> bool:
    """True for a markdown cell tagged ``trainer``."""
    return cell_kind(cell) == "trainer"


def set_apart(markdown: str, folded: bool = True) -> str:
    """The note's Markdown inside a box of its own; ``folded`` shows only its summary.

    The blank lines around the text let Markdown renderers treat it as Markdown
    inside the HTML block.
    """
    if NOTE_CLASS in markdown.split("\n", 1)[0]:
        return markdown
    opened = "" if folded else " open"
    return (f'<details class="{NOTE_CLASS}"{opened} style="{_BOX}">'
            f"<summary><b>{SUMMARY}</b></summary>\n\n"
            f"{markdown.strip()}\n\n</details>\n")


def set_apart_cells(cells: list[dict], folded: bool = True) -> int:
    """Set apart every trainer note of a notebook's cells (in place); how many."""
    count = 0
    for cell in cells:
        if is_trainer_cell(cell):
            source = cell["source"]
            text = "".join(source) if isinstance(source, list) else source
            wrapped = set_apart(text, folded)
            if wrapped != text:
                cell["source"] = wrapped
                count += 1
    return count
