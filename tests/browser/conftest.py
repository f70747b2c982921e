"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and the servers.

Every test here opens real pages in Chromium (``/usr/bin/chromium``, the Debian
package; a browser is never downloaded). Without Chromium or Playwright the tests
skip with a message that says how to install it; with ``REQUIRE_BROWSER=1`` (set by
``.ci/run``) they fail instead, so CI can never pass without having run them.
``CONSORTIA_CHROMIUM`` points the tests at another Chromium (or at a missing one,
to check the message).

Servers (JupyterLab, Voilà) listen on 127.0.0.1 only, on a free port, are started
in their own process group and always stopped with ``killpg`` in the fixture's
teardown, also when a test fails. They work on copies in a temporary folder, so a
test never writes plan files or checkpoints into the repository.

``learner_lab`` starts the learners' JupyterLab with the very command line of the
Makefile's ``lab`` target (read with ``make -n``), its copy of the course and
Jupyter's own state in a temporary folder.

Each test saves a screenshot of each step to ``test-artifacts/browser/`` at the
top of the repository (``<test>-<step>.png``), and one ending in ``-failure.png``
when it fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from consortia.plans.app import HOST, free_port

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("CONSORTIA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
INSTALL_HINT = ("Browser tests need Debian's Chromium: sudo apt-get install chromium "
                "(or set REQUIRE_BROWSER=1 to make this a failure)")
#: How long a page may take to show what a test waits for (ms); generous for slow CI.
PAGE_TIMEOUT_MS = 90_000
SERVER_START_S = 90


def browser_required() -> bool:
    """True when ``REQUIRE_BROWSER`` asks that a browser test never be skipped."""
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def _cannot_run(reason: str):
    """Skip (the default) or fail (``REQUIRE_BROWSER=1``) a test that has no browser."""
    if browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}. "
                    "Install it with: sudo apt-get install chromium", pytrace=False)
    pytest.skip(f"{INSTALL_HINT}. ({reason})")


# --- the browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once per session by Playwright (headless)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _cannot_run("the Python package playwright is not installed "
                    "(pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        _cannot_run(f"no Chromium at {CHROMIUM}")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:
        playwright.stop()
        _cannot_run(f"{CHROMIUM} did not start: {exc}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can tell whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def artifact_name(request) -> str:
    """``test_x[param]`` -> ``test_x-param``: a file-name-safe name for the test."""
    name = request.node.name.replace("[", "-").rstrip("]")
    return re.sub(r"[^\w.-]+", "_", name)


@pytest.fixture
def page(browser, request):
    """A fresh page (own cookies and storage) 1400x900; a screenshot is kept on failure."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    new_page = context.new_page()
    yield new_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # the page may be gone; the failure itself is what matters
        with contextlib.suppress(Exception):
            new_page.screenshot(path=ARTIFACTS / f"{artifact_name(request)}-failure.png")
    context.close()


@pytest.fixture
def screenshot(page, request):
    """``screenshot("step")`` saves the page to ``test-artifacts/browser/<test>-step.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = artifact_name(request)
    for old in ARTIFACTS.glob(f"{base}-*.png"):  # only this run's steps remain
        old.unlink()

    def take(step: str, target=None, full_page: bool = False) -> Path:
        path = ARTIFACTS / f"{base}-{step}.png"
        if target is None:
            page.screenshot(path=path, full_page=full_page)
        else:
            target.screenshot(path=path)
        return path

    return take


# --- servers -----------------------------------------------------------------------------


@dataclass
class Server:
    """A server process in its own process group, with its output in a log file."""

    process: subprocess.Popen
    log: Path
    url: str
    token: str = ""
    root: Path | None = None
    extra: dict = field(default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def wait_until(self, ready, what: str, timeout_s: float = SERVER_START_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            if self.process.poll() is not None:
                pytest.fail(f"{what} exited with status {self.process.returncode} before it "
                            f"was ready; its last output:\n{self.log_tail()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not answer within {timeout_s:.0f} s; its last "
                            f"output:\n{self.log_tail()}", pytrace=False)
            time.sleep(0.3)

    def stop(self) -> None:
        """Stop the whole process group (server and kernels): TERM, then KILL."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # kernels left behind by a server that died first are in the same group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


def start_server(command: list[str], *, log: Path, url: str, cwd: Path,
                 env: dict[str, str] | None = None, **extra) -> Server:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as stream:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=stream,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    return Server(process=process, log=log, url=url, **extra)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex((HOST, port)) == 0


def lab_settings(folder: Path) -> Path:
    """User settings for a test JupyterLab: no news toast, every cell kept in the page."""
    settings = {
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                        "checkForUpdates": False},
        # without windowing every cell stays in the DOM, so a test can read them all
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    }
    for plugin, values in settings.items():
        package, name = plugin.rsplit("/", 1)
        path = folder / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    return folder


def start_jupyter_lab(root: Path, state: Path, *, cwd: Path | None = None) -> Server:
    """JupyterLab on 127.0.0.1 and a free port, serving ``root``; returns once /api answers.

    ``state`` receives the log, the user settings, workspaces, runtime files and an
    empty Jupyter config folder, so the tester's own ``~/.jupyter`` plays no part.
    """
    port, token = free_port(), secrets.token_hex(16)
    config_dir = state / "jupyter-config"
    config_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config_dir),
               JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               # nbgrader runs helper programs (alembic) from the venv
               PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                     os.environ.get("PATH", "")]))
    command = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}", "--allow-root",
        f"--LabApp.user_settings_dir={lab_settings(state / 'lab-settings')}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
    ]
    server = start_server(command, log=state / "jupyterlab.log", url=f"http://{HOST}:{port}",
                          cwd=cwd or root, env=env, token=token, root=root)
    try:
        server.wait_until(lambda: _answers(f"{server.url}/api?token={token}"), "JupyterLab")
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> Path:
    """A copy of the repository's course/ and case_studies/ for JupyterLab to work in."""
    root = tmp_path_factory.mktemp("lab-root")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.plan.json*")
    for folder in ("course", "case_studies"):
        shutil.copytree(REPO / folder, root / folder, ignore=ignore)
    return root


@pytest.fixture(scope="session")
def lab_server(browser, lab_root, tmp_path_factory):
    """One JupyterLab for the session (started only when there is a browser to use it)."""
    server = start_jupyter_lab(lab_root, tmp_path_factory.mktemp("lab-state"))
    yield server
    server.stop()


@pytest.fixture
def lab_for(browser, tmp_path):
    """``lab_for(folder)`` starts a JupyterLab serving ``folder`` from inside it.

    The server runs in ``folder`` (nbgrader reads ``nbgrader_config.py`` there) and
    is stopped after the test, also when it fails.
    """
    servers: list[Server] = []

    def start(folder: Path) -> Server:
        state = tmp_path / f"lab-state-{len(servers)}"
        servers.append(server := start_jupyter_lab(folder, state, cwd=folder))
        return server

    yield start
    for server in servers:
        server.stop()


@dataclass
class Lab:
    """The session's JupyterLab as one test sees it."""

    server: Server
    workspace: str

    @property
    def root(self) -> Path:
        return self.server.root

    @property
    def token(self) -> str:
        return self.server.token

    def url(self, path: str) -> str:
        """A URL of this server with the token, e.g. ``url("rise/course/x.ipynb")``."""
        separator = "&" if "?" in path else "?"
        return f"{self.server.url}/{path.lstrip('/')}{separator}token={self.token}"

    def notebook_url(self, relative: str) -> str:
        """Open ``relative`` alone in a fresh workspace of its own (no tabs restored)."""
        return self.url(f"lab/workspaces/{self.workspace}/tree/{relative}?reset")

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        for kernel in self.api("kernels"):
            with contextlib.suppress(urllib.error.HTTPError):
                self.api(f"kernels/{kernel['id']}", method="DELETE")


@pytest.fixture
def jupyter_lab(lab_server, request):
    """JupyterLab (127.0.0.1, free port, token) on a tmp copy of course/ and case_studies/.

    The server is shared by the session; each test gets its own workspace, and the
    kernels it started are shut down after it, also when it fails.
    """
    workspace = re.sub(r"[^a-z0-9]+", "-", artifact_name(request).lower()).strip("-")
    lab = Lab(server=lab_server, workspace=workspace)
    yield lab
    if lab_server.process.poll() is None:
        lab.shut_down_kernels()


def serve_planner_app(folder: Path, case: str | None = None) -> Server:
    """The planner app for ``folder/team/plan.json``, served with Voilà as ``consortia
    planner`` serves it (:mod:`consortia.plans.app`); ``extra["plan"]`` is the plan file."""
    from consortia.plans import app as planner_app

    plan = folder / "team" / "plan.json"
    plan.parent.mkdir(parents=True, exist_ok=True)
    port = planner_app.free_port()
    server = start_server(planner_app.voila_command(port),
                          env=planner_app.voila_environment(plan, case),
                          log=folder / "voila.log", url=f"http://{HOST}:{port}/",
                          cwd=plan.parent, extra={"plan": plan})
    try:
        server.wait_until(lambda: _port_open(port), "Voilà")
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def voila_app(browser, tmp_path):
    """``start(case=None)`` serves the planner app for ``tmp_path/team/plan.json`` with Voilà.

    Returns the server (see :func:`serve_planner_app`). Stopped after the test.
    """
    servers: list[Server] = []

    def start(case: str | None = None) -> Server:
        servers.append(server := serve_planner_app(tmp_path, case))
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def shared_planner_app(browser, tmp_path_factory):
    """One planner app (started from the Belize case) for every test of a module.

    Each page a test opens runs its own kernel on the same plan file, so tests must
    not count on the plan being as the case starts it. Stopped after the module.
    """
    server = serve_planner_app(tmp_path_factory.mktemp("planner-app"), case="belize")
    yield server
    server.stop()


# --- the learners' lab, as make lab starts it -------------------------------------------


def make_lab_command(port: int) -> list[str]:
    """The command ``make lab`` runs, as make itself expands it (``make -n``)."""
    venv = Path(sys.prefix)
    dry = subprocess.run(["make", "-n", "-s", "lab", f"PORT={port}", f"VENV={venv}"],
                         cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    lines = [line for line in dry.stdout.splitlines() if " lab " in f"{line} "
             and "consortia" in line]
    assert len(lines) == 1, f"make -n lab ran no single 'consortia lab' line:\n{dry.stdout}"
    return shlex.split(lines[0])


@pytest.fixture(scope="module")
def learner_lab(browser, tmp_path_factory):
    """``make lab``'s command, on a free port; yields (address printed, state folder)."""
    state = tmp_path_factory.mktemp("first-contact")
    port = free_port()
    env = dict(os.environ,
               CONSORTIA_LEARNER_DIR=str(state / "my_course"),
               JUPYTER_CONFIG_DIR=str(state / "jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(state / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
               BROWSER="true")  # the lab opens "a browser" that does nothing: the test opens it
    server = start_server(make_lab_command(port), log=state / "make-lab.log",
                          url=f"http://127.0.0.1:{port}", cwd=REPO, env=env)
    printed = re.compile(rf"http://127\.0\.0\.1:{port}/\S+\?token=\w+")
    try:
        server.wait_until(lambda: printed.search(server.log_tail(400)), "make lab")
        yield printed.search(server.log_tail(400)).group(0), state
    finally:
        server.stop()


# --- working in notebooks ---------------------------------------------------------------------


class Notebook:
    """The notebook panel a test opened in JupyterLab."""

    def __init__(self, page, lab: Lab, relative: str):
        self.page, self.lab, self.relative = page, lab, relative
        self.panel = page.locator(".jp-NotebookPanel").filter(visible=True)

    def open(self) -> Notebook:
        self.page.goto(self.lab.notebook_url(self.relative))
        self.panel.locator(".jp-Cell").first.wait_for()
        self.wait_for_kernel()
        return self

    def wait_for_kernel(self, timeout_s: float = PAGE_TIMEOUT_MS / 1000) -> None:
        """Wait until the notebook's kernel has started and is idle.

        The server is asked (``/api/sessions``), since the page may show "Idle" before
        a kernel exists. If JupyterLab asks which kernel to start, the preferred one
        (Python 3) is selected, as a learner would.
        """
        dialog = self.page.locator(".jp-Dialog").filter(has_text="Select Kernel")
        deadline = time.monotonic() + timeout_s
        while True:
            if dialog.count() and dialog.is_visible():
                dialog.get_by_role("button", name="Select", exact=True).click()
            states = [session["kernel"]["execution_state"]
                      for session in self.lab.api("sessions")
                      if session["path"] == self.relative and session.get("kernel")]
            if states == ["idle"]:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the kernel of {self.relative} is not idle after {timeout_s:.0f} "
                            f"s (sessions: {states})", pytrace=False)
            time.sleep(0.3)
        self.panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()

    def run_all(self, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
        """Run > Run All Cells; wait until every code cell has run and the kernel is idle.

        Returns early when a cell shows a traceback (JupyterLab then stops running the
        cells after it), so that the test reports the error, not a time-out.
        """
        self.page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        self.page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        self.page.wait_for_function(
            """() => {
              const panel = [...document.querySelectorAll('.jp-NotebookPanel')]
                .find(p => p.offsetParent !== null);
              if (!panel) return false;
              const stderr = panel.querySelectorAll(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
              if ([...stderr].some(out => out.textContent.includes('Traceback'))) return true;
              const cells = [...panel.querySelectorAll('.jp-CodeCell')].filter(cell =>
                (cell.querySelector('.jp-InputArea-editor')?.textContent || '').trim());
              return cells.length > 0 && cells.every(cell =>
                /\\[\\d+\\]/.test(cell.querySelector('.jp-InputArea-prompt')?.textContent));
            }""",
            timeout=timeout_ms,
        )
        self.wait_for_kernel()

    def prompts(self) -> list[str]:
        """The execution prompts (``[3]:``) of the code cells that hold code."""
        return self.panel.evaluate(
            """panel => [...panel.querySelectorAll('.jp-CodeCell')]
                 .filter(cell => (cell.querySelector('.jp-InputArea-editor')?.textContent
                                  || '').trim())
                 .map(cell => cell.querySelector('.jp-InputArea-prompt').textContent.trim())"""
        )

    def errors(self) -> list[str]:
        """Texts of error outputs: tracebacks on stderr and error renderings."""
        stderr = self.panel.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        found = [text for text in stderr.all_inner_texts()
                 if "Traceback" in text or "Error" in text]
        found += self.panel.locator(".jp-RenderedText[data-mime-type*=error]").all_inner_texts()
        return found

    def save(self) -> None:
        """File > Save (Ctrl+S in the notebook); wait until the tab no longer shows changes."""
        self.panel.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        self.page.keyboard.press("Control+s")
        self.page.locator(".lm-TabBar-tab.lm-mod-current.jp-mod-dirty").wait_for(
            state="detached")


@pytest.fixture
def notebook(page, jupyter_lab):
    """``notebook("course/x.ipynb")`` opens that notebook of the lab root, alone in its tab."""
    return lambda relative: Notebook(page, jupyter_lab, relative).open()


class PlannerForm:
    """The phase planner widget as a participant sees it in a page (JupyterLab or Voilà)."""

    def __init__(self, page, scope=None):
        self.page = page
        self.scope = scope if scope is not None else page

    def wait_until_rendered(self) -> None:
        self.scope.get_by_text("Action plan: phase planner").wait_for()
        self.timeline.wait_for()

    @property
    def timeline(self):
        """The timeline image (an SVG shown from a blob: URL)."""
        return self.scope.locator("img.widget-image, .jupyter-widget-image, .widget-image img"
                                  ).filter(visible=True).first

    def timeline_svg(self) -> str:
        """The SVG text of the timeline, fetched from its blob: URL inside the page."""
        return self.timeline.evaluate("img => fetch(img.src).then(r => r.text())")

    def control(self, label: str, kind: str = "input"):
        """The visible control whose label reads exactly ``label``."""
        box = self.scope.locator(".widget-inline-hbox").filter(
            has=self.page.locator(f"xpath=./label[normalize-space(.)='{label}']"))
        return box.locator(kind).filter(visible=True).first

    def open_tab(self, title: str) -> None:
        self.scope.get_by_role("tab", name=title).click()

    def add_activity(self, title: str, phase: int, owner: str) -> None:
        """Fill in the Activities form and click Add activity, as a participant would."""
        self.open_tab("Activities")
        self.control("Title").fill(title)
        self.control("Phase", "select").select_option(index=phase - 1)
        self.control("Owner").fill(owner)

    def click_add_activity(self) -> None:
        self.scope.get_by_role("button", name="Add activity").click()
        self.scope.get_by_text("Added activity").first.wait_for()


@pytest.fixture
def planner_form(page):
    """``planner_form(scope=None)``: the planner widget in the page, to fill in and read."""
    return lambda scope=None: PlannerForm(page, scope)
