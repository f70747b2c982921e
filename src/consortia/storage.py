"""Files the kit writes for a person: written whole or not at all.

A learner's progress, the copy manifest of the personal course folder, exported
agendas: each is written to a temporary file beside its target, flushed to disk and
renamed over the old file in one step (``os.replace``). A crash, a full disk or two
lessons saving at the same moment never leave a half-written file; the previous
version stays until the new one is complete. The file gets the mode a plain new file
would get (the umask), or keeps the old file's: a page to send or a feedback page is
not made private by the way it is written. (Plan files have their own, stricter
saver with locks and recovery: :func:`consortia.plans.files.save_plan`.)
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path


def file_mode(path: Path) -> int:
    """The mode ``path`` has, or the one a plain new file would get (``0666`` less the
    umask): what a file written through a temporary file should end up with."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8) atomically; create the folder if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where files have no such modes
            os.fchmod(handle, file_mode(path))  # mkstemp's file is private (0600)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def write_json_atomic(path: Path | str, data: object) -> Path:
    """Write ``data`` as indented JSON to ``path`` atomically."""
    return write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_json(path: Path | str, default: object = None) -> object:
    """The JSON in ``path``, or ``default`` when the file is missing or unreadable.

    For the kit's own bookkeeping files (progress, manifests): a damaged file must
    never stop a lesson, so it reads as ``default`` and is rewritten whole next time.
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
