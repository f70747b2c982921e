"""Models of the course's data: the syllabus, workshop formats and self-checks.

``course/syllabus.yaml``, ``course/workshop_formats.yaml`` and
``course/self_checks/*.yaml`` are validated against these models when loaded.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from consortia.sources import KitModel, NonEmpty, PhaseNumber, Source

# --- the course: syllabus and self-checks ------------------------------------------------


class Lesson(KitModel):
    """One lesson of the course, as listed in ``course/syllabus.yaml``."""

    id: Annotated[str, Field(pattern=r"^\d{2}$")]
    file: Annotated[str, Field(pattern=r"^\d{2}_[a-z0-9_]+\.ipynb$")]
    title: NonEmpty
    questions: list[NonEmpty] = Field(min_length=1)
    objectives: list[NonEmpty] = Field(min_length=1)
    teaching_minutes: Annotated[int, Field(ge=5, le=240)]
    exercise_minutes: Annotated[int, Field(ge=0, le=240)]
    key_points: list[NonEmpty] = Field(min_length=1)
    phases: list[PhaseNumber] = Field(default_factory=list)

    @model_validator(mode="after")
    def _file_matches_id(self) -> Lesson:
        if not self.file.startswith(self.id + "_"):
            raise ValueError(f"lesson {self.id} must live in a file named {self.id}_....ipynb")
        return self

    @property
    def minutes(self) -> int:
        """Teaching plus exercise time."""
        return self.teaching_minutes + self.exercise_minutes


class Syllabus(KitModel):
    """The content of ``course/syllabus.yaml``: the lessons in the order to take them."""

    title: NonEmpty
    lessons: list[Lesson] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_in_order(self) -> Syllabus:
        ids = [lesson.id for lesson in self.lessons]
        if ids != sorted(ids) or len(ids) != len(set(ids)):
            raise ValueError(f"lessons must be listed once each, in order; got {ids}")
        return self


def _clock_minutes(clock: str) -> int:
    hours, minutes = (int(x) for x in clock.split(":"))
    return hours * 60 + minutes


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d} min"


class Block(KitModel):
    """A block of a workshop day.

    ``fixed``: a session with a set length (opening, debrief, conclusions);
    ``break``: coffee or lunch; ``lessons``: filled with lessons in syllabus order;
    ``presentations``: country teams' talks and a debate, whose length is computed
    from ``talks`` x ``talk_minutes`` + ``debate_minutes``; ``visit``: a field visit
    (people move about, so it needs no break of its own).
    """

    kind: Literal["fixed", "break", "lessons", "presentations", "visit"]
    title: NonEmpty
    minutes: Annotated[int, Field(ge=5, le=600)]
    talks: Annotated[int, Field(ge=1, le=20)] | None = None
    talk_minutes: Annotated[int, Field(ge=5, le=60)] | None = None
    debate_minutes: Annotated[int, Field(ge=0, le=120)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _presentation_minutes(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("kind") == "presentations":
            parts = [data.get(key) for key in ("talks", "talk_minutes", "debate_minutes")]
            if any(not isinstance(part, int) for part in parts):
                raise ValueError("presentations need talks, talk_minutes and debate_minutes "
                                 "(whole numbers), e.g. talks: 4, talk_minutes: 20, "
                                 "debate_minutes: 20")
            computed = parts[0] * parts[1] + parts[2]
            if "minutes" in data and data["minutes"] != computed:
                raise ValueError(f"minutes is {data['minutes']} but {parts[0]} talks of "
                                 f"{parts[1]} minutes and a {parts[2]}-minute debate take "
                                 f"{computed}; leave minutes out, it is computed")
            data = {**data, "minutes": computed}
        return data

    @model_validator(mode="after")
    def _talks_only_for_presentations(self) -> Block:
        if self.kind != "presentations" and any(
                value is not None for value in (self.talks, self.talk_minutes,
                                                self.debate_minutes)):
            raise ValueError("talks, talk_minutes and debate_minutes belong to blocks of "
                             "kind presentations only")
        return self


class WorkshopDay(KitModel):
    """One day of a workshop format: its hours, and blocks that fill them exactly."""

    title: NonEmpty
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    blocks: list[Block] = Field(min_length=1)

    @property
    def minutes(self) -> int:
        """The day's length, from start to end."""
        return _clock_minutes(self.end) - _clock_minutes(self.start)

    @model_validator(mode="after")
    def _blocks_fill_the_day(self) -> WorkshopDay:
        if self.minutes <= 0:
            raise ValueError(f"the day must end after it starts ({self.start}-{self.end})")
        total = sum(block.minutes for block in self.blocks)
        if total != self.minutes:
            raise ValueError(
                f"{self.title!r} runs {self.start}-{self.end} ({_duration(self.minutes)}) "
                f"but its blocks add up to {_duration(total)}; change a block's minutes "
                f"or the day's end")
        return self


class SelfPacedStep(KitModel):
    """Notebooks a participant works through alone, outside the timetable."""

    when: NonEmpty
    what: NonEmpty
    pick: Literal["one", "all"] = "all"
    lessons: list[Annotated[str, Field(pattern=r"^\d{2}$")]] = Field(default_factory=list)
    case_studies: list[Annotated[str, Field(pattern=r"^[a-z0-9_-]+$")]] = Field(
        default_factory=list)

    @model_validator(mode="after")
    def _has_notebooks(self) -> SelfPacedStep:
        if not self.lessons and not self.case_studies:
            raise ValueError("a self-paced step names at least one lesson or case study")
        return self


class WorkshopFormat(KitModel):
    """A workshop shape; lessons fill its ``lessons`` blocks in syllabus order.

    No stretch of sessions may run longer than ``max_minutes_without_break``
    without a break (a field visit counts as a change of scene). ``self_paced``
    gives the notebooks that are not in the timetable a place, with their minutes.
    """

    key: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: NonEmpty
    use_exercise_minutes: bool = True
    lessons: list[Annotated[str, Field(pattern=r"^\d{2}$")]] | None = None
    max_minutes_without_break: Annotated[int, Field(ge=30, le=240)] = 120
    days: list[WorkshopDay] = Field(min_length=1)
    self_paced: list[SelfPacedStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _breaks(self) -> WorkshopFormat:
        for day in self.days:
            stretch: list[Block] = []
            for block in [*day.blocks, None]:
                if block is None or block.kind in ("break", "visit"):
                    length = sum(b.minutes for b in stretch)
                    if length > self.max_minutes_without_break:
                        names = ", ".join(repr(b.title) for b in stretch)
                        raise ValueError(
                            f"{day.title!r} runs {length} minutes without a break ({names}); "
                            f"put a break in, at most {self.max_minutes_without_break} "
                            "minutes apart")
                    stretch = []
                else:
                    stretch.append(block)
        return self


class WorkshopFormats(KitModel):
    """The content of ``course/workshop_formats.yaml``.

    ``notebook_minutes`` gives the minutes of each case-study notebook (lessons have
    theirs in the syllabus), for the self-paced parts of the formats.
    """

    formats: list[WorkshopFormat] = Field(min_length=1)
    notebook_minutes: dict[str, Annotated[int, Field(ge=5, le=600)]] = Field(
        default_factory=dict)

    @model_validator(mode="after")
    def _self_paced_have_minutes(self) -> WorkshopFormats:
        for fmt in self.formats:
            for step in fmt.self_paced:
                missing = [n for n in step.case_studies if n not in self.notebook_minutes]
                if missing:
                    raise ValueError(f"{fmt.key}: give the minutes of {', '.join(missing)} "
                                     "in notebook_minutes")
        return self


class Option(KitModel):
    """One answer offered by a self-check question, with the feedback it earns."""

    text: NonEmpty
    correct: bool = False
    feedback: NonEmpty


class SelfCheck(KitModel):
    """A self-check question: the learner answers first, then sees feedback.

    ``choice`` has exactly one correct option; ``multiple`` asks for every correct
    option; ``number`` expects a figure within ``tolerance`` of ``answer``.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    kind: Literal["choice", "multiple", "number"]
    prompt: NonEmpty
    options: list[Option] = Field(default_factory=list)
    answer: float | None = None
    tolerance: Annotated[float, Field(ge=0)] = 0
    unit: str = ""
    explanation: NonEmpty
    source: Source

    @model_validator(mode="after")
    def _answerable(self) -> SelfCheck:
        correct = sum(o.correct for o in self.options)
        if self.kind == "choice" and (len(self.options) < 2 or correct != 1):
            raise ValueError("a choice question needs two or more options, exactly one correct")
        if self.kind == "multiple" and (len(self.options) < 2 or correct < 1):
            raise ValueError("a multiple question needs two or more options, one or more correct")
        if self.kind == "number" and (self.answer is None or self.options):
            raise ValueError("a number question needs an answer and no options")
        return self


class SelfCheckFile(KitModel):
    """The content of one ``course/self_checks/<lesson>.yaml`` file."""

    lesson: Annotated[str, Field(pattern=r"^\d{2}$")]
    checks: list[SelfCheck] = Field(min_length=1)


