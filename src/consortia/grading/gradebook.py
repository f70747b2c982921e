"""The grader's side of the gradebook: record submissions, save grades, never run code.

Only the grading parent process writes nbgrader's gradebook, so SQLite stays
consistent while many workers grade at once: :class:`GradebookWriter` records each
submission as nbgrader's ``init_assignment`` does (student, timestamp, zero for
missing notebooks), runs nbgrader's writing preprocessors (``SaveAutoGrades``,
``AssignLatePenalties``) on each graded notebook a worker returns, writes it to
``autograded/`` and reads the scores back. Workers read a snapshot of the gradebook
(:meth:`GradebookWriter.snapshot`), never the gradebook itself.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from consortia.errors import KitError
from consortia.grading.execute import (
    Job,
    JobResult,
    collecting_notes,
    copy_files,
    explain,
    make_exporter,
    preprocessor_chains,
)
from consortia.grading.nbgrader_course import course_directory, open_gradebook, quiet
from consortia.grading.outcomes import Outcome


class GradingError(KitError, ValueError):
    """The grading run cannot start (unknown course or assignment); the message says why."""


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class GradebookWriter:
    """Owns the gradebook for one run: records submissions, saves grades, never runs code."""

    def __init__(self, course: Path, overrides: dict, config):
        self.course = course
        self.overrides = overrides
        self.config = config
        self.coursedir = course_directory(config)
        self.db_url = self.coursedir.db_url
        self.course_id = self.coursedir.course_id or "default_course"
        _, _, self.writers = preprocessor_chains(config)

    def gradebook(self):
        """The course's gradebook, opened as every part of the kit opens it."""
        return open_gradebook(self.course, self.config)

    def path(self, step: str, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(step, student, assignment))

    def assignment_notebooks(self, assignment: str) -> list[str]:
        from nbgrader.api import MissingEntry

        with self.gradebook() as gb:
            try:
                found = gb.find_assignment(assignment)
            except MissingEntry:
                known = ", ".join(a.name for a in gb.assignments) or "none"
                raise GradingError(f"unknown assignment {assignment!r} (the gradebook has: "
                                   f"{known}); check its name against the folders in "
                                   f"{Path(self.course) / 'source'}") from None
            return sorted(nb.name for nb in found.notebooks)

    def assignment_names(self) -> list[str]:
        with self.gradebook() as gb:
            return [a.name for a in gb.assignments]

    def submitted(self, assignment: str | None) -> list[tuple[str, str]]:
        """Every (participant folder, assignment folder) pair under ``submitted/``.

        Links are listed too (never followed): :meth:`plan_submission` flags them, so
        that a hand-in that is a link to someone else's work shows up with its reason
        instead of silently counting as nothing submitted.
        """
        root = Path(self.coursedir.format_path(self.coursedir.submitted_directory, ".", "."))
        pairs = []
        if not root.is_dir():
            return pairs
        for student_dir in sorted(root.iterdir()):
            if student_dir.is_symlink():
                pairs += [(student_dir.name, assignment)] if assignment else []
                continue
            if not student_dir.is_dir():
                continue
            for assignment_dir in sorted(student_dir.iterdir()):
                if assignment is not None and assignment_dir.name != assignment:
                    continue
                if assignment_dir.is_symlink() or assignment_dir.is_dir():
                    pairs.append((student_dir.name, assignment_dir.name))
        return pairs

    def _timestamp(self, folder: Path, notes: list[str]):
        from nbgrader.utils import parse_utc

        path = folder / "timestamp.txt"
        if not path.is_file() or path.is_symlink():
            return None
        with path.open("rb") as f:
            text = f.read(100).decode("utf-8", errors="replace").strip()
        try:
            return parse_utc(text) if text else None
        except (ValueError, OverflowError):
            notes.append(f"timestamp.txt holds no date ({text[:40]!r}); treated as on time")
            return None

    def plan_submission(self, student: str, assignment: str, notebooks: list[str]
                        ) -> tuple[Outcome, list[str]]:
        """What a submission holds, before anything is written: its outcome so far and the
        notebooks of the assignment it has (nothing to grade if none)."""
        from nbgrader.api import MissingEntry

        outcome = Outcome(student, assignment, "graded")
        folder = self.path(self.coursedir.submitted_directory, student, assignment)
        if not _SAFE_NAME.match(student):
            shown = student.encode("unicode_escape").decode("ascii")[:60]
            outcome.status = "failed"
            outcome.reason = (f"the folder name {shown!r} is not a participant id (letters, "
                              "digits, '.', '_' and '-'); rename it to the participant's id")
            return outcome, []
        for link in (folder.parent, folder):
            if link.is_symlink():
                outcome.status = "failed"
                outcome.reason = (f"submitted/{student}" + ("" if link == folder.parent else
                                                           f"/{assignment}") +
                                  " is a link to another folder, not a hand-in; it was not "
                                  "followed: copy the participant's files in instead")
                return outcome, []
        with self.gradebook() as gb, quiet():
            try:
                gb.find_student(student)
            except MissingEntry:
                if not self.config.Autograde.get("create_student", True):
                    outcome.status = "failed"
                    outcome.reason = "not a participant of this course (not in the gradebook)"
                    return outcome, []
                outcome.notes.append("not in the class list; added to the gradebook")
        present = [nb for nb in notebooks if (folder / f"{nb}.ipynb").exists()
                   or (folder / f"{nb}.ipynb").is_symlink()]
        others = sorted(p.name for p in folder.glob("*.ipynb") if p.stem not in notebooks)
        if others:
            outcome.notes.append("not graded (not part of the assignment): " + ", ".join(others))
        if not present:
            expected = ", ".join(f"{nb}.ipynb" for nb in notebooks)
            found = f"; found {', '.join(others)}" if others else ""
            outcome.status = "missing"
            outcome.reason = f"no notebook submitted: expected {expected}{found}"
        else:
            outcome.notes += [f"{nb}.ipynb was not submitted; it scores zero"
                              for nb in notebooks if nb not in present]
        return outcome, present

    def record_submission(self, outcome: Outcome, notebooks: list[str],
                          present: list[str]) -> None:
        """Create the submission in the gradebook as nbgrader does, once it is graded.

        Done only when the worker's results are in, so that a run that is stopped never
        leaves a submission in the gradebook with zero points it did not earn: it is
        simply not graded yet.
        """
        student, assignment = outcome.student, outcome.assignment
        if outcome.status == "failed" and not present:
            return  # not a participant, or not a valid id: nothing to record
        folder = self.path(self.coursedir.submitted_directory, student, assignment)
        with self.gradebook() as gb, quiet():
            if not self._known(gb, student):
                gb.update_or_create_student(student)
            timestamp = self._timestamp(folder, outcome.notes)
            kwargs = {"timestamp": timestamp} if timestamp else {}
            gb.update_or_create_submission(assignment, student, **kwargs)
            for nb in notebooks:
                if nb in present:
                    continue
                submission = gb.find_submission_notebook(nb, assignment, student)
                for grade in submission.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                gb.db.commit()

    @staticmethod
    def _known(gb, student: str) -> bool:
        from nbgrader.api import MissingEntry

        try:
            gb.find_student(student)
        except MissingEntry:
            return False
        return True

    def save(self, job: Job, result: JobResult, outcome: Outcome) -> None:
        """Write grades and graded notebooks of a finished job; mirror nbgrader on failure."""
        from nbformat import reads

        dest = self.path(self.coursedir.autograded_directory, job.student, job.assignment)
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        max_bytes = int(self.coursedir.max_file_size) * 1024
        copy_files(Path(job.submitted), dest, ignore=self.coursedir.ignore, max_bytes=max_bytes)
        exclude = (self.config.Autograde.get("exclude_overwriting", {}) or {}).get(
            job.assignment, [])
        copy_files(Path(job.source), dest, ignore=self.coursedir.ignore, exclude=exclude,
                   max_bytes=max_bytes)
        outcome.notes += result.notes
        outcome.seconds = result.seconds
        failure = ""
        for run in result.runs:
            outcome.notes += [n for n in run.notes if n not in outcome.notes]
            if not run.ok:
                failure = run.reason
                break
            with collecting_notes() as (log, notes), quiet():
                try:
                    writers = [pp(config=self.config, log=log) for pp in self.writers]
                    exporter = make_exporter(writers, self.config, log)
                    resources = {"nbgrader": {"student": job.student, "assignment": job.assignment,
                                              "notebook": run.name, "db_url": self.db_url}}
                    output, _ = exporter.from_notebook_node(reads(run.notebook, as_version=4),
                                                            resources)
                except Exception as exc:
                    failure = f"{run.name}.ipynb: {explain(exc)}"
                    break
                finally:
                    outcome.notes += [n for n in notes if n not in outcome.notes]
            target = dest / f"{run.name}.ipynb"
            target.write_text(output, encoding="utf-8")
            outcome.notebooks.append(run.name)
        if failure:  # as nbgrader: no graded copy of a submission that failed
            shutil.rmtree(dest, ignore_errors=True)
            outcome.status, outcome.reason = "failed", failure
        else:
            for path in dest.rglob("*"):
                if path.is_file():
                    path.chmod(0o444)

    def fill_scores(self, outcome: Outcome) -> None:
        """Copy a submission's total from the gradebook into its outcome.

        ``needs_manual_grade`` says whether points still await the trainer
        (:class:`~consortia.grading.marks.Total`), as the feedback and the report say
        it: a cell marked before this run stays marked, although nbgrader flags it for
        review once it is graded again.
        """
        from nbgrader.api import MissingEntry

        from consortia.grading.marks import Total, grand_total, hand_marked

        with self.gradebook() as gb:
            try:
                submission = gb.find_submission(outcome.assignment, outcome.student)
            except MissingEntry:
                outcome.max_score = float(gb.find_assignment(outcome.assignment).max_score)
                return
            notebooks = {nb.name: nb for nb in gb.find_assignment(outcome.assignment).notebooks}
            total = grand_total({nb.notebook.name: Total.of_grades(
                nb.grades, hand_marked(notebooks[nb.notebook.name]))
                for nb in submission.notebooks}).of_status(outcome.status)
            outcome.score = float(submission.score)
            outcome.max_score = float(submission.max_score)
            outcome.late_penalty = float(submission.late_submission_penalty or 0)
            outcome.needs_manual_grade = total.awaiting > 0

    def students(self) -> list[str]:
        with self.gradebook() as gb:
            return sorted(s.id for s in gb.students)

    def snapshot(self, folder: Path) -> str:
        """A read-only copy of the gradebook for the workers (sqlite), or the same URL."""
        import sqlite3

        from nbgrader.api import Gradebook

        # nbgrader's own preprocessors open the gradebook without a course id, which adds
        # a 'default_course' row (stock nbgrader autograde does the same); add it now, so
        # that workers only ever read their copy
        with Gradebook(self.db_url):
            pass
        prefix = "sqlite:///"
        if not self.db_url.startswith(prefix):
            return self.db_url
        target = folder / f"snapshot-{os.getpid()}.db"
        source = sqlite3.connect(self.db_url[len(prefix):])
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return prefix + str(target)


