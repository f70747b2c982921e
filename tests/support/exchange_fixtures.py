"""nbgrader's exchange, driven the way trainers and participants use it, for the tests.

The trainer releases an assignment and collects the hand-ins (into ``submitted/``,
with the ``timestamp.txt`` and ``submission_secret.txt`` nbgrader writes); a
participant fetches it into their own folder, hands it in and later fetches their
feedback. Everything goes through nbgrader's own exchange classes with the course's
``Exchange.root`` (the course folder's ``exchange/``); each participant has their own
home folder (their work and nbgrader's cache of what they handed in).
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

from consortia.grading.nbgrader_course import course_directory, load_config, quiet


def _participant(course: Path, student: str, home: Path, assignment: str):
    config = load_config(course)
    mine = Config()
    mine.CourseDirectory.course_id = config.CourseDirectory.course_id
    mine.CourseDirectory.assignment_id = assignment
    mine.CourseDirectory.student_id = student
    mine.Exchange.root = config.Exchange.root
    mine.Exchange.cache = str(home / "nbgrader_cache")
    mine.Exchange.assignment_dir = str(home / "work")
    (home / "work").mkdir(parents=True, exist_ok=True)
    return mine


def _run(app_class, config, **kwargs) -> None:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    for name, value in kwargs.items():
        setattr(coursedir, name, value)
    with quiet():
        app_class(coursedir=coursedir, config=config,
                  authenticator=Authenticator(config=config)).start()


def release_assignment(course: Path, assignment: str) -> None:
    """The trainer releases ``assignment`` to the exchange (formgrader's Release button)."""
    from nbgrader.exchange.default import ExchangeReleaseAssignment

    _run(ExchangeReleaseAssignment, load_config(course), assignment_id=assignment)


def hand_in(course: Path, assignment: str, student: str, home: Path,
            files: dict[str, object]) -> Path:
    """``student`` fetches ``assignment``, replaces its files with ``files`` (name ->
    notebook or text) and submits it; returns their copy of the assignment."""
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

    from grading_fixtures import write_files

    config = _participant(course, student, home, assignment)
    _run(ExchangeFetchAssignment, config)
    folder = home / "work" / assignment
    write_files(folder, files)
    _run(ExchangeSubmit, config)
    return folder


def collect(course: Path, assignment: str) -> None:
    """The trainer collects every hand-in into ``submitted/`` (formgrader's Collect)."""
    from nbgrader.exchange.default import ExchangeCollect

    _run(ExchangeCollect, load_config(course), assignment_id=assignment)


def fetch_feedback(course: Path, assignment: str, student: str, home: Path) -> list[Path]:
    """``student`` fetches their feedback; returns the pages they received."""
    from nbgrader.exchange.default import ExchangeFetchFeedback

    config = _participant(course, student, home, assignment)
    _run(ExchangeFetchFeedback, config)
    return sorted((home / "work" / assignment / "feedback").rglob("*.html"))


def submitted_folder(course: Path, assignment: str, student: str) -> Path:
    coursedir = course_directory(load_config(course))
    return Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
