"""Every lesson notebook has the parts a lesson promises (the syllabus names them).

A lesson opens with its questions and objectives and closes with its key points,
both rendered from ``course/syllabus.yaml``; it teaches with real case data; it has
at least one self-check whose questions exist; it carries notes for trainers; its
depth sits in folded "Going further" cells; and every cell has slide metadata so a
trainer can present it.
"""

from __future__ import annotations

import json
import re

import pytest

from consortia.course import cells, outline, reading, self_checks

LESSONS = [item for item in outline.lessons() if item.id != "00"]


def _cells(item):
    path = outline.course_dir() / item.file
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _code(cells):
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_opens_with_header_and_closes_with_key_points(item):
    code = _code(_cells(item))
    assert f'lesson_header("{item.id}")' in code[0]
    assert f'lesson_footer("{item.id}")' in code[-1]


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_has_self_checks_that_exist(item):
    code = "\n".join(_code(_cells(item)))
    used = re.findall(r'self_check\("([a-z0-9-]+)"\)', code)
    assert used, f"{item.file} has no self-check"
    known = self_checks.all_checks()
    for check_id in used:
        assert check_id in known, f"{item.file} uses unknown self-check {check_id}"


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_has_trainer_notes(item):
    tagged = [c for c in _cells(item) if "trainer" in c["metadata"].get("tags", [])]
    assert tagged, f"{item.file} has no cell tagged 'trainer'"
    assert all(c["cell_type"] == "markdown" for c in tagged)


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_teaches_with_real_case_data_and_sources(item):
    cells = _cells(item)
    code = "\n".join(_code(cells))
    assert re.search(r"\bcases\.|case_views\.|new_plan\(|ProductReadiness|readiness\.", code), (
        f"{item.file} does not use the case data"
    )
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert re.search(r"§\d+", text), f"{item.file} cites no paragraph of the report"


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_every_cell_has_slide_metadata(item):
    for index, cell in enumerate(_cells(item)):
        assert "slide_type" in cell["metadata"].get("slideshow", {}), f"cell {index}"


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_sustains_its_minutes(item):
    """At least 25 words of core text per teaching minute: shortening never empties a lesson.

    The upper limit (60 a minute) and the Flesch score are held by test_reading.py.
    """
    figures = reading.lesson_reading(item.id)
    assert figures.core_words >= 25 * item.teaching_minutes, (
        f"{item.file}: only {figures.core_words} words of core text")


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.file)
def test_going_further_cells_are_markdown_and_folded(item):
    more = [c for c in _cells(item) if cells.MORE in c["metadata"].get("tags", [])]
    assert more, f"{item.file} has no 'Going further' cell"
    for cell in more:
        text = "".join(cell["source"])
        assert cell["cell_type"] == "markdown"
        assert cells.is_folded(text), f"{item.file}: a 'more' cell is not wrapped in <details>"
        assert text.startswith(f"<details><summary><b>{cells.MORE_SUMMARY}</b>"), text[:80]
        assert "trainer" not in cell["metadata"]["tags"]


def test_capstone_waits_for_the_team_to_name_its_case(tmp_path):
    """Run All on lesson 09 must not start a plan from a case the team never chose.

    The committed notebook leaves TEAM_CASE empty; run top to bottom it shows a clear
    reminder where the planner would be, makes no plan file, and every later cell
    still runs.
    """
    import nbformat
    from nbclient import NotebookClient

    item = outline.lesson("09")
    nb = nbformat.read(outline.course_dir() / item.file, as_version=4)
    code = _code(json.loads((outline.course_dir() / item.file).read_text(encoding="utf-8"))
                 ["cells"])
    assert any('TEAM_CASE = ""' in c for c in code)
    assert not any('case="' in c for c in code if "PhasePlanner(" in c)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not list(tmp_path.glob("my_plan*")), "a plan file was made before a case was named"
    planner_cell = next(c for c in nb.cells
                        if c.cell_type == "code" and "PhasePlanner(" in c.source)
    shown = json.dumps(planner_cell.outputs)
    assert "Choose your case first" in shown and "No plan file has been made yet" in shown
