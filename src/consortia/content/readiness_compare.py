"""Compare the worked readiness scores of cases, criterion by criterion.

:mod:`consortia.content.readiness` scores one product at a time. Lessons also need to put
two real cases side by side and explain where they differ: this module turns the
kit's worked scores (``data/readiness.yaml``) into tables and one chart for that.

* :func:`reasons_frame` - one case: every criterion with its score, level, reason
  and source, so a learner can see why the kit gave each score;
* :func:`compare_frame` - two cases: their scores per criterion and the difference;
* :func:`compare_chart` - two cases as paired bars, with the scores the report gives
  no evidence for drawn hatched (a 5 there means "unknown", not "average").

The scores are the kit's own teaching judgements (see ``data/readiness.yaml``).
pandas and matplotlib are imported only by the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from consortia.content import readiness
from consortia.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Bar colours of the first and second case (Okabe-Ito blue and orange, as in ``charts``).
CASE_COLOURS = ("#0072B2", "#E69F00")


def _name(slug: str) -> str:
    from consortia.content import cases

    return cases.case(slug).name


def _check_two(first: str, second: str) -> None:
    if first == second:
        raise InputError(f"Pick two different cases to compare (both are {first!r}).")
    for slug in (first, second):
        readiness.case_scores(slug)  # raises a clear ValueError for an unscored case


def reasons_frame(slug: str) -> pd.DataFrame:
    """Why the kit scored a case as it did: one row per criterion, in criteria order.

    Columns: ``criterion`` (the short chart label), ``score`` (0-10), ``level``
    ("gap", "middle" or "strength"), ``reason`` and ``source``. A score the report
    gives no evidence for reads "The report gives no evidence on this." with the
    source "kit's own".
    """
    import pandas as pd

    labels = readiness.labels()
    rows = [
        {
            "criterion": labels[key],
            "score": item.score,
            "level": readiness.level(item.score),
            "reason": item.reason,
            "source": item.source,
        }
        for key, item in readiness.reasons(slug).items()
    ]
    return pd.DataFrame(rows, columns=["criterion", "score", "level", "reason", "source"])


def compare_frame(first: str, second: str) -> pd.DataFrame:
    """The worked scores of two cases side by side, one row per criterion.

    Columns: ``criterion`` (short label), one column per case named after the case,
    and ``difference`` (first case's score minus the second's: positive where the
    first case is ahead). The last row, ``Total``, adds up each column.
    """
    import pandas as pd

    _check_two(first, second)
    labels = readiness.labels()
    a, b = readiness.case_scores(first), readiness.case_scores(second)
    name_a, name_b = _name(first), _name(second)
    rows = [
        {"criterion": labels[key], name_a: a[key], name_b: b[key], "difference": a[key] - b[key]}
        for key in a
    ]
    total_a, total_b = readiness.total(a), readiness.total(b)
    rows.append(
        {"criterion": "Total", name_a: total_a, name_b: total_b, "difference": total_a - total_b}
    )
    return pd.DataFrame(rows, columns=["criterion", name_a, name_b, "difference"])


def compare_chart(first: str, second: str) -> Figure:
    """Paired horizontal bars: the two cases' scores on every criterion.

    The first case is blue and on top of each pair, the second orange. Scores the
    report gives no evidence for are hatched. The dashed line marks 7, where a
    criterion counts as a strength; the title gives each case's total and band.
    Returns a figure that shows itself in a notebook (no pyplot).
    """
    from matplotlib.patches import Patch

    from consortia import figures as charts

    _check_two(first, second)
    labels = readiness.labels()
    keys = list(labels)
    size = charts.FONT_SIZE
    height = 0.38
    fig = charts.new_figure(figsize=(10, 8.5))
    ax = fig.subplots()
    handles = []
    for offset, slug, colour in ((-height / 2, first, CASE_COLOURS[0]),
                                 (height / 2, second, CASE_COLOURS[1])):
        worked = readiness.reasons(slug)
        scores = [worked[k].score for k in keys]
        rows = [i + offset for i in range(len(keys))]
        bars = ax.barh(rows, scores, height=height, color=colour, edgecolor="black")
        for bar, key in zip(bars, keys, strict=True):
            if worked[key].reason == readiness.NO_EVIDENCE:
                bar.set_hatch("//")
                bar.set_alpha(0.55)
        for row, score in zip(rows, scores, strict=True):
            ax.text(score + 0.12, row, str(score), va="center", fontsize=size - 2)
        assessment = readiness.assess(readiness.case_scores(slug))
        handles.append(Patch(facecolor=colour, edgecolor="black",
                             label=f"{_name(slug)}: {assessment.total}/"
                                   f"{assessment.max_total}, {assessment.band}"))
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//",
                         label="hatched: no evidence in the report (5 = unknown)"))
    line = ax.axvline(readiness.STRONG_FROM, color="black", linestyle="--", linewidth=1.5,
                      label=f"aim: {readiness.STRONG_FROM} or more")
    handles.append(line)
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([labels[k] for k in keys], fontsize=size)
    ax.set_ylim(len(keys) - 0.5, -0.5)
    ax.set_xlim(0, readiness.MAX_SCORE + 0.9)
    ax.set_xticks(range(readiness.MIN_SCORE, readiness.MAX_SCORE + 1))
    ax.tick_params(axis="x", labelsize=size - 1)
    ax.set_xlabel("Score: 0 = no, not at all; 10 = yes, fully", fontsize=size)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_title("Product readiness: two cases compared", fontsize=size + 2)
    fig.legend(handles=handles, loc="outside lower center", ncols=1, fontsize=size - 2,
               frameon=False)
    return fig
