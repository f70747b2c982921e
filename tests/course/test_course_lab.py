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
