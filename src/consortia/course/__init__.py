"""The course itself: the syllabus, workshop agendas, self-checks and the static site.

Belongs here: the lessons as the syllabus lists them, with the header and footer
each lesson shows (:mod:`~consortia.course.outline`), the workshop agendas computed
from them (:mod:`~consortia.course.agenda`), the self-check questions and how an
answer is judged (:mod:`~consortia.course.self_checks`), the kinds of lesson cell and
the folded "Going further" cells (:mod:`~consortia.course.cells`), each lesson's
reading load and Flesch score (:mod:`~consortia.course.reading`), where a learner is
and which self-checks they have done (:mod:`~consortia.course.progress`), the trainer
notes set apart (:mod:`~consortia.course.notes`), the learner's own copy of the course
(:mod:`~consortia.course.workspace`) and the JupyterLab that serves it
(:mod:`~consortia.course.lab`), and the course as a static web site
(:mod:`~consortia.course.site`). The models of the course's data files are in
:mod:`~consortia.course.models`.

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
    "self_paced": "consortia.course.agenda",
    "summary_view": "consortia.course.agenda",
    "export_agenda": "consortia.course.agenda",
    "workshop_formats": "consortia.course.agenda",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'consortia.course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
