"""The learner's personal copy of the course: made once, kept, never overwritten.

Running a lesson in JupyterLab saves its outputs into the notebook, and the planner
writes ``my_plan.json`` beside it. Done in the kit's own ``course/``, that changes
files under version control (``git status`` shows them modified, and the next
``git pull`` clashes). So ``make lab`` (``consortia lab``) first makes a personal
copy, ``my_course/`` at the kit's root (git-ignored; :func:`consortia._paths.learner_dir`),
and JupyterLab serves that copy only. The copy mirrors the kit's folders, so the
links between notebooks keep working::

    my_course/
      course/        the lessons and the trainer's guide (and setup.md, learner_profiles.md)
      case_studies/  the case notebooks
      exercises/     the graded exercises, one folder each (answers and plan.json land here)
      README.md      what this folder is
      .kit_copy.json what was copied, from which version of each kit file

Each time, :func:`prepare` copies what is missing (the first time: everything; later:
lessons the kit has added since) and leaves every existing file alone. A kit file
that changed since it was copied is reported, with what to do to take the new
version; the learner's copy is never replaced. In the copies, the notes for trainers
are set apart and folded (:mod:`consortia.course.notes`); nothing else changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from consortia._paths import case_studies_dir, course_dir, exercises_dir, learner_dir
from consortia.course import notes
from consortia.errors import InputError
from consortia.storage import read_json, write_json_atomic, write_text_atomic

#: What is copied: (folder in the copy, where the kit keeps it, file patterns).
#: Data (syllabus, self-checks, case YAML) is never copied: the package reads the
#: kit's own, so there is one copy of each fact. ``solutions/`` is never copied.
SOURCES: tuple[tuple[str, Callable[[], Path], tuple[str, ...]], ...] = (
    ("course", course_dir, ("*.ipynb", "setup.md", "learner_profiles.md")),
    ("case_studies", case_studies_dir, ("*.ipynb",)),
    ("exercises", exercises_dir, ("*/*.ipynb",)),
)
#: The record of what was copied, inside the copy.
MANIFEST = ".kit_copy.json"
MANIFEST_VERSION = 1
#: The first page a learner opens, relative to the copy.
START_PAGE = "course/00_start_here.ipynb"

README = """# my_course: your own copy of the course

This folder is yours. The kit made it the first time you ran `make lab`, from the
kit's `course/`, `case_studies/` and `exercises/` folders, and JupyterLab shows only
this folder. Run the lessons, change them, type your answers and build your plan
here: the kit's own files never change, so updating the kit (`git pull`) is always
safe, and nothing here is ever overwritten.

- `course/` holds the lessons: start with `00_start_here.ipynb`. Your plan from the
  capstone (`my_plan.json`) is saved here too.
- `case_studies/` holds one notebook per case.
- `exercises/` holds the graded exercises. Hand in the notebook (and `plan.json` for
  the action plan) from here.

When the kit adds a lesson, `make lab` copies it in. When the kit changes a lesson you
already have, `make lab` tells you and keeps yours. To take the new version, rename
or delete your copy of that file, then run `make lab` again.

Your self-check answers are kept in `.self_checks.json` (a hidden file).
"""


@dataclass
class CopyReport:
    """What :func:`prepare` did, file by file (paths relative to the copy)."""

    folder: Path
    created: bool = False
    copied: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    changed_in_kit: list[str] = field(default_factory=list)
    kept: int = 0

    def lines(self) -> list[str]:
        """The report in plain words, one line each, for the terminal."""
        where = self.folder
        if self.created:
            found = [f"Made your own copy of the course in {where} ({len(self.copied)} "
                     "files). You work there; the kit's own files never change."]
        else:
            found = [f"Your copy of the course: {where} ({self.kept} files kept as you "
                     "left them)."]
            if self.copied:
                found.append(f"New in the kit, copied in: {', '.join(self.copied)}.")
        if self.restored:
            found.append(f"Missing from your copy, copied again: {', '.join(self.restored)}.")
        for name in self.changed_in_kit:
            found.append(
                f"The kit has a newer version of {name}; yours is kept. To take the new "
                f"version, rename or delete {where / name}, then run make lab again.")
        return found


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kit_files() -> dict[str, Path]:
    """Every kit file the copy holds: ``{"course/00_start_here.ipynb": source path}``."""
    found: dict[str, Path] = {}
    for name, location, patterns in SOURCES:
        root = location()
        for pattern in patterns:
            for path in sorted(root.glob(pattern)):
                if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                    found[f"{name}/{path.relative_to(root).as_posix()}"] = path
    return dict(sorted(found.items()))


def learner_version(source: Path) -> bytes:
    """The file as it goes into the learner's copy: notebooks get their trainer notes
    set apart and folded; everything else is copied byte for byte."""
    data = source.read_bytes()
    if source.suffix != ".ipynb":
        return data
    notebook = json.loads(data.decode("utf-8"))
    if not notes.set_apart_cells(notebook.get("cells", []), folded=True):
        return data
    return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _manifest(folder: Path) -> dict[str, str]:
    data = read_json(folder / MANIFEST, default={})
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    files = data.get("files", {})
    return {k: v for k, v in files.items() if isinstance(v, str)} if isinstance(files, dict) \
        else {}


def prepare(folder: Path | str | None = None) -> CopyReport:
    """Make or update the learner's copy in ``folder`` (default ``my_course/``).

    Copies every kit file the copy lacks and never touches a file that is there.
    Each file is written whole or not at all. Raises :class:`InputError` when the
    folder cannot be used (it is a file, or it lies inside the kit's own folders).
    """
    folder = Path(folder or learner_dir())
    _check_location(folder)
    report = CopyReport(folder=folder, created=not folder.exists())
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create your copy of the course in {folder}: "
                         f"{exc.strerror or exc}; choose a folder you can write to") from exc
    recorded = _manifest(folder)
    manifest = dict(recorded)
    for name, source in kit_files().items():
        target = folder / name
        digest = _digest(source.read_bytes())
        if target.exists():
            if name not in recorded:
                manifest[name] = digest  # a copy made before the manifest existed: adopt it
            elif recorded[name] != digest:
                report.changed_in_kit.append(name)
            report.kept += 1
            continue
        write_text_atomic(target, learner_version(source).decode("utf-8"))
        (report.restored if name in recorded else report.copied).append(name)
        manifest[name] = digest
    readme = folder / "README.md"
    if not readme.exists():
        write_text_atomic(readme, README)
    write_json_atomic(folder / MANIFEST, {"version": MANIFEST_VERSION, "files": manifest})
    return report


def _check_location(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file; your copy of the course needs a folder")
    resolved = folder.resolve()
    for _, location, _ in SOURCES:
        kit = location().resolve()
        if resolved == kit or resolved.is_relative_to(kit):
            raise InputError(f"{folder} is inside the kit's own {kit.name}/ folder; put "
                             "your copy of the course somewhere else (the default is "
                             "my_course/ at the kit's root)")
