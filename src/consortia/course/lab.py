"""The learners' JupyterLab: ``make lab`` runs ``consortia lab``, which runs this.

First contact decides whether a non-programmer stays. So the lab that ``make lab``
starts:

* serves the learner's personal copy of the course (:mod:`consortia.course.workspace`),
  never the kit's own files, and its printed address opens
  ``course/00_start_here.ipynb`` of that copy directly, not the Launcher;
* asks nothing about Jupyter news and checks for no updates;
* shows no instructor-only menus and nothing that needs nbgrader's exchange (a
  learner's lab has none): nbgrader's Create Assignment, Formgrader, course and
  assignment lists (and their server parts) are switched off, the Validate button
  for exercises stays (trainers grade in ``consortia workshop open DIR``);
* presents a lesson with Alt+R or the toolbar's **Present** button: every cell is
  run first, then RISE opens the slides from the first one, full screen (after
  one click to confirm, which browsers require), with the outputs shown.

All of it comes from files shipped in the package, ``src/consortia/lab/``:
``config/`` is added to Jupyter's config path (the server extensions and the
disabled lab plugins) and ``settings/overrides.json`` gives the lab's default
settings. Nothing is written to the user's home folder; a setting the user changes
in JupyterLab still wins over the kit's defaults.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from consortia._paths import LAB_DIR, learner_dir
from consortia.course.workspace import START_PAGE

#: The port JupyterLab tries first (it moves to the next free one if taken).
DEFAULT_PORT = 8888
CONFIG_DIR = LAB_DIR / "config"
SETTINGS_DIR = LAB_DIR / "settings"


def start_url_path() -> str:
    """The path of the address JupyterLab prints: the start page, opened at once."""
    return f"/lab/tree/{START_PAGE}"


def lab_command(folder: Path | None = None, port: int = DEFAULT_PORT,
                open_browser: bool = True) -> list[str]:
    """The command line of the learners' JupyterLab, serving ``folder`` (the copy)."""
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={Path(folder or learner_dir()).resolve()}",
        f"--ServerApp.port={port}",
        f"--LabApp.default_url={start_url_path()}",
        f"--LabApp.app_settings_dir={SETTINGS_DIR}",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # JupyterLab refuses to start as root unless told (containers, lab machines)
        command.append("--allow-root")
    return command


def lab_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the learners' JupyterLab.

    The kit's ``config/`` folder comes first on ``JUPYTER_CONFIG_PATH`` (so its
    choices win over the packages' own defaults), and the kit's Python comes first
    on ``PATH``, so that ``consortia`` works in a terminal opened inside JupyterLab.
    """
    env = dict(os.environ if base is None else base)
    paths = [str(CONFIG_DIR), *[p for p in env.get("JUPYTER_CONFIG_PATH", "").split(
        os.pathsep) if p and p != str(CONFIG_DIR)]]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
    return env


def run(folder: Path | None = None, port: int = DEFAULT_PORT, open_browser: bool = True,
        progress=print) -> int:
    """Make or update the learner's copy, then run JupyterLab on it until Ctrl+C."""
    from consortia.course import workspace

    folder = Path(folder or learner_dir())
    report = workspace.prepare(folder)
    for line in report.lines():
        progress(line)
    progress("")
    progress("Starting JupyterLab. When it is ready it prints an address with a token: "
             f"open it in your browser; it opens {START_PAGE} in your copy.")
    progress("Stop JupyterLab with Ctrl+C (twice).")
    progress("")
    command, env = lab_command(folder, port, open_browser), lab_environment()
    if os.name == "posix":  # become JupyterLab: Ctrl+C and signals go straight to it
        sys.stdout.flush()
        os.execve(command[0], command, env)
    import subprocess

    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130
