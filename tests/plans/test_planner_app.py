"""Tests of consortia.plans.app: the planner served as a web page by Voilà.

The server is started on the loopback address, on a free port, and always stopped,
also when a test fails. (Browser tests that click in the page come separately.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from consortia.plans import app as planner_app
from consortia.plans.files import load_plan


@pytest.fixture
def serve_planner(tmp_path):
    """Start ``consortia planner`` for a file in tmp_path; yield (url, plan path, process)."""
    processes = []

    def start(*extra: str):
        port = planner_app.free_port()
        plan_file = tmp_path / "team" / "plan.json"
        plan_file.parent.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "consortia.cli", "planner", str(plan_file), "--no-browser",
             "--port", str(port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )
        processes.append(process)
        return f"http://127.0.0.1:{port}/", plan_file, process

    yield start
    for process in processes:  # always stop the whole server, also after a failure
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _get(url: str, deadline_s: float = 90) -> str:
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_the_app_serves_the_planner_without_code(serve_planner):
    url, plan_file, process = serve_planner("--case", "belize")
    page = _get(url)
    assert "Plan your consortium" in page
    assert "application/vnd.jupyter.widget-view+json" in page  # the planner widget
    assert "requested_plan" not in page  # no code shown
    assert process.poll() is None
    # the app created the team's plan from the case, beside nowhere but where asked
    assert load_plan(plan_file).case == "belize"


def test_the_app_reopens_an_existing_plan(serve_planner, tmp_path):
    url, plan_file, _ = serve_planner()
    from consortia.plans.files import save_plan
    from consortia.plans.starter import new_plan

    save_plan(new_plan("guyana", consortium="Guyana honey makers"), plan_file)
    page = _get(url)
    assert "widget-view+json" in page
    assert load_plan(plan_file).consortium == "Guyana honey makers"


def test_server_listens_on_loopback_only():
    command = planner_app.voila_command(8899)
    assert "--Voila.ip=127.0.0.1" in command
    assert "--no-browser" in command and "--strip_sources=True" in command


def test_environment_names_the_plan_and_case(tmp_path):
    env = planner_app.voila_environment(tmp_path / "p.json", case="belize")
    assert env[planner_app.PLAN_ENV] == str((tmp_path / "p.json").resolve())
    assert env[planner_app.CASE_ENV] == "belize"
    assert planner_app.CASE_ENV not in planner_app.voila_environment(tmp_path / "p.json")


def test_unknown_case_is_refused_before_starting(tmp_path):
    with pytest.raises(ValueError, match="Unknown case"):
        planner_app.check_plan_location(tmp_path / "p.json", case="atlantis")


def test_app_notebook_is_shipped_in_the_package():
    notebook = json.loads(planner_app.APP_NOTEBOOK.read_text(encoding="utf-8"))
    sources = "".join("".join(c["source"]) for c in notebook["cells"])
    assert "requested_plan()" in sources and "PhasePlanner(" in sources
    assert "PlanSharing(planner)" in sources  # the buttons to print and download the plan
