"""Generate ``exercises/`` (what participants get) from ``solutions/`` with nbgrader.

``solutions/`` is nbgrader's source folder and ``exercises/`` its release folder.
The release is never edited by hand: regenerate it after any change to a solution
notebook with::

    .venv/bin/python -m consortia.grading.release          # rewrite exercises/
    .venv/bin/python -m consortia.grading.release --check  # exit 1 if out of date

Under the hood this builds a throw-away nbgrader course folder, copies the solution
notebooks into its ``source/``, writes the kit's ``nbgrader_config.py`` there and
runs, in that folder, exactly::

    python -m nbgrader generate_assignment "*" --force

then copies ``release/<assignment>/`` to ``exercises/<assignment>/``. Only the
notebooks of ``solutions/<assignment>/`` are copied (never a ``plan.json`` or other
file left over from running a solution), so nothing but the released notebooks can
reach participants.

The grading pipeline reuses :data:`NBGRADER_CONFIG`, :func:`prepare_course` and
:func:`run_nbgrader` for its own course folders, so that assignments are generated
and graded with the same settings everywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: The checkout this package runs from.
REPO = Path(__file__).resolve().parents[3]
SOLUTIONS_DIR = REPO / "solutions"
EXERCISES_DIR = REPO / "exercises"

#: The command run in the course folder to generate every assignment's release.
GENERATE_COMMAND = ("generate_assignment", "*", "--force")

#: nbgrader settings of every course folder of the kit.
#:
#: The code stub is empty: an answer cell keeps its first line (``answer_1 = ""``,
#: ``my_case = ""``...) and loses only the solution, so a participant types a value
#: between the quotes instead of deleting ``raise NotImplementedError()``. An
#: unanswered question then fails its test with a plain message, not a traceback.
NBGRADER_CONFIG = '''\
# nbgrader settings of the origin-consortium course kit (written by
# consortia.grading.release; edit NBGRADER_CONFIG there, not this copy).
c = get_config()
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
'''


class ReleaseError(RuntimeError):
    """nbgrader failed; the message holds the end of its output."""


def assignments(solutions_dir: Path | str = SOLUTIONS_DIR) -> list[str]:
    """The assignments of ``solutions/``: its sub-folders that hold a notebook, sorted."""
    folder = Path(solutions_dir)
    return sorted(p.name for p in folder.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader: this interpreter's ``bin`` first on ``PATH``.

    nbgrader runs ``alembic`` as a program to set up the gradebook, so it must be
    found even when the venv is not activated.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_nbgrader(course_dir: Path | str, *args: str, timeout: float = 600,
                 strict: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m nbgrader <args>`` in a course folder and return the finished process.

    Raises :class:`ReleaseError` with the end of nbgrader's output if it exits with an
    error or, when ``strict``, if it logs an ERROR line (nbgrader logs a notebook it
    could not process and carries on with the next).
    """
    command = [sys.executable, "-m", "nbgrader", *args]
    done = subprocess.run(command, cwd=course_dir, env=nbgrader_env(), capture_output=True,
                          text=True, timeout=timeout, check=False)
    failed = done.returncode != 0 or (strict and "| ERROR]" in done.stderr)
    if failed:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        raise ReleaseError(f"'nbgrader {' '.join(args)}' failed in {course_dir}:\n{tail}")
    return done


def write_config(course_dir: Path | str) -> Path:
    """Write the kit's ``nbgrader_config.py`` into a course folder; return its path."""
    path = Path(course_dir) / "nbgrader_config.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NBGRADER_CONFIG, encoding="utf-8")
    return path


def prepare_course(course_dir: Path | str, solutions_dir: Path | str = SOLUTIONS_DIR,
                   names: list[str] | None = None) -> Path:
    """Set up an nbgrader course folder whose ``source/`` holds the solution notebooks.

    Writes ``nbgrader_config.py`` and copies ``solutions/<assignment>/*.ipynb`` (and
    nothing else) to ``source/<assignment>/``, replacing earlier copies.
    """
    course = Path(course_dir)
    write_config(course)
    for name in names or assignments(solutions_dir):
        target = course / "source" / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for notebook in sorted((Path(solutions_dir) / name).glob("*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)
    return course


def generate_release(out_dir: Path | str, *, course_dir: Path | str | None = None,
                     solutions_dir: Path | str = SOLUTIONS_DIR) -> list[Path]:
    """Generate every assignment's release into ``out_dir/<assignment>/``; return the notebooks.

    ``course_dir`` keeps the nbgrader course folder used (with its ``source/``,
    ``release/`` and ``gradebook.db``, ready for autograding); by default a temporary
    one is used and removed. Each ``out_dir/<assignment>/`` is replaced; other files
    in ``out_dir`` (such as its README) are left alone.
    """
    out = Path(out_dir)
    names = assignments(solutions_dir)
    with tempfile.TemporaryDirectory(prefix="consortia-release-") as scratch:
        course = Path(course_dir) if course_dir else Path(scratch)
        prepare_course(course, solutions_dir, names)
        run_nbgrader(course, *GENERATE_COMMAND)
        written = []
        for name in names:
            target = out / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(course / "release" / name, target)
            written += sorted(target.glob("*.ipynb"))
    return written


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts}


def _notebook_differences(name: str, expected: Path, found: Path) -> list[str]:
    want = json.loads(expected.read_text(encoding="utf-8"))
    have = json.loads(found.read_text(encoding="utf-8"))
    if want == have:
        return []
    differences = []
    if want.get("metadata") != have.get("metadata"):
        differences.append(f"{name}: notebook metadata differs")
    want_cells, have_cells = want.get("cells", []), have.get("cells", [])
    if len(want_cells) != len(have_cells):
        differences.append(f"{name}: {len(have_cells)} cells, the release has {len(want_cells)}")
    for index, (a, b) in enumerate(zip(want_cells, have_cells, strict=False)):
        if a != b:
            grade_id = a.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
            label = f" ({grade_id})" if grade_id else ""
            differences.append(f"{name}: cell {index}{label} differs")
    return differences or [f"{name}: differs"]


def compare_release(generated_dir: Path | str,
                    exercises_dir: Path | str = EXERCISES_DIR) -> list[str]:
    """Differences between a freshly generated release and ``exercises/`` (empty if none).

    Only assignment folders are compared (a README beside them is not); notebooks
    are compared as JSON, so only content counts, not formatting.
    """
    generated, committed = Path(generated_dir), Path(exercises_dir)
    problems = []
    names = sorted({p.name for p in generated.iterdir() if p.is_dir()}
                   | {p.name for p in committed.iterdir() if p.is_dir()
                      and not p.name.startswith(".")})
    for name in names:
        want, have = generated / name, committed / name
        if not have.is_dir():
            problems.append(f"{name}: missing from {committed.name}/")
            continue
        if not want.is_dir():
            problems.append(f"{name}: in {committed.name}/ but not in solutions/")
            continue
        want_files, have_files = _files(want), _files(have)
        for extra in sorted(set(have_files) - set(want_files)):
            problems.append(f"{name}/{extra}: not part of the release; remove it")
        for lost in sorted(set(want_files) - set(have_files)):
            problems.append(f"{name}/{lost}: missing")
        for common in sorted(set(want_files) & set(have_files)):
            if common.endswith(".ipynb"):
                problems += _notebook_differences(f"{name}/{common}", want_files[common],
                                                  have_files[common])
            elif want_files[common].read_bytes() != have_files[common].read_bytes():
                problems.append(f"{name}/{common}: differs")
    return problems


def release_differences(exercises_dir: Path | str = EXERCISES_DIR,
                        solutions_dir: Path | str = SOLUTIONS_DIR, *,
                        course_dir: Path | str | None = None) -> list[str]:
    """Generate the release afresh and list how ``exercises/`` differs from it.

    ``course_dir`` keeps the nbgrader course folder used, as in :func:`generate_release`
    (a test can then autograde in it without generating the assignments again).
    """
    with tempfile.TemporaryDirectory(prefix="consortia-release-check-") as scratch:
        generated = Path(scratch) / "release"
        generate_release(generated, course_dir=course_dir or Path(scratch) / "course",
                         solutions_dir=solutions_dir)
        return compare_release(generated, exercises_dir)


def release_is_current(exercises_dir: Path | str = EXERCISES_DIR,
                       solutions_dir: Path | str = SOLUTIONS_DIR, *,
                       course_dir: Path | str | None = None) -> bool:
    """True if ``exercises/`` is exactly what nbgrader generates from ``solutions/``."""
    return not release_differences(exercises_dir, solutions_dir, course_dir=course_dir)


def _remove_stale(exercises_dir: Path, keep: list[str]) -> list[str]:
    removed = []
    for folder in sorted(exercises_dir.iterdir()):
        if folder.is_dir() and folder.name not in keep and any(folder.glob("*.ipynb")):
            shutil.rmtree(folder)
            removed.append(folder.name)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m consortia.grading.release",
        description="Regenerate exercises/ from solutions/ with nbgrader generate_assignment.",
    )
    parser.add_argument("--check", action="store_true",
                        help="only check that exercises/ is up to date (exit 1 if not)")
    parser.add_argument("--out", type=Path, default=EXERCISES_DIR,
                        help="where to write the release (default: exercises/)")
    args = parser.parse_args(argv)
    if not SOLUTIONS_DIR.is_dir():
        print(f"No solutions/ folder at {SOLUTIONS_DIR}: run this from a checkout of the kit.")
        return 2
    if args.check:
        differences = release_differences(args.out)
        if differences:
            print(f"{args.out} is out of date with solutions/:")
            print("\n".join(f"  - {line}" for line in differences))
            print("Regenerate it with: .venv/bin/python -m consortia.grading.release")
            return 1
        print(f"{args.out} is up to date with solutions/.")
        return 0
    written = generate_release(args.out)
    removed = _remove_stale(Path(args.out), assignments())
    for path in written:
        print(f"wrote {path}")
    for name in removed:
        print(f"removed {Path(args.out) / name} (no longer in solutions/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
