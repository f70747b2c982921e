"""Product readiness: score a product on the selection criteria and read the result.

A team scores its candidate product from 0 (no) to 10 (fully yes) on each criterion
of ``data/criteria.yaml``. This module checks such scores, adds them up, draws them
and turns them into a short plain-English reading: an overall band, the criteria to
work on first (with what to do about them) and the product's main strength.

``data/readiness.yaml`` holds worked scores for the twelve case studies, each with a
one-sentence reason and its source, plus a short chart label and a piece of advice
per criterion. Those scores are the kit's own teaching judgements (the SELA 2014
report scores nothing). The file is validated on load: every criterion key must be
one of ``criteria.yaml`` and every case must exist in ``case_studies/data``.

Bands and thresholds (all the kit's own, chosen to be easy to explain in a room):

* a criterion scoring 7 or more is a **strength**; 5-6 is **middle**; 4 or less is
  a **gap** (``STRONG_FROM`` and ``GAP_BELOW``);
* the product is a **strong candidate** when its total reaches 70% of the maximum
  (an average of 7 per criterion), **promising with gaps** from 50% (an average
  of 5), and a **weak candidate** below that (``BANDS``);
* a single score of 2 or less (``RED_FLAG_AT_MOST``) keeps a product out of the top
  band, however high its total: one missing basic cannot be made up by the others.

No widgets here (see :mod:`consortia.widgets.readiness`); pandas and matplotlib are
imported only by the functions that need them.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field, model_validator

from consortia._paths import DATA_DIR
from consortia.content import methodology
from consortia.content.models import Criterion
from consortia.datafiles import DataFileError, Problem, load_yaml_model
from consortia.errors import InputError
from consortia.sources import KIT_OWN, KitModel, NonEmpty, Source

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: The file of worked scores shipped with the kit.
DATA_PATH = DATA_DIR / "readiness.yaml"

MIN_SCORE = 0
MAX_SCORE = 10

#: The reason, score and source used where the report says nothing on a criterion.
NO_EVIDENCE = "The report gives no evidence on this."
NO_EVIDENCE_SCORE = 5

#: Per criterion: 7 or more is a strength, below 5 a gap, 5-6 in the middle (kit's own).
STRONG_FROM = 7
GAP_BELOW = 5

#: Overall bands, best first: (name, lowest share of the maximum total, what it means).
BANDS = (
    (
        "strong candidate",
        0.70,
        "Most criteria are met: the team can go ahead and form the initial group "
        "(phase III), keeping an eye on any weak points.",
    ),
    (
        "promising with gaps",
        0.50,
        "The product has real assets but also clear gaps: plan how to close them in "
        "the first months, or compare it with another candidate.",
    ),
    (
        "weak candidate",
        0.0,
        "Too many basics are missing for now: gather better evidence or look at "
        "another product before forming a group.",
    ),
)

#: A score this low on any criterion keeps a product out of the top band (kit's own).
RED_FLAG_AT_MOST = 2

#: How many weak criteria a reading names at most.
MAX_GAPS_NAMED = 3

#: Bar colours per level, from the same colour-blind-safe palette as ``charts``.
LEVEL_COLOURS = {"gap": "#D55E00", "middle": "#E69F00", "strength": "#009E73"}
LEVEL_LEGEND = {
    "gap": f"gap (0-{GAP_BELOW - 1})",
    "middle": f"middle ({GAP_BELOW}-{STRONG_FROM - 1})",
    "strength": f"strength ({STRONG_FROM}-10)",
}

# --- the data file ------------------------------------------------------------------


def _criterion_keys() -> list[str]:
    return [c.key for c in methodology.criteria()]


def _known_criterion(key: str) -> str:
    valid = _criterion_keys()
    if key not in valid:
        raise ValueError(
            f"{key!r} is not a criterion of criteria.yaml; use one of: {', '.join(valid)}"
        )
    return key


def _known_case(slug: str) -> str:
    from consortia.content import cases

    valid = [c.slug for c in cases.all_cases()]
    if slug not in valid:
        raise ValueError(
            f"{slug!r} is not a case (the cases are the file names in case_studies/data: "
            f"{', '.join(valid)})"
        )
    return slug


def _covers_every_criterion(entries: dict) -> dict:
    missing = [key for key in _criterion_keys() if key not in entries]
    if missing:
        raise ValueError(f"needs an entry for every criterion; missing: {', '.join(missing)}")
    return entries


#: A key of ``criteria.yaml``.
CriterionKey = Annotated[str, AfterValidator(_known_criterion)]
#: The slug of a case in ``case_studies/data``.
CaseSlug = Annotated[str, AfterValidator(_known_case)]
#: A whole-number score from 0 to 10 ("7.5" and "7" as text are refused).
Score = Annotated[int, Field(ge=MIN_SCORE, le=MAX_SCORE, strict=True)]


class CriterionScore(KitModel):
    """One worked score: the score, one short sentence saying why, and its source."""

    score: Score
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    source: Source

    @model_validator(mode="after")
    def _no_evidence_is_a_middle_score(self) -> CriterionScore:
        if self.reason == NO_EVIDENCE and (
            self.score != NO_EVIDENCE_SCORE or self.source != KIT_OWN
        ):
            raise ValueError(
                f"a score without evidence must be {NO_EVIDENCE_SCORE} with source "
                f"{KIT_OWN!r} (found {self.score} and {self.source!r})"
            )
        return self


class CriterionGuide(KitModel):
    """What the kit adds to a criterion: a short chart label and advice for a low score."""

    label: Annotated[str, Field(min_length=1, max_length=30)]
    advice: NonEmpty
    source: Source


#: The worked scores of one case: one :class:`CriterionScore` per criterion.
CaseReadiness = Annotated[
    dict[CriterionKey, CriterionScore], AfterValidator(_covers_every_criterion)
]


class ReadinessFile(KitModel):
    """The content of ``data/readiness.yaml``."""

    criteria: Annotated[
        dict[CriterionKey, CriterionGuide], AfterValidator(_covers_every_criterion)
    ]
    cases: dict[CaseSlug, CaseReadiness] = Field(min_length=1)


def _tidy(problem: Problem) -> Problem:
    """Say ``field 'cases.atlantis'`` rather than pydantic's ``cases.atlantis.[key]``."""
    field = problem.field
    if field and field.endswith(".[key]"):
        field = field.removesuffix(".[key]")
    return Problem(problem.path, field, problem.message.removeprefix("Value error, "))


def load_readiness(path: Path | str | None = None) -> ReadinessFile:
    """Load and validate a readiness file (the kit's own by default, read once).

    A broken file raises :class:`~consortia.datafiles.DataFileError` naming the file
    and each field at fault, e.g. ``cases.belize.little_known.score``.
    """
    if path is None:
        return _default_file()
    try:
        return load_yaml_model(Path(path), ReadinessFile)
    except DataFileError as exc:
        raise DataFileError([_tidy(p) for p in exc.problems]) from None


@cache
def _default_file() -> ReadinessFile:
    return load_readiness(DATA_PATH)


def reload() -> None:
    """Forget the loaded file, so edits to ``readiness.yaml`` are seen in this session."""
    _default_file.cache_clear()


# --- looking things up ----------------------------------------------------------------


def labels() -> dict[str, str]:
    """The short chart label of each criterion, in the order of ``criteria.yaml``."""
    guides = load_readiness().criteria
    return {key: guides[key].label for key in _criterion_keys()}


def scored_cases() -> list[str]:
    """The slugs of the cases that have worked scores, in file order."""
    return list(load_readiness().cases)


def _case_entry(slug: str) -> dict[str, CriterionScore]:
    worked = load_readiness().cases
    if slug not in worked:
        raise InputError(
            f"No worked scores for case {slug!r}. Cases with scores: {', '.join(worked)}."
        )
    entry = worked[slug]
    return {key: entry[key] for key in _criterion_keys()}


def case_scores(slug: str) -> dict[str, int]:
    """The kit's worked scores for a case, e.g. ``case_scores("belize")``, criterion -> 0-10."""
    return {key: item.score for key, item in _case_entry(slug).items()}


def reasons(slug: str) -> dict[str, CriterionScore]:
    """Why the kit gave each score to a case: criterion -> ``.score``, ``.reason``, ``.source``."""
    return _case_entry(slug)


# --- checking and adding up scores ----------------------------------------------------


def validate_scores(scores: Mapping[str, object]) -> dict[str, int]:
    """Check a full set of scores and return them as whole numbers in criteria order.

    Raises :class:`ValueError` listing every problem: a criterion that does not
    exist, a criterion without a score, a score that is not a whole number, or one
    outside 0-10.
    """
    if not isinstance(scores, Mapping):
        raise InputError(
            "Scores must be given as a dictionary of criterion -> score, "
            f"e.g. {{'market_potential': 7, ...}}; got {type(scores).__name__}."
        )
    criteria = {c.key: c for c in methodology.criteria()}
    problems = []
    for key in scores:
        if key not in criteria:
            problems.append(
                f"{key!r} is not a criterion; the criteria are: {', '.join(criteria)}"
            )
    for key, criterion in criteria.items():
        if key not in scores:
            problems.append(f"no score for {key!r} ({criterion.question})")
    clean: dict[str, int] = {}
    for key in criteria:
        if key not in scores:
            continue
        value = scores[key]
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            problems.append(
                f"the score for {key!r} is {value!r}; give a whole number from "
                f"{MIN_SCORE} to {MAX_SCORE}"
            )
        elif not MIN_SCORE <= value <= MAX_SCORE:
            problems.append(
                f"the score for {key!r} is {value}; scores run from {MIN_SCORE} to {MAX_SCORE}"
            )
        else:
            clean[key] = int(value)
    if problems:
        raise InputError("These scores cannot be used:\n  - " + "\n  - ".join(problems))
    return clean


def total(scores: Mapping[str, object]) -> int:
    """The sum of the scores (checked first with :func:`validate_scores`)."""
    return sum(validate_scores(scores).values())


def max_total() -> int:
    """The highest possible total: 10 points for every criterion."""
    return MAX_SCORE * len(methodology.criteria())


def share(scores: Mapping[str, object]) -> float:
    """The total as a share of the highest possible total, from 0.0 to 1.0."""
    return total(scores) / max_total()


def level(score: int) -> str:
    """The level of one criterion score: ``"gap"``, ``"middle"`` or ``"strength"``."""
    if score >= STRONG_FROM:
        return "strength"
    if score >= GAP_BELOW:
        return "middle"
    return "gap"


# --- reading the result -----------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One criterion as the reading mentions it."""

    key: str
    question: str
    label: str
    score: int
    advice: str


@dataclass(frozen=True)
class Assessment:
    """The result of a set of scores, in parts (``text()`` gives the plain reading)."""

    total: int
    max_total: int
    share: float
    band: str
    meaning: str
    red_flags: tuple[Point, ...]
    to_work_on: tuple[Point, ...]
    strongest: Point | None
    also_strongest: int
    all_equal: bool

    def text(self) -> str:
        lines = [
            f"Total {self.total} of {self.max_total} ({self.share:.0%}): {self.band}.",
            self.meaning,
        ]
        if self.red_flags:
            named = "; ".join(f"{p.label} ({p.score}/{MAX_SCORE})" for p in self.red_flags)
            lines.append(
                f"A score of {RED_FLAG_AT_MOST} or less means a basic is missing, so the "
                f"product cannot count as a strong candidate until it is fixed: {named}."
            )
        if self.to_work_on:
            lines.append("Work on these first:")
            lines += [
                f"- {p.question} ({p.score}/{MAX_SCORE}) {p.advice}" for p in self.to_work_on
            ]
        else:
            lines.append(
                f"No criterion scores below {STRONG_FROM}; check them again as the group grows."
            )
        if self.all_equal:
            lines.append("Every criterion has the same score, so no single strength stands out.")
        elif self.strongest is not None:
            p = self.strongest
            others = ""
            if self.also_strongest:
                plural = "criterion" if self.also_strongest == 1 else "criteria"
                others = f" ({self.also_strongest} other {plural} also score {p.score}.)"
            lines.append(
                f"Strongest: {p.question} ({p.score}/{MAX_SCORE}) Build the group's case "
                f"to members and buyers on it.{others}"
            )
        return "\n".join(lines)


def _band(share_: float, has_red_flag: bool) -> tuple[str, str]:
    for name, lowest, meaning in BANDS:
        if share_ >= lowest and not (has_red_flag and name == BANDS[0][0]):
            return name, meaning
    name, _, meaning = BANDS[-1]
    return name, meaning


def band(scores: Mapping[str, object]) -> str:
    """The overall band: "strong candidate", "promising with gaps" or "weak candidate"."""
    return assess(scores).band


def assess(scores: Mapping[str, object]) -> Assessment:
    """Work out the band, the criteria to work on and the main strength of a set of scores."""
    values = validate_scores(scores)
    guides = load_readiness().criteria
    criteria: dict[str, Criterion] = {c.key: c for c in methodology.criteria()}
    order = {key: i for i, key in enumerate(values)}

    def point(key: str) -> Point:
        return Point(
            key=key,
            question=" ".join(criteria[key].question.split()),
            label=guides[key].label,
            score=values[key],
            advice=" ".join(guides[key].advice.split()),
        )

    total_ = sum(values.values())
    share_ = total_ / max_total()
    red = tuple(point(k) for k, v in values.items() if v <= RED_FLAG_AT_MOST)
    name, meaning = _band(share_, bool(red))
    lowest_first = sorted(values, key=lambda k: (values[k], order[k]))
    gaps = tuple(point(k) for k in lowest_first if values[k] < STRONG_FROM)[:MAX_GAPS_NAMED]
    highest_first = sorted(values, key=lambda k: (-values[k], order[k]))
    return Assessment(
        total=total_,
        max_total=max_total(),
        share=share_,
        band=name,
        meaning=meaning,
        red_flags=red,
        to_work_on=gaps,
        strongest=point(highest_first[0]) if highest_first else None,
        also_strongest=sum(v == max(values.values()) for v in values.values()) - 1
        if values else 0,
        all_equal=len(set(values.values())) <= 1,
    )


def reading(scores: Mapping[str, object]) -> str:
    """A short plain-English reading of a set of scores.

    It gives the total and share with the overall band and what the band means,
    names up to three criteria scoring below 7 (lowest first, by their question)
    with what to do about each, and names the strongest criterion.
    """
    return assess(scores).text()


def readiness_frame() -> pd.DataFrame:
    """One row per case with worked scores, best total first.

    Columns: ``slug``, ``name``, ``total``, ``share`` (0-1), ``band``, ``no_evidence``
    (how many scores are the middle value given where the report is silent).
    """
    import pandas as pd

    from consortia.content import cases

    names = {c.slug: c.name for c in cases.all_cases()}
    rows = []
    for slug in scored_cases():
        scores = case_scores(slug)
        rows.append(
            {
                "slug": slug,
                "name": names[slug],
                "total": total(scores),
                "share": share(scores),
                "band": band(scores),
                "no_evidence": sum(r.reason == NO_EVIDENCE for r in reasons(slug).values()),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["slug", "name", "total", "share", "band", "no_evidence"]
    )
    return frame.sort_values(["total", "name"], ascending=[False, True], ignore_index=True)


# --- the chart -----------------------------------------------------------------------------


def chart(scores: Mapping[str, object], title: str | None = None) -> Figure:
    """Horizontal bars of the scores, one per criterion, coloured by level.

    The dashed line marks 7, where a criterion counts as a strength; the title gives
    the total, the share and the band. Returns a figure that shows itself in a
    notebook (no pyplot).
    """
    from matplotlib.patches import Patch

    from consortia import figures as charts

    values = validate_scores(scores)
    result = assess(values)
    names = labels()
    keys = list(values)
    rows = range(len(keys))
    size = charts.FONT_SIZE

    fig = charts.new_figure(figsize=(10, 6.5))
    ax = fig.subplots()
    ax.barh(
        rows,
        [values[k] for k in keys],
        color=[LEVEL_COLOURS[level(values[k])] for k in keys],
        edgecolor="black",
        height=0.7,
    )
    for row, key in zip(rows, keys, strict=True):
        ax.text(values[key] + 0.15, row, str(values[key]), va="center", fontsize=size,
                fontweight="bold")
    line = ax.axvline(STRONG_FROM, color="black", linestyle="--", linewidth=1.5,
                      label=f"aim: {STRONG_FROM} or more")
    ax.set_yticks(list(rows))
    ax.set_yticklabels([names[k] for k in keys], fontsize=size)
    ax.set_ylim(len(keys) - 0.4, -0.6)
    ax.set_xlim(0, MAX_SCORE + 0.9)
    ax.set_xticks(range(MIN_SCORE, MAX_SCORE + 1))
    ax.tick_params(axis="x", labelsize=size - 1)
    ax.set_xlabel("Score: 0 = no, not at all; 10 = yes, fully", fontsize=size)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    heading = title or "Product readiness"
    ax.set_title(
        f"{heading}\nTotal {result.total} of {result.max_total} ({result.share:.0%}): "
        f"{result.band}",
        fontsize=size + 2,
    )
    fig.legend(
        handles=[Patch(facecolor=LEVEL_COLOURS[k], edgecolor="black", label=LEVEL_LEGEND[k])
                 for k in ("gap", "middle", "strength")] + [line],
        loc="outside lower center",
        ncols=4,
        fontsize=size - 1,
        frameon=False,
    )
    return fig
