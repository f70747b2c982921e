"""Rebuild a graded cohort's report, scores.csv and feedback, without grading again.

Run: .venv/bin/python benchmarks/report.py [--runs N]

Grades the 30-submission cohort of tests/support/grading_fixtures.py once (not
timed), then times ``consortia report DIR ASSIGNMENT`` (what a trainer runs after
marking by hand: the cohort report with its charts, scores.csv and the 30 feedback
pages, all read from the gradebook) ``--runs`` times and prints each time and the
best as ``report: X.XX s``. It asserts no time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="times to rebuild (default 3)")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "tests" / "support"))
    from consortia import cli
    from consortia.grading import autograde
    from grading_fixtures import ASSIGNMENT, build_cohort, sandbox_mode

    root = Path(tempfile.mkdtemp(prefix="consortia-report-bench-"))
    try:
        course = build_cohort(root)
        autograde.grade(course, ASSIGNMENT, sandbox=sandbox_mode())
        times = []
        for run in range(1, args.runs + 1):
            start = time.monotonic()
            with contextlib.redirect_stdout(io.StringIO()):
                status = cli.main(["report", str(course), ASSIGNMENT])
            times.append(time.monotonic() - start)
            if status:
                print(f"consortia report failed with status {status}")
                return status
            print(f"run {run}: {times[-1]:.2f} s")
        print(f"report: {min(times):.2f} s (30 submissions: report, scores.csv, feedback)")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
