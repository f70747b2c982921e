"""Tests of ``consortia workshop open DIR``: JupyterLab for a course, with formgrader, the
course's exchange and the marking page, at the one address the command prints.

The last test starts the real command (JupyterLab on a free loopback port) and stops
it with the signal a closed terminal or ``kill`` sends; tests/browser/test_marking.py
then uses the page in Chromium.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from consortia import cli
from consortia._paths import APPS_DIR, LAB_DIR
from consortia.grading import workshop
from consortia.grading.workshop import WorkshopError
from grading_fixtures import make_course

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("open"), ["ana", "ben"])


def test_a_folder_that_is_not_a_course_is_refused_with_the_command_to_make_one(tmp_path,
                                                                               capsys):
    with pytest.raises(WorkshopError, match="no such folder"):
        workshop.check_course_folder(tmp_path / "missing")
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    with pytest.raises(WorkshopError, match=r"has no gradebook\.db.*workshop new DIR"):
        workshop.check_course_folder(tmp_path)
    assert cli.main(["workshop", "open", str(tmp_path / "missing"), "--no-browser"]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert not (tmp_path / workshop.MARKING_NOTEBOOK).exists()


def test_a_port_in_use_is_refused_before_anything_starts(course):
    with socket.socket() as busy:
        busy.bind((workshop.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(WorkshopError, match=f"port {port} is already in use"):
            workshop.open_workshop(course, port=port, open_browser=False)


def test_the_marking_page_is_put_in_the_course_and_kept_up_to_date(course):
    page = course / workshop.MARKING_NOTEBOOK
    page.write_text("an old copy", encoding="utf-8")
    assert workshop.install_marking_page(course) == page
    assert page.read_bytes() == (APPS_DIR / workshop.MARKING_NOTEBOOK).read_bytes()
    assert not list(course.glob(".marking.*"))  # the temporary file became the page


def test_the_server_listens_on_this_computer_only_without_the_token_on_its_command_line(
        course):
    command = workshop.open_command(course, 8123)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={course}" in command
    assert "--ServerApp.ip=127.0.0.1" in command and "--ServerApp.port=8123" in command
    assert "--ServerApp.port_retries=0" in command  # the printed port is the real one
    assert not [part for part in command if "token" in part.lower()]


def test_the_learners_settings_are_left_out_and_the_token_is_passed_in_the_environment():
    learners = str(LAB_DIR / "config")
    env = workshop.open_environment("secret", {"PATH": "/usr/bin", "JUPYTER_CONFIG_PATH":
                                               os.pathsep.join([learners, "/elsewhere"])})
    assert env["JUPYTER_CONFIG_PATH"] == "/elsewhere"
    assert env["JUPYTER_TOKEN"] == "secret"
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    alone = workshop.open_environment("t", {"PATH": "/usr/bin", "JUPYTER_CONFIG_PATH": learners})
    assert "JUPYTER_CONFIG_PATH" not in alone


def test_a_server_that_does_not_start_is_reported_with_its_messages(course, monkeypatch):
    monkeypatch.setattr(workshop, "open_command", lambda folder, port: [
        sys.executable, "-c", "import sys; print('address already taken, say'); sys.exit(3)"])
    lines = []
    with pytest.raises(WorkshopError, match=r"JupyterLab did not start(.|\n)*already taken") \
            as failed:
        workshop.open_workshop(course, open_browser=False, progress=lines.append)
    assert not any("http://" in line for line in lines)
    kept = Path(re.search(r"all of them in (\S+)\)", str(failed.value)).group(1))
    assert "already taken" in kept.read_text(encoding="utf-8")  # the log is kept to read
    kept.unlink()


def _get(url: str) -> tuple[int, str]:
    """The status of a GET and the address it ended at (after redirects)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as exc:
        return exc.code, url


def test_open_prints_one_address_and_serves_formgrader_even_from_inside_the_learners_lab(
        course, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"),
                                                       os.environ.get("PYTHONPATH", "")]),
               # as in a terminal of `make lab`, whose settings switch the formgrader off
               JUPYTER_CONFIG_PATH=str(LAB_DIR / "config"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = tmp_path / "open.txt"
    with open(log, "wb") as stream:
        process = subprocess.Popen([sys.executable, "-m", "consortia.cli", "workshop", "open",
                                    str(course), "--no-browser"], env=env, stdout=stream,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not re.search(r"Stop with Ctrl\+C", log.read_text(encoding="utf-8")):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        printed = log.read_text(encoding="utf-8")
        messages = Path(re.search(r"JupyterLab's own messages: (\S+)\)", printed).group(1))
        assert messages.is_file()
        addresses = re.findall(r"http://\S+", printed)
        assert len(addresses) == 1, printed
        address = addresses[0]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/voila/render/marking\.ipynb\?token=\S+",
                            address), address
        base, token = address.split("/voila/")[0], address.rsplit("=", 1)[1]
        assert _get(f"{base}/formgrader/api/assignments?token={token}")[0] == 200
        # without the token: sent to the login page
        assert "/login" in _get(f"{base}/formgrader/api/assignments")[1]
        assert (course / "marking.ipynb").is_file() and (course / "exchange").is_dir()
    finally:
        process.send_signal(signal.SIGTERM)  # as `kill` or a closed terminal would
        try:
            status = process.wait(timeout=40)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    assert status == 128 + signal.SIGTERM  # stopped as asked, the usual status for SIGTERM
    assert "Stopped JupyterLab." in log.read_text(encoding="utf-8")
    assert not messages.exists()  # a log nobody needs is not left behind
    with pytest.raises((ConnectionError, urllib.error.URLError)):
        urllib.request.urlopen(f"{base}/api/status", timeout=5)  # JupyterLab stopped too
