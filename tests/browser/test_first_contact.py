"""First contact: the address ``make lab`` prints, opened in Chromium, as a learner would.

The server is started with the very command line the Makefile's ``lab`` target runs
(read with ``make -n``), on a free loopback port, with the learner's copy, Jupyter's
config, settings and workspaces in a temporary folder, so that neither the kit nor
the tester's home is touched. The address is the one the server prints.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

START = "course/00_start_here.ipynb"


def kit_notebooks() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((REPO / "course").glob("*.ipynb"))}




def wait_for_kernel(page, address: str, relative: str, timeout_s: float = 90) -> None:
    """Wait until the server says the notebook's kernel is idle (the page may say "Idle"
    before a kernel exists)."""
    api = re.sub(r"/lab/tree/.*\?", "/api/sessions?", address)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        sessions = page.request.get(api).json()
        if [s["kernel"]["execution_state"] for s in sessions
                if s["path"] == relative and s.get("kernel")] == ["idle"]:
            return
        time.sleep(0.3)
    pytest.fail(f"no idle kernel for {relative} after {timeout_s:.0f} s", pytrace=False)


def test_the_printed_address_opens_lesson_00_of_the_learners_copy(page, learner_lab,
                                                                   screenshot):
    address, state = learner_lab
    assert f"/lab/tree/{START}?token=" in address
    assert (state / "my_course" / START).is_file()  # made by make lab, from course/

    page.goto(address)
    panel = page.locator(".jp-NotebookPanel").filter(visible=True)
    panel.locator(".jp-Cell").first.wait_for()
    current = page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert "00_start_here.ipynb" in current.all_inner_texts()
    time.sleep(4)  # the news question would appear within a second or two
    screenshot("landing")
    assert "Jupyter news" not in page.locator("body").inner_text()
    assert page.locator(".Toastify__toast").count() == 0
    menus = [text.strip() for text in page.locator(".lm-MenuBar-item").all_inner_texts()]
    assert "File" in menus and "Nbgrader" not in menus, menus
    assert page.get_by_text("Create Assignment").count() == 0
    formgrader = page.request.get(address.replace(f"lab/tree/{START}", "formgrader"))
    assert formgrader.status == 404  # nbgrader's server part is off too

    # trainer notes: set apart and folded in the learner's copy
    note = panel.locator("details.kit-trainer-note").first
    assert note.is_visible() and note.get_attribute("open") is None
    assert not panel.get_by_text("the first 20 minutes of a workshop").first.is_visible()


def test_a_learner_runs_lesson_00_in_their_copy_and_moves_on(page, learner_lab, screenshot):
    address, state = learner_lab
    before = kit_notebooks()
    page.goto(address.replace(f"/lab/tree/{START}", f"/lab/workspaces/run/tree/{START}")
              + "&reset")
    panel = page.locator(".jp-NotebookPanel").filter(visible=True)
    panel.locator(".jp-Cell").first.wait_for()
    wait_for_kernel(page, address, START)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    footer = panel.locator(".kit-lesson-footer")
    footer.wait_for()
    assert "1 of" in footer.inner_text()  # "lesson 00, 1 of the N lessons of the course"

    # the self-check: an answer is recorded in the learner's copy
    quiz = panel.locator(".widget-radio-box").first
    quiz.scroll_into_view_if_needed()
    quiz.locator("input").nth(1).check()
    panel.get_by_role("button", name="Check my answer").first.click()
    panel.get_by_text("Self-checks done in lesson 00").first.wait_for()
    recorded = json.loads((state / "my_course" / ".self_checks.json").read_text())
    assert "start-six-month-phases" in recorded["checks"]
    screenshot("answered")

    # save, as JupyterLab does: the copy changes, the kit's own notebooks never do
    panel.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    page.locator(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty").wait_for(state="detached")
    saved = json.loads((state / "my_course" / START).read_text(encoding="utf-8"))
    assert any(cell.get("outputs") for cell in saved["cells"] if cell["cell_type"] == "code")
    assert kit_notebooks() == before

    # "Next lesson" is a link that opens lesson 01 of the same copy
    footer.scroll_into_view_if_needed()
    footer.get_by_role("link", name=re.compile(r"^01\. ")).click()
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text="01_why_work_together").wait_for()
    screenshot("next-lesson")


def test_presenting_runs_the_lesson_and_opens_the_slides_full_screen(page, learner_lab,
                                                                     screenshot):
    address, _ = learner_lab
    lesson = "course/02_ten_phases.ipynb"
    page.goto(address.replace(f"/lab/tree/{START}", f"/lab/workspaces/slides/tree/{lesson}")
              + "&reset")
    panel = page.locator(".jp-NotebookPanel").filter(visible=True)
    panel.locator(".jp-Cell").first.wait_for()
    wait_for_kernel(page, address, lesson)
    panel.locator(".jp-Cell").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("Alt+KeyR")
    dialog = page.locator(".jp-Dialog", has_text="Switch to full screen")
    dialog.wait_for()  # after every cell has run and the notebook is saved
    dialog.get_by_role("button", name="Ok").click()
    slides = page.frame_locator("iframe[src*='/rise/']")
    slides.locator(".reveal .slides section.present").first.wait_for()
    page.wait_for_function("""() => [...document.querySelectorAll('iframe')].some(
        f => f.contentDocument && f.contentDocument.fullscreenElement)""")
    screenshot("slides")
    present = slides.locator(".reveal .slides section.present").first
    assert "The ten phases" in present.inner_text()  # from the first slide
    assert slides.locator(".jp-OutputArea-output").count() > 0  # the outputs are shown
