"""Run a notebook's tests again in the grader, with the kit's own code, on the answers.

A test cell that ran in the participant's kernel proves little: code earlier in the
notebook may have replaced what the test calls. After the kernel has stopped, the
grader therefore runs each test cell again itself, in a fresh namespace of its own
worker process, where no participant code ever ran:

1. the notebook's setup cells (locked code cells that are not graded, such as
   ``from consortia.grading import checks``), from the instructor's source;
2. for each test cell the participant's kernel reached, the values it read there
   (exported just before it ran, :mod:`consortia.grading.answers`), then the test
   cell itself, from the instructor's source (hidden tests included);

in the working folder as the kernel left it, copied without links. The outputs of
that run replace the test's outputs in the graded notebook, so nbgrader's points come
from code the participant could not change. A test whose values are not plain data
(a function the participant wrote, say) cannot run here: it keeps the outputs from
the participant's kernel, and counts only if the kit's helpers there were still the
kit's own before and after it (:func:`consortia.grading.answers.trusted`).

Test cells are the instructor's code, run as the instructor's grading tools run it;
the participant's part is data only.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import signal
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from consortia.grading import answers

#: Characters of an error message kept in a replayed output.
MAX_MESSAGE = 2000


@dataclass
class TestCell:
    """One graded test cell of the source notebook and the answers it reads."""

    grade_id: str
    source: str
    names: list[str]  # values the test reads that the participant's answers define


@dataclass
class Plan:
    """What the grader runs again for one notebook, from the instructor's source."""

    setup: list[str] = field(default_factory=list)  # sources of the setup cells, in order
    tests: dict[str, TestCell] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)  # ("setup", i) / ("test", id)

    def names_for(self, grade_id: str) -> list[str]:
        test = self.tests.get(grade_id)
        return list(test.names) if test else []


def _nbgrader(cell) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def read_names(source: str) -> tuple[set[str], set[str]]:
    """Names a cell reads (loads) and names it binds, from its code (``ast``); IPython
    magics and shell lines are left out."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set(), set()
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return loaded, bound


def plan_for(source_notebook: Path | str) -> Plan:
    """The :class:`Plan` of one notebook of the instructor's source (``source/``)."""
    data = json.loads(Path(source_notebook).read_text(encoding="utf-8"))
    plan = Plan()
    code = [(_nbgrader(cell), "".join(cell.get("source", "")))
            for cell in data.get("cells", []) if cell.get("cell_type") == "code"]

    def is_setup(meta: dict) -> bool:
        return bool(meta.get("locked") and not meta.get("grade") and not meta.get("solution"))

    # every name the setup cells define, wherever they stand (a test may come first)
    setup_names = {name for meta, source in code if is_setup(meta)
                   for name in read_names(source)[1]}
    for meta, source in code:
        if is_setup(meta):
            plan.order.append(("setup", str(len(plan.setup))))
            plan.setup.append(source)
        elif meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            loaded, bound = read_names(source)
            # what the test reads and neither defines itself nor gets from the setup:
            # the participant's answers (and anything else their notebook defines)
            needed = sorted(loaded - bound - setup_names - set(dir(builtins)))
            plan.tests[meta["grade_id"]] = TestCell(meta["grade_id"], source, needed)
            plan.order.append(("test", meta["grade_id"]))
    return plan


def export_path(grade_id: str, moment: str = "before") -> str:
    """Where the kernel writes what a test reads (relative to its working folder)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in grade_id)
    return f"{answers.EXPORT_FOLDER}/{safe}.{moment}.json"


# --- running code the way a kernel would --------------------------------------------------


class CellTimeout(Exception):
    """A replayed cell ran longer than the cell time limit."""


def _raise_timeout(_signum, _frame):
    raise CellTimeout


def _output_error(exc: BaseException) -> dict:
    name = type(exc).__name__
    value = str(exc)[:MAX_MESSAGE]
    return {"output_type": "error", "ename": name, "evalue": value,
            "traceback": [f"{name}: {value}"]}


def run_cell(source: str, namespace: dict, timeout: int | None) -> list[dict]:
    """Run ``source`` in ``namespace`` as a kernel runs a cell; return its outputs.

    Standard output and error become stream outputs, the value of a last expression an
    ``execute_result`` (nbgrader reads a number there as partial credit), an exception
    an ``error``. Warnings show on standard error as a kernel shows them.
    """
    outputs: list[dict] = []
    stdout, stderr = io.StringIO(), io.StringIO()
    result = None
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    previous = signal.signal(signal.SIGALRM, _raise_timeout) if timeout else None
    try:
        if timeout:
            signal.alarm(int(timeout))
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), \
                warnings.catch_warnings():
            _kernel_warnings()
            tree = ast.parse("\n".join(lines), mode="exec")
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, "<cell>", "exec"), namespace)  # the instructor's test
            if last is not None:
                expression = ast.Expression(last.value)
                result = eval(compile(expression, "<cell>", "eval"), namespace)
    except CellTimeout:
        outputs.append({"output_type": "error", "ename": "CellTimeoutError",
                        "evalue": f"the test ran longer than {timeout} s",
                        "traceback": [f"CellTimeoutError: the test ran longer than {timeout} s"]})
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the test failed (SystemExit included): that is its result
        outputs.append(_output_error(exc))
    finally:
        if timeout:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    streams = [{"output_type": "stream", "name": name, "text": text[:answers.MAX_EXPORT_BYTES]}
               for name, text in (("stdout", stdout.getvalue()), ("stderr", stderr.getvalue()))
               if text]
    if result is not None and not any(o["output_type"] == "error" for o in outputs):
        streams.append({"output_type": "execute_result", "execution_count": None,
                        "metadata": {}, "data": {"text/plain": repr(result)[:MAX_MESSAGE]}})
    return streams + outputs


def _kernel_warnings() -> None:
    """Python's default warning filters, as in a fresh kernel (not the grader's own)."""
    warnings.resetwarnings()
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                     ResourceWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("default")


@dataclass
class Replayed:
    """What running the tests again gave: outputs by grade id, and why some did not run."""

    outputs: dict[str, list[dict]] = field(default_factory=dict)
    in_kernel: dict[str, str] = field(default_factory=dict)  # grade id -> why not replayed
    untrusted: list[str] = field(default_factory=list)  # in-kernel tests that do not count


def replay(plan: Plan, folder: Path, timeout: int | None,
           handed_in: list[str] | None = None) -> Replayed:
    """Run the plan's setup and test cells in ``folder`` (the harvested working copy).

    Only tests whose export exists there (the participant's kernel reached them) run.
    ``handed_in`` names the files of the submission (relative paths), so that a check
    can tell a file the participant never handed in from one the notebook's run made
    (:func:`consortia.grading.checks.handed_in`).
    """
    done = Replayed()
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    here = os.getcwd()
    os.chdir(folder)
    told = contextlib.ExitStack()
    if handed_in is not None:
        from consortia.grading import checks

        told.enter_context(checks.handed_in(handed_in))
    try:
        for kind, key in plan.order:
            if kind == "setup":
                run_cell(plan.setup[int(key)], namespace, timeout)  # its errors do not count
                continue
            test = plan.tests[key]
            before = folder / export_path(key)
            try:
                exported = answers.read_export(before)
            except OSError:
                continue  # the kernel never reached this test: it keeps its "not run"
            except ValueError as exc:
                done.outputs[key] = [_output_error(ValueError(
                    f"the answers this test reads could not be read back ({exc})"))]
                continue
            blocked = {n: why for n, why in exported["unexportable"].items() if n in test.names}
            if blocked:
                name, why = next(iter(blocked.items()))
                done.in_kernel[key] = f"{name} is a {why}, which can only be checked in the kernel"
                after = folder / export_path(key, "after")
                try:
                    audited_after = answers.read_export(after)["audit"]
                except (OSError, ValueError):
                    audited_after = None
                if not (answers.trusted(exported["audit"]) and answers.trusted(audited_after)):
                    done.untrusted.append(key)
                continue
            scope = dict(namespace)
            for name in test.names:
                value = exported["values"].get(name, answers.Missing)
                if value is answers.Missing:
                    scope.pop(name, None)
                else:
                    scope[name] = value
            done.outputs[key] = run_cell(test.source, scope, timeout)
    finally:
        told.close()
        os.chdir(here)
    return done


def format_traceback(exc: BaseException) -> str:
    """The last line of a traceback (for notes)."""
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
