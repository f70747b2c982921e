"""Time every lesson and case-study notebook, run top to bottom in a fresh kernel.

Run: .venv/bin/python benchmarks/notebooks.py [--workers N]
Prints one line per notebook and the total (sequential seconds, and the wall time
with N notebooks at once); asserts nothing. Each notebook runs in a scratch folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(path: str) -> tuple[str, float]:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": scratch}}).execute()
    return path, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    paths = sorted(str(p) for folder in ("course", "case_studies")
                   for p in (REPO / folder).glob("*.ipynb"))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run, paths))
    wall = time.perf_counter() - start
    for path, seconds in results:
        print(f"{seconds:6.1f} s  {Path(path).relative_to(REPO)}")
    total = sum(seconds for _, seconds in results)
    print(f"{len(results)} notebooks: {total:.1f} s of execution in all "
          f"(wall {wall:.1f} s with {args.workers} at once)", file=sys.stdout)


if __name__ == "__main__":
    main()
