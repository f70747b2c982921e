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


class Block(KitModel):
    """A block of a workshop day: fixed (a visit, presentations), a break, or lessons."""

    kind: Literal["fixed", "break", "lessons"]
    title: NonEmpty
    minutes: Annotated[int, Field(ge=5, le=600)]


class WorkshopDay(KitModel):
    """One day of a workshop format."""

    title: NonEmpty
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    blocks: list[Block] = Field(min_length=1)


class WorkshopFormat(KitModel):
    """A workshop shape; lessons fill its ``lessons`` blocks in syllabus order."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: NonEmpty
    use_exercise_minutes: bool = True
    lessons: list[Annotated[str, Field(pattern=r"^\d{2}$")]] | None = None
    days: list[WorkshopDay] = Field(min_length=1)


class WorkshopFormats(KitModel):
    """The content of ``course/workshop_formats.yaml``."""

    formats: list[WorkshopFormat] = Field(min_length=1)


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


