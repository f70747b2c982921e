"""The planner as a web page for participants who do not code (served by Voilà).

``consortia planner plan.json`` starts Voilà on ``apps/planner.ipynb`` (shipped in
this package): Voilà runs the notebook and shows only its widgets, never its code;
the notebook shows :class:`consortia.widgets.PhasePlanner` on the file that
:func:`requested_plan` names.
The plan file and the optional starting case reach the notebook through
environment variables, so one app notebook serves every team's file. The server
listens on the loopback address only (this computer), on a free port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from consortia._paths import APPS_DIR
from consortia.errors import InputError

PLAN_ENV = "CONSORTIA_PLAN"
CASE_ENV = "CONSORTIA_CASE"
APP_NOTEBOOK = APPS_DIR / "planner.ipynb"
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def voila_command(port: int, open_browser: bool = False) -> list[str]:
    """The command line that serves the planner app with Voilà on ``port``."""
    return [
        sys.executable, "-m", "voila", str(APP_NOTEBOOK),
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
    ]


def voila_environment(plan_file: Path, case: str | None = None) -> dict[str, str]:
    """The environment for the Voilà process: where the plan is, which case to start from."""
    env = dict(os.environ)
    env[PLAN_ENV] = str(Path(plan_file).resolve())
    if case:
        env[CASE_ENV] = case
    else:
        env.pop(CASE_ENV, None)
    return env


def check_plan_location(plan_file: Path, case: str | None = None) -> None:
    """Refuse early, with a clear message, what the planner could not work with."""
    folder = Path(plan_file).resolve().parent
    if not folder.is_dir():
        raise InputError(f"the folder {folder} does not exist; create it or choose another file")
    if Path(plan_file).is_dir():
        raise InputError(f"{plan_file} is a folder; give the name of a plan file")
    if case:
        from consortia.content import cases

        cases.case(case)  # raises an InputError listing the valid cases


def serve(plan_file: Path, case: str | None = None, port: int = 0,
          open_browser: bool = True) -> int:
    """Serve the planner until Ctrl+C; return Voilà's exit status."""
    check_plan_location(plan_file, case)
    port = port or free_port()
    print(f"Planner for {Path(plan_file).resolve()}")
    print(f"Open http://{HOST}:{port}/ in your browser (this computer only). "
          "Stop with Ctrl+C.", flush=True)
    process = subprocess.Popen(voila_command(port, open_browser),
                               env=voila_environment(plan_file, case))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        return 0


def requested_plan() -> tuple[Path, str | None]:
    """The plan file and starting case the app was asked to open (``CONSORTIA_PLAN``,
    ``CONSORTIA_CASE``); ``plan.json`` and no case when they are not set."""
    return Path(os.environ.get(PLAN_ENV, "plan.json")), os.environ.get(CASE_ENV) or None
