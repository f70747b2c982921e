"""Tests of consortia.course.lab: the command line and settings of the learners' lab."""

from __future__ import annotations

import json
import sys

from consortia.course import lab


def test_the_lab_serves_the_learners_copy_and_opens_the_start_page(tmp_path):
    command = lab.lab_command(tmp_path / "my_course", port=8899, open_browser=False)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={(tmp_path / 'my_course').resolve()}" in command
    assert "--LabApp.default_url=/lab/tree/course/00_start_here.ipynb" in command
    assert f"--LabApp.app_settings_dir={lab.SETTINGS_DIR}" in command
    assert "--ServerApp.open_browser=False" in command


def test_the_kits_config_comes_first_and_the_command_is_on_the_path():
    env = lab.lab_environment({"PATH": "/usr/bin", "JUPYTER_CONFIG_PATH": "/elsewhere"})
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == str(lab.CONFIG_DIR)
    assert "/elsewhere" in env["JUPYTER_CONFIG_PATH"]
    assert env["PATH"].split(":")[0] == str(__import__("pathlib").Path(sys.executable).parent)


def test_the_shipped_settings_switch_off_news_and_instructor_menus():
    settings = json.loads((lab.SETTINGS_DIR / "overrides.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    page = json.loads((lab.CONFIG_DIR / "labconfig" / "page_config.json").read_text())
    for plugin in ("create-assignment", "formgrader", "menu"):
        assert page["disabledExtensions"][f"@jupyter/nbgrader:{plugin}"] is True
    server = json.loads((lab.CONFIG_DIR / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"][
        "nbgrader.server_extensions.formgrader"] is False
    # presenting runs the lesson first, then opens RISE full screen
    shortcut = settings["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"][0]
    assert shortcut["keys"] == ["Alt R"]
    assert shortcut["args"] == {"commands": ["notebook:run-all-cells", "RISE:preview"],
                                "args": {"fullscreen": True}}


def test_no_nbgrader_part_that_needs_the_exchange_is_on_in_the_learners_lab():
    """The Nbgrader menu once answered "The exchange directory at /usr/local/share/nbgrader/
    exchange does not exist": every part that reads the exchange is off, Validate stays."""
    page = json.loads((lab.CONFIG_DIR / "labconfig" / "page_config.json").read_text())
    for plugin in ("assignment-list", "course-list", "menu", "formgrader"):
        assert page["disabledExtensions"][f"@jupyter/nbgrader:{plugin}"] is True
    assert "@jupyter/nbgrader:validate-assignment" not in page["disabledExtensions"]
    server = json.loads((lab.CONFIG_DIR / "jupyter_server_config.json").read_text())
    switched = server["ServerApp"]["jpserver_extensions"]
    for extension in ("assignment_list", "course_list", "formgrader"):
        assert switched[f"nbgrader.server_extensions.{extension}"] is False
    assert "nbgrader.server_extensions.validate_assignment" not in switched


def test_the_running_learners_lab_answers_no_exchange_request(tmp_path):
    """The lab as make lab starts it: the exchange's server routes are not there at all."""
    import os
    import subprocess
    import time
    import urllib.error
    import urllib.request

    from consortia.plans.app import free_port

    port, token = free_port(), "learner-test-token"
    env = lab.lab_environment(dict(os.environ, JUPYTER_TOKEN=token,
                                   JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                                   JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime")))
    (tmp_path / "copy").mkdir()
    command = [*lab.lab_command(tmp_path / "copy", port=port, open_browser=False),
               "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)

    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}?token={token}",
                                        timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if status("api/status") == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert process.poll() is None and time.monotonic() < deadline, "no JupyterLab"
            time.sleep(0.5)
        for route in ("assignments", "courses", "formgraders", "formgrader"):
            assert status(route) == 404, route
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
