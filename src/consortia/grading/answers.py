"""A participant's answers taken out of their kernel as plain data, to be checked elsewhere.

Code in a participant's notebook runs in the same kernel as the tests that grade it,
so it can replace what the tests call (``checks.assert_... = lambda *a: None``) and
score wrong answers as right. The kit therefore does not trust test results from the
participant's kernel. Before each test cell runs there, the grader has the kernel
write the values that test reads (``answer_1``, ``my_scores``, a table, a chart) to a
file with :func:`export`, as JSON with a few tagged types; after the kernel has
stopped, the grader reads them back with :func:`decode` and runs the test itself
(:mod:`consortia.grading.replay`) with the kit's own, untouched code. A participant
can only change the values written, which is no more than answering.

:func:`export` runs inside the participant's kernel and must not trust anything there
either: it fails quietly (the test then finds no value). :func:`decode` runs in the
grader and builds only plain values, pandas objects from their parts and matplotlib
figures holding the exported bars; nothing is ever unpickled or evaluated.

:func:`fingerprint` and :func:`audit` tell whether the kit's test helpers in a kernel
are still the kit's own, for tests that must run in the participant's kernel (a test
of a function the participant wrote).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
from pathlib import Path

#: Exported values of one test cell are refused beyond this size (a table of a few
#: thousand rows fits; a participant cannot fill the grader's memory through it).
MAX_EXPORT_BYTES = 4 * 10**6
#: Nesting deeper than this is not an answer.
MAX_DEPTH = 20
#: Bars of one exported chart, at most.
MAX_BARS = 2000

#: Where a kernel writes its exports, relative to its working folder.
EXPORT_FOLDER = ".consortia"

#: The helpers a test cell calls, whose code is compared by :func:`audit`.
AUDITED_MODULES = ("consortia.grading.checks",)


class Unexportable(Exception):
    """A value that is not plain data (a function, a module, an open file...)."""


def _encode(value, depth: int = 0):
    if depth > MAX_DEPTH:
        raise Unexportable("nested too deeply")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else {"__int__": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, list | tuple):
        items = [_encode(v, depth + 1) for v in value]
        return items if isinstance(value, list) else {"__tuple__": items}
    if isinstance(value, set | frozenset):
        return {"__set__": [_encode(v, depth + 1) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, depth + 1), _encode(v, depth + 1)]
                             for k, v in value.items()]}
    module = type(value).__module__.split(".")[0]
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.generic):
            return _encode(value.item(), depth + 1)
        if isinstance(value, np.ndarray):
            return {"__ndarray__": _encode(value.tolist(), depth + 1), "dtype": str(value.dtype)}
    if module == "pandas":
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            return {"__frame__": json.loads(value.to_json(orient="split", date_format="iso")),
                    "dtypes": [str(t) for t in value.dtypes],
                    "index_name": value.index.name,
                    "columns_name": value.columns.name}
        if isinstance(value, pd.Series):
            return {"__series__": json.loads(value.to_json(orient="split", date_format="iso")),
                    "dtype": str(value.dtype), "index_name": value.index.name}
    if module == "matplotlib":
        from matplotlib.figure import Figure

        if isinstance(value, Figure):
            return {"__figure__": [_axes(ax) for ax in value.axes]}
    raise Unexportable(type(value).__name__)


def _axes(ax) -> dict:
    from matplotlib.patches import Rectangle

    bars = [[float(p.get_x()), float(p.get_y()), float(p.get_width()), float(p.get_height())]
            for p in ax.patches if isinstance(p, Rectangle)][:MAX_BARS]
    return {"bars": bars, "title": ax.get_title(), "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "xticklabels": [t.get_text() for t in ax.get_xticklabels()][:MAX_BARS]}


def export(namespace: dict, names: list[str], path: str) -> None:
    """Write the values of ``names`` in ``namespace`` to ``path`` (run in the kernel).

    A name the namespace lacks is written as missing, a value that is not plain data
    as unexportable with its type; nothing here ever raises into the notebook.
    """
    found: dict[str, object] = {}
    for name in names:
        if name not in namespace:
            found[name] = {"__missing__": True}
            continue
        try:
            found[name] = {"value": _encode(namespace[name])}
        except Unexportable as exc:
            found[name] = {"__unexportable__": str(exc)[:100]}
        except Exception as exc:  # a value whose conversion fails: say so, do not stop
            found[name] = {"__unexportable__": "value that could not be copied out of the "
                                               f"notebook ({type(exc).__name__})"}
    checked = audit(namespace)
    text = json.dumps({"values": found, "audit": checked}, allow_nan=False)
    if len(text) > MAX_EXPORT_BYTES:
        text = json.dumps({"values": {n: {"__unexportable__": "value too large to check"}
                                      for n in names}, "audit": checked})
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def export_code(names: list[str], path: str) -> str:
    """The line a kernel runs to export ``names`` to ``path``, never raising."""
    return (f"try:\n    __import__('consortia.grading.answers', fromlist=['export'])"
            f".export(globals(), {names!r}, {path!r})\nexcept BaseException:\n    pass\n")


# --- in the grader --------------------------------------------------------------------------


class Missing:
    """Stands for a name the participant never defined (the test then says so)."""


def _decode(data, depth: int = 0):
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [_decode(v, depth + 1) for v in data]
    if not isinstance(data, dict):
        raise ValueError("not an exported value")
    if "__int__" in data:
        return int(str(data["__int__"])[:40])
    if "__float__" in data:
        return float(str(data["__float__"]))
    if "__tuple__" in data:
        return tuple(_decode(v, depth + 1) for v in data["__tuple__"])
    if "__set__" in data:
        return set(_hashable(_decode(v, depth + 1)) for v in data["__set__"])
    if "__dict__" in data:
        return {_hashable(_decode(k, depth + 1)): _decode(v, depth + 1)
                for k, v in data["__dict__"]}
    if "__ndarray__" in data:
        import numpy as np

        return np.array(_decode(data["__ndarray__"], depth + 1), dtype=str(data["dtype"]))
    if "__frame__" in data:
        import pandas as pd

        parts = data["__frame__"]
        frame = pd.DataFrame(parts["data"], index=parts["index"], columns=parts["columns"])
        frame = _with_dtypes(frame, data.get("dtypes") or [])
        frame.index.name = data.get("index_name")
        frame.columns.name = data.get("columns_name")
        return frame
    if "__series__" in data:
        import pandas as pd

        parts = data["__series__"]
        series = pd.Series(parts["data"], index=parts["index"], name=parts.get("name"))
        with _quietly():
            series = series.astype(str(data["dtype"]))
        series.index.name = data.get("index_name")
        return series
    if "__figure__" in data:
        return _figure(data["__figure__"])
    raise ValueError("not an exported value")


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


class _quietly:
    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        return kind is not None and issubclass(kind, ValueError | TypeError)


def _with_dtypes(frame, dtypes: list[str]):
    if len(dtypes) != len(frame.columns):
        return frame
    for column, dtype in zip(list(frame.columns), dtypes, strict=True):
        with _quietly():
            frame[column] = frame[column].astype(dtype)
    return frame


def _figure(axes: list[dict]):
    """A matplotlib figure holding the exported bars, labels and titles (and nothing else)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure()
    for index, item in enumerate(axes[:20]):
        ax = fig.add_subplot(len(axes[:20]), 1, index + 1)
        for x, y, width, height in item.get("bars", [])[:MAX_BARS]:
            ax.add_patch(Rectangle((float(x), float(y)), float(width), float(height)))
        ax.set_title(str(item.get("title", "")))
        ax.set_xlabel(str(item.get("xlabel", "")))
        ax.set_ylabel(str(item.get("ylabel", "")))
        ax.autoscale_view()
    return fig


def read_export(path: Path) -> dict:
    """The exported values of one test cell (name -> value, or :class:`Missing`), and the
    audit, as written by :func:`export`; raises ``ValueError`` for a broken or oversized
    file and ``OSError`` when there is none."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as stream:
        raw = stream.read(MAX_EXPORT_BYTES + 1)
    if len(raw) > MAX_EXPORT_BYTES:
        raise ValueError("the exported answers are too large")
    data = json.loads(raw.decode("utf-8"))
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for name, item in dict(data.get("values", {})).items():
        if not isinstance(name, str) or not name.isidentifier():
            continue
        if not isinstance(item, dict) or "__missing__" in item:
            values[name] = Missing
        elif "__unexportable__" in item:
            problems[name] = str(item["__unexportable__"])[:100]
        else:
            try:
                values[name] = _decode(item.get("value"))
            except (ValueError, TypeError, KeyError, OverflowError) as exc:
                problems[name] = f"value that could not be read back ({type(exc).__name__})"
    return {"values": values, "unexportable": problems,
            "audit": data.get("audit") if isinstance(data.get("audit"), dict) else None}


# --- is the kit's code still the kit's own? ------------------------------------------------


@functools.cache
def fingerprint() -> dict[str, str]:
    """A digest of each audited module's functions, as the kit installed them.

    Each module is loaded afresh from its file, apart from the one in use, so the
    digest is the installed code's even in a process where something changed the
    module in memory.
    """
    import importlib.util

    found = {}
    for name in AUDITED_MODULES:
        spec = importlib.util.find_spec(name)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[name] = _digest(vars(module))
    return found


def _code_bytes(code) -> bytes:
    """A stable description of a code object (``marshal`` output varies with reference
    counts): its bytecode, names and constants, nested code included."""
    consts = b"|".join(_code_bytes(c) if hasattr(c, "co_code") else repr(c).encode()
                       for c in code.co_consts)
    return b"/".join([code.co_code, repr(code.co_names).encode(),
                      repr(code.co_varnames).encode(), consts])


def _digest(namespace: dict) -> str:
    digest = hashlib.sha256()
    for key in sorted(namespace):
        value = namespace[key]
        code = getattr(getattr(value, "__wrapped__", value), "__code__", None)
        if key.startswith("__") or code is None:
            continue
        digest.update(key.encode())
        digest.update(_code_bytes(code))
    return digest.hexdigest()


def audit(namespace: dict | None = None) -> dict[str, str]:
    """The same digests, of the modules as the kernel holds them now (run in the kernel).

    Besides the modules themselves, every global of the notebook that stands for one of
    them (``checks``, or any module object of the kit) is digested under its own name,
    so that a notebook cannot swap the name its tests call for a look-alike either.
    """
    import sys
    import types

    found = {}
    for name in AUDITED_MODULES:
        module = sys.modules.get(name)
        found[name] = _digest(vars(module)) if module is not None else "not imported"
    for key, value in (namespace or {}).items():
        if key.startswith("_"):
            continue
        named = getattr(value, "__name__", None) if isinstance(value, types.ModuleType) else None
        if key == "checks" or named in AUDITED_MODULES:
            try:
                found[f"global {key}"] = _digest(vars(value))
            except TypeError:
                found[f"global {key}"] = "not a module"
    return found


def trusted(audited: dict | None) -> bool:
    """True when an :func:`audit` taken in a kernel matches the kit's own code."""
    if not isinstance(audited, dict):
        return False
    expected = fingerprint()
    for name, digest in expected.items():
        if audited.get(name) not in (digest, "not imported"):
            return False
    own = set(expected.values())
    return all(digest in own for key, digest in audited.items() if key.startswith("global "))
