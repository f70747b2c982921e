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

The settings come from :mod:`consortia.grading.nbgrader_course`, which every cohort's
course folder (``consortia workshop new``) uses too, so that assignments are generated
and graded with the same settings everywhere.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from consortia._paths import exercises_dir, solutions_dir
from consortia.grading.nbgrader_course import (
    NbgraderError,
    config_text,
    find_assignments,
    nbgrader_env,
    run_nbgrader,
)

__all__ = ["EXERCISES_DIR", "GENERATE_COMMAND", "NBGRADER_CONFIG", "SOLUTIONS_DIR",
           "ReleaseError", "assignments", "compare_release", "generate_release", "nbgrader_env",
           "prepare_course", "release_differences", "release_is_current", "run_nbgrader",
           "write_config"]

SOLUTIONS_DIR = solutions_dir()
EXERCISES_DIR = exercises_dir()

#: The command run in the course folder to generate every assignment's release.
GENERATE_COMMAND = ("generate_assignment", "*", "--force")

#: The ``nbgrader_config.py`` of the course folder the release is generated in.
NBGRADER_CONFIG = config_text(written_by="consortia.grading.release")

#: nbgrader failed; the message holds the end of its output.
ReleaseError = NbgraderError


def assignments(solutions_dir: Path | str = SOLUTIONS_DIR) -> list[str]:
    """The assignments of ``solutions/``: its sub-folders that hold a notebook, sorted."""
    return find_assignments(solutions_dir)


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
