"""Time what a learner waits for when a lesson starts: loading data and drawing the timeline.

Run: .venv/bin/python benchmarks/data.py
Prints figures; asserts nothing. Cold figures are measured in fresh interpreters.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COLD = """
import time
t = time.perf_counter()
from consortia.content import cases, methodology
methodology.phases(); methodology.criteria(); cases.load_cases(); cases.load_facts()
print(time.perf_counter() - t)
"""


def cold_load(runs: int = 5) -> list[float]:
    """Seconds to import the package and load every data file in a fresh process."""
    return [
        float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(runs)
    ]


def warm(func, runs: int = 20) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    from consortia.content import cases, methodology, phase_overview

    def reload_cases():
        cases.reload()
        cases.all_cases()

    def draw():
        phase_overview.phase_timeline().savefig("/dev/null", format="png")

    print(f"cold import + load all data (median of 5): {statistics.median(cold_load()):.3f} s")
    print(f"re-validate the 12 case files (median):    "
          f"{statistics.median(warm(reload_cases)) * 1000:.1f} ms")
    print(f"phases_frame() (median):                   "
          f"{statistics.median(warm(methodology.phases_frame)) * 1000:.1f} ms")
    print(f"draw + render the phase timeline (median): {statistics.median(warm(draw, 10)):.3f} s")


if __name__ == "__main__":
    main()
