"""The ten phases at a glance: their timeline, purposes with sources, and where cases stand.

Lesson 02 ("The ten phases at a glance") needs a chart and two tables that the
methodology and case modules do not offer in this shape:

- :func:`phase_timeline`: the ten phases laid end to end with their typical
  durations, the 2014 work programme shaded;

- :func:`purposes_frame`: each phase's purpose next to the source of that purpose
  (``methodology.phases_frame`` gives the purpose text but only the joined list of
  all the phase's sources);
- :func:`case_positions`: each case with the phase it had reached and the phase that
  comes next, which is what a team plans for.

All of them only read the validated data of :mod:`consortia.content.methodology`,
:mod:`consortia.content.programme` and :mod:`consortia.content.cases`; nothing is
computed that the data does not say, except the "next phase", which is simply the
phase numbered one higher.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consortia import figures
from consortia.content import cases, methodology
from consortia.content.programme import work_programme
from consortia.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.figure import Figure


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
        raise InputError(f"A stage is a phase number from 1 to {last}; got {stage!r}.")
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


def phase_timeline(highlight_work_programme: bool = True) -> Figure:
    """A timeline of the ten phases laid end to end with their typical durations.

    With ``highlight_work_programme`` the span of the early phases (III-V) is shaded
    and labelled with the months of the 2014 work programme (SELA 2014 §8, from
    ``data/work_programme.yaml``), so a learner sees where the country teams' first
    commitment sits in the whole journey.
    """
    font = figures.FONT_SIZE
    all_phases = methodology.phases()
    starts = methodology.phase_starts()
    total = max(starts[p.number] + p.duration_months for p in all_phases)

    fig = figures.new_figure(figsize=(12, 6.5))
    ax = fig.subplots()
    for row, p in enumerate(all_phases):
        start = starts[p.number]
        ax.barh(row, p.duration_months, left=start, color=figures.PHASE_COLOURS[p.number],
                edgecolor="black", height=0.7)
        ax.text(start + p.duration_months + 0.4, row, f"{p.duration_months} mo",
                va="center", fontsize=font - 2)
    ax.set_yticks(range(len(all_phases)))
    ax.set_yticklabels([f"{p.numeral}  {p.short_title}" for p in all_phases], fontsize=font)
    ax.invert_yaxis()
    ax.set_xlim(0, total + 4)
    ax.set_xlabel("Months from the start (typical durations; real phases overlap)",
                  fontsize=font)
    figures.style_axis(ax)
    ax.set_title("The ten phases of an origin consortium", fontsize=font + 3)

    if highlight_work_programme:
        programme = work_programme()
        first, last = programme.early_phases.phases[0], programme.early_phases.phases[-1]
        begin = starts[first]
        end = starts[last] + methodology.phase(last).duration_months
        ax.axvspan(begin, end, color=figures.PROGRAMME_COLOUR, alpha=0.25, zorder=0)
        ax.annotate(
            f"Work programme agreed in 2014:\n{programme.label()}",
            xy=((begin + end) / 2, first - 1.45),  # the top edge of the first early phase
            xytext=(end + 1.5, 0.2),
            fontsize=font - 1,
            arrowprops={"arrowstyle": "->"},
        )
    return fig
