"""``consortia monitor PLANS_DIR --out DIR``: the dashboard, the summary, the rows and IATI.

:func:`build_monitoring` reads every plan of a folder once, works out each team's row
on the day ``on`` and writes, into ``out``: ``dashboard.html``, ``summary.html`` (the
one-page evaluation summary), ``consortia.xlsx`` (the same rows) and, when asked,
the IATI 2.03 results file. Files that are not readable plans are listed, not fatal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from consortia.errors import InputError
from consortia.monitoring import dashboard, iati
from consortia.monitoring.programme import load_plans, programme_rows

DASHBOARD, SUMMARY, ROWS = "dashboard.html", "summary.html", "consortia.xlsx"


@dataclass(frozen=True)
class Built:
    """What a build wrote, how many plans it read, and what it skipped (with reasons)."""

    files: list[Path]
    plans: int
    skipped: list[str]


def build_monitoring(plans_dir: Path | str, out: Path | str, iati_file: Path | str | None = None,
                     on: dt.date | None = None) -> Built:
    """Build the programme view of the plans in ``plans_dir`` into the folder ``out``."""
    on = on or dt.date.today()
    target = iati_file
    loaded = load_plans(plans_dir)
    if not loaded.plans:
        found = f" ({len(loaded.skipped)} unreadable)" if loaded.skipped else ""
        raise InputError(f"{plans_dir} holds no plan file (*.json){found}; give the folder "
                         "where the teams' plans are")
    rows = programme_rows(loaded.plans, on)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    skipped = list(loaded.skipped)
    written = []
    page = dashboard.render_dashboard(rows, on, skipped, summary_file=SUMMARY)
    (out / DASHBOARD).write_text(page, encoding="utf-8")
    (out / SUMMARY).write_text(dashboard.render_summary(rows, on), encoding="utf-8")
    written += [out / DASHBOARD, out / SUMMARY, dashboard.write_rows_xlsx(rows, out / ROWS)]
    if target:
        plans = list(loaded.plans.values())
        skipped += [f"{name}: not in the IATI file, it has no start date"
                    for name, plan in loaded.plans.items() if not iati.exportable(plan)]
        written.append(iati.write_iati(plans, target))
    return Built(written, len(loaded.plans), skipped)
