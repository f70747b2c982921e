"""The course itself: the syllabus, workshop agendas, self-checks and the static site.

Belongs here: the lessons as the syllabus lists them, with the header and footer
each lesson shows (:mod:`~consortia.course.outline`), the workshop agendas computed
from them (:mod:`~consortia.course.agenda`), the self-check questions and how an
answer is judged (:mod:`~consortia.course.self_checks`), the kinds of lesson cell and
the folded "Going further" cells (:mod:`~consortia.course.cells`), each lesson's
reading load and Flesch score (:mod:`~consortia.course.reading`), and the course as a
static web site (:mod:`~consortia.course.site`). The models of the course's data files
are in :mod:`~consortia.course.models`.

May import: the ground of the package and :mod:`consortia.content`; never plans,
grading or widgets.

Lessons written for earlier versions of the kit call ``consortia.course`` functions
directly (``from consortia.course import lesson_header``); those names are still
offered here.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "COURSE_DIR_ENV": "consortia.course.outline",
    "course_dir": "consortia.course.outline",
    "lesson": "consortia.course.outline",
    "lesson_footer": "consortia.course.outline",
    "lesson_header": "consortia.course.outline",
    "lessons": "consortia.course.outline",
    "syllabus": "consortia.course.outline",
    "ScheduleError": "consortia.course.agenda",
    "schedule": "consortia.course.agenda",
    "schedule_summary": "consortia.course.agenda",
    "schedule_view": "consortia.course.agenda",
    "workshop_formats": "consortia.course.agenda",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'consortia.course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
