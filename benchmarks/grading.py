"""Grade the same 30-submission cohort with stock `nbgrader autograde` and with `consortia grade`.

Run: .venv/bin/python benchmarks/grading.py [--workers N] [--sandbox auto|bwrap|none]

The cohort is the one of tests/grading_fixtures.py: solved, blank and partly
wrong notebooks plus one of every hostile kind (three endless loops, exceptions,
deleted/edited/duplicated test cells, broken files, a huge output, snooping code, a
malformed plan), with a 5-second cell timeout. Both tools grade their own copy of the
same course folder in this one run; the script checks that the scores match and
prints both times and their ratio as ``ratio: X.XX`` (target: at most 0.5 on a
2-core machine). It asserts no time.

One difference is by design and is listed, not hidden: nbgrader 0.9.6 crashes on a
notebook with a duplicated test cell when deleted cells are restored
(``KeyError: 'grade_id'``) and scores it 0; ``consortia grade`` grades it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None, help="default: the number of cores")
    parser.add_argument("--sandbox", default="auto", choices=["auto", "bwrap", "none"])
    parser.add_argument("--keep", action="store_true", help="keep the course folders")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "tests" / "support"))
    from consortia.grading import autograde
    from grading_fixtures import (
        ASSIGNMENT,
        DIFFERENT_BY_DESIGN,
        build_cohort,
        kind_of,
        stock_autograde,
    )

    root = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        start = time.perf_counter()
        course = build_cohort(root)
        stock_course = root / "stock"
        shutil.copytree(course, stock_course)
        print(f"cohort: 30 submissions, built in {time.perf_counter() - start:.1f} s; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

        start = time.perf_counter()
        proc = stock_autograde(stock_course)
        stock_seconds = time.perf_counter() - start
        print(f"stock nbgrader autograde: {stock_seconds:.1f} s (exit status {proc.returncode}: "
              "it exits 1 when a submission fails)")

        start = time.perf_counter()
        run = autograde.grade(course, ASSIGNMENT, workers=args.workers, sandbox=args.sandbox)
        kit_seconds = time.perf_counter() - start
        print(f"consortia grade: {kit_seconds:.1f} s ({run.workers} workers, sandbox "
              f"{run.sandbox})")

        stock = autograde.gradebook_scores(stock_course, ASSIGNMENT)
        ours = {o.student: o.score for o in run.outcomes if o.status != "absent"}
        same, expected, unexpected = 0, [], []
        for student in sorted(ours):
            theirs = stock.get(student, 0.0)  # stock records no submission without a notebook
            if theirs == ours[student]:
                same += 1
            elif kind_of(student) in DIFFERENT_BY_DESIGN:
                expected.append(f"  {student}: stock {theirs:g}, kit {ours[student]:g} "
                                f"({DIFFERENT_BY_DESIGN[kind_of(student)]})")
            else:
                unexpected.append(f"  {student}: stock {theirs:g}, kit {ours[student]:g}")
        print(f"scores: {same} of {len(ours)} identical; {len(expected)} differ by design; "
              f"{len(unexpected)} differ unexpectedly")
        for line in expected + unexpected:
            print(line)
        print(f"stock: {stock_seconds:.2f} s")
        print(f"kit: {kit_seconds:.2f} s")
        print(f"ratio: {kit_seconds / stock_seconds:.2f}")
        if run.sandbox == "bwrap":
            limits_cost(root)
        if args.keep:
            print(f"course folders kept in {root}")
        return 1 if unexpected else 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def limits_cost(root: Path, runs: int = 8) -> None:
    """What the limits add to one notebook: a kernel started, run and stopped with
    everything (own user, cgroup, own file system, rlimits) against the same kernel in
    bubblewrap alone."""
    import statistics

    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    from consortia.grading import cgroups, sandbox
    from consortia.grading.workspace import Workspace

    full = sandbox.resolve("bwrap", cgroups=cgroups.detect())
    bare = sandbox.Sandbox("bwrap", full.read_only)

    def once(box, uid):
        workspace = Workspace(root, uid=uid, disk_bytes=box.limits.disk,
                              mount=box.private_workspaces)
        start = time.perf_counter()
        km = sandbox.kernel_manager(box, cwd=workspace.work, runtime=workspace.runtime, uid=uid)
        nb = new_notebook(cells=[new_code_cell("x = sum(range(1000))")])
        NotebookClient(nb, km=km, timeout=30).execute()
        run_sync(km.shutdown_kernel)(now=True)
        km.release()
        workspace.remove()
        return time.perf_counter() - start

    uid = sandbox.kernel_uid(7, 0) if full.separate_users else None
    with_limits = [once(full, uid) for _ in range(runs)]
    without = [once(bare, None) for _ in range(runs)]
    added = statistics.median(with_limits) - statistics.median(without)
    print(f"one notebook's kernel, median of {runs}: {statistics.median(with_limits):.2f} s "
          f"with the limits and its own user ({full.cgroups.describe()}), "
          f"{statistics.median(without):.2f} s in bubblewrap alone: the limits add "
          f"{added * 1000:.0f} ms per notebook")


if __name__ == "__main__":
    sys.exit(main())
