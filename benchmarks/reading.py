"""Print the reading figures of every lesson: now, and in an earlier version of the course.

Run: .venv/bin/python benchmarks/reading.py [--before REV]

For each lesson 01-09: teaching minutes, words of core text (cells not tagged
``trainer`` or ``more``), words per teaching minute (limit 60) and the Flesch reading
ease of the core prose (at least 60), as measured by consortia.course.reading. With
``--before`` (a git revision, e.g. ``main`` or a commit), the same figures of that
revision's notebooks are printed first, measured by the same rules and the present
syllabus minutes. Asserts nothing: tests/course/test_reading.py holds the limits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from consortia.course import outline, reading

REPO = Path(__file__).resolve().parents[1]


def figures(revision: str | None) -> list[reading.LessonReading]:
    """The figures of the lessons after 00 in the working tree, or at a git revision
    (where a lesson did not exist yet, it is left out)."""
    found = []
    for item in outline.lessons():
        if item.id == "00":
            continue
        if revision is None:
            nb = json.loads((outline.course_dir() / item.file).read_text(encoding="utf-8"))
        else:
            shown = subprocess.run(["git", "show", f"{revision}:course/{item.file}"],
                                   cwd=REPO, capture_output=True, text=True)
            if shown.returncode != 0:  # a lesson written after that revision
                continue
            nb = json.loads(shown.stdout)
        found.append(reading.notebook_reading(nb, item.id, item.title, item.teaching_minutes))
    return found


def table(rows: list[reading.LessonReading], title: str) -> str:
    lines = [title, f"{'lesson':<7}{'min':>4}{'core words':>12}{'words/min':>11}{'Flesch':>8}"
             f"{'more cells':>12}{'more words':>12}"]
    for f in rows:
        flags = ("" if f.words_per_minute <= reading.MAX_WORDS_PER_MINUTE else " over") + (
            "" if f.flesch >= reading.MIN_FLESCH else " hard")
        lines.append(f"{f.lesson:<7}{f.teaching_minutes:>4}{f.core_words:>12,}"
                     f"{f.words_per_minute:>11.1f}{f.flesch:>8.1f}{f.more_cells:>12}"
                     f"{f.more_words:>12,}{flags}")
    core = sum(f.core_words for f in rows)
    minutes = sum(f.teaching_minutes for f in rows)
    lines.append(f"{'all':<7}{minutes:>4}{core:>12,}{core / minutes:>11.1f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", help="a git revision to compare with, e.g. main")
    args = parser.parse_args()
    if args.before:
        print(table(figures(args.before), f"Before ({args.before}):"))
        print()
    print(table(figures(None), "Now (working tree):"))
    print(f"\nLimits: at most {reading.MAX_WORDS_PER_MINUTE} core words per teaching minute;"
          f" Flesch reading ease at least {reading.MIN_FLESCH:.0f} (textstat 0.7.4).")


if __name__ == "__main__":
    main()
