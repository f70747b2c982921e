"""Time what a trainer waits for on the marking page: opening it, and each next submission.

Run: .venv/bin/python benchmarks/marking.py [--participants N]
Builds a course folder of assignment 04 with N hand-ins (default 30) in a temporary
folder (tests/support/marking_fixtures.py), then times, in this process, the page
opening (the gradebook read, the first plan drawn), moving to another submission
(its plan page drawn, its answers and rubric form shown) and one save to the
gradebook with the list's statuses updated. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "support"))

CHOICES = {"timeline_realism": "strong", "indicators_quality": "sound", "roles": "sound",
           "evidence": "weak"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from consortia.widgets.marking import MarkingDesk
    from marking_fixtures import build_marking_course

    students = [(f"p{n:02d}", f"First{n}", f"Last{n}") for n in range(1, args.participants + 1)]
    ids = [student for student, _, _ in students]
    with tempfile.TemporaryDirectory() as folder:
        course = build_marking_course(Path(folder), students, ids)
        start = time.perf_counter()
        desk = MarkingDesk(course)
        opened = time.perf_counter() - start
        switches = []
        for student in ids[1:11]:
            start = time.perf_counter()
            desk.submission_picker.value = student
            switches.append(time.perf_counter() - start)
        for key, level in CHOICES.items():
            desk.grader.selectors[key].value = level
        start = time.perf_counter()
        desk.grader.save_button.click()
        saved = time.perf_counter() - start
        if not desk.grader.status_ok:
            sys.exit(f"The save failed, so its time means nothing: {desk.grader.status_text}")
    print(f"participants: {args.participants}")
    print(f"open the page: {opened:.2f} s")
    print(f"next submission: median {statistics.median(switches):.2f} s, "
          f"max {max(switches):.2f} s ({len(switches)} moves)")
    print(f"save and update the list: {saved:.2f} s")


if __name__ == "__main__":
    main()
