"""Repository-wide promises: layout, the two commands, and no personal contact details."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".ipynb", ".toml", ".txt", ".cfg", ".csv", ".json"}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{3,4}\)?[\s.-]\d{3}[\s.-]\d{3,4}\b")
ADDRESS = re.compile(
    r"\b\d{1,5},?\s+(?:[A-Z][a-z]+\s){0,3}(?:Street|St\.|Avenue|Ave\.|Road|Av\.|Avenida)\b"
)


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    return [REPO / name for name in listed if name and Path(name).suffix in TEXT_SUFFIXES
            and (REPO / name).is_file()]


def test_there_are_files_to_scan():
    assert len(tracked_text_files()) > 20


@pytest.mark.parametrize(("label", "pattern"), [("e-mail", EMAIL), ("phone", PHONE),
                                                ("postal address", ADDRESS)])
def test_no_contact_details_anywhere(label, pattern):
    hits = []
    for path in tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        hits += [f"{path.relative_to(REPO)}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert not hits, f"possible {label} in the kit: {hits[:5]}"


def test_the_scanner_catches_contact_details():
    # written in pieces so that this file does not trip its own scan
    assert EMAIL.search("write to someone" + "@" + "example.org")
    assert PHONE.search("call +1 246 " + "555 0199")
    assert ADDRESS.search("229 South " + "Road, Georgetown")
    assert not PHONE.search("9,000 breads a week, 1,372 workers, 2013-2015")


@pytest.mark.parametrize("folder", ["course", "exercises", "case_studies", "solutions", "tests"])
def test_each_top_folder_says_what_belongs_there(folder):
    readme = REPO / folder / "README.md"
    assert readme.is_file()
    assert len(readme.read_text(encoding="utf-8").split()) >= 25


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make lab" in readme
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def _recipe(makefile: str, target: str) -> str:
    """The commands of one Makefile target."""
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n?)+)", makefile, re.M)
    assert match, f"no target {target} in the Makefile"
    return match.group(1)


def test_both_commands_create_the_venv_themselves():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lab: \$\(STAMP\)", makefile, re.M)
    assert re.search(r"^test: \$\(TEST_STAMP\)", makefile, re.M)
    assert re.search(r"^\$\(TEST_STAMP\): \$\(STAMP\)", makefile, re.M)
    assert "-m venv" in makefile
    # make lab makes the learner's own copy and opens its start page (consortia lab)
    assert "$(BIN)/consortia lab" in _recipe(makefile, "lab")


def test_make_lab_installs_what_learners_need_and_make_test_adds_the_test_tools():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    tools = {"pytest", "nbval", "ruff", "playwright"}
    names = {re.split(r"[<>=\[ ]", dep, maxsplit=1)[0].lower()
             for dep in project["dependencies"]}
    assert not names & tools, "test tools in the learners' dependencies"
    extra = {re.split(r"[<>=\[ ]", d, maxsplit=1)[0].lower()
             for d in project["optional-dependencies"]["test"]}
    assert tools <= extra
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    learners = _recipe(makefile, "$(STAMP)")
    assert "pip install" in learners and "-e ." in learners and "[test]" not in learners
    assert "-e '.[test]'" in _recipe(makefile, "$(TEST_STAMP)")
    # the conda route installs what make lab installs
    environment = (REPO / "environment.yml").read_text(encoding="utf-8")
    installs = re.findall(r"^\s+- (-e .*)$", environment, re.M)
    assert installs == ["-e ."]


def test_the_learners_copy_is_never_committed():
    ignored = subprocess.run(["git", "check-ignore", "-q", "my_course/course/x.ipynb"],
                             cwd=REPO)
    assert ignored.returncode == 0
