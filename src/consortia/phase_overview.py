"""Overview tables of the ten phases: purposes with their sources, and where cases stand.

Lesson 02 ("The ten phases at a glance") needs two tables that the methodology and
case modules do not offer in this shape:

- :func:`purposes_frame`: each phase's purpose next to the source of that purpose
  (``methodology.phases_frame`` gives the purpose text but only the joined list of
  all the phase's sources);
- :func:`case_positions`: each case with the phase it had reached and the phase that
  comes next, which is what a team plans for.

Both only read the validated data of :mod:`consortia.methodology` and
:mod:`consortia.cases`; nothing is computed that the data does not say, except the
"next phase", which is simply the phase numbered one higher.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consortia import cases, methodology

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd


def purposes_frame() -> pd.DataFrame:
    """One row per phase, in order: ``numeral``, ``title``, ``purpose``, ``source``.

    ``source`` is where the purpose itself comes from (a SELA 2014 paragraph, another
    public source, or "kit's own").
    """
    import pandas as pd

    rows = [
        {
            "numeral": p.numeral,
            "title": p.title,
            "purpose": p.purpose.text,
            "source": p.purpose.source,
        }
        for p in methodology.phases()
    ]
    return pd.DataFrame(rows, columns=["numeral", "title", "purpose", "source"])


def next_phase(stage: int | None) -> int | None:
    """The phase after ``stage`` (``3`` -> ``4``); ``None`` when there is no stage or
    the stage is already the last phase (X)."""
    if stage is None:
        return None
    last = len(methodology.phases())
    if not 1 <= stage <= last:
        raise ValueError(f"A stage is a phase number from 1 to {last}; got {stage!r}.")
    return stage + 1 if stage < last else None


def case_positions(folder: Path | str | None = None) -> pd.DataFrame:
    """Where each case stood, and which phase comes next, ordered by stage.

    Columns: ``country``, ``name``, ``stage`` (the phase numeral, empty when the source
    does not place the case), ``stage_title``, ``next_phase`` (numeral and short title
    of the following phase), ``stage_source``. Cases without a stage come last.
    """
    import pandas as pd

    rows = []
    for c in cases.all_cases(folder):
        number = c.stage.phase
        following = next_phase(number)
        rows.append(
            {
                "country": c.country,
                "name": c.name,
                "order": number if number is not None else 99,
                "stage": methodology.numeral(number) if number else "",
                "stage_title": methodology.phase(number).short_title if number else "",
                "next_phase": (
                    f"{methodology.numeral(following)} "
                    f"{methodology.phase(following).short_title}" if following else ""
                ),
                "stage_source": c.stage.source,
            }
        )
    frame = pd.DataFrame(rows).sort_values(["order", "country"], kind="stable")
    return frame.drop(columns="order").reset_index(drop=True)
