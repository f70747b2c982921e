"""Tests of consortia.storage: files written whole, with the mode a plain file gets."""

from __future__ import annotations

import os
import stat

import pytest

from consortia import storage

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_mode_of_the_umask_not_a_private_one(tmp_path, umask_022):
    """A page to send or a feedback page a grader releases must not end up 0600."""
    path = storage.write_text_atomic(tmp_path / "page.html", "<p>plan</p>")
    assert _mode(path) == 0o644 and path.read_text(encoding="utf-8") == "<p>plan</p>"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left beside it


def test_an_existing_file_keeps_its_mode(tmp_path, umask_022):
    path = tmp_path / "progress.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o600)  # made private on purpose: it stays so
    storage.write_json_atomic(path, {"done": ["01"]})
    assert _mode(path) == 0o600 and "done" in path.read_text(encoding="utf-8")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "agenda.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        storage.write_text_atomic(path, "bad \udcff surrogate")
    assert path.read_text(encoding="utf-8") == "old" and list(tmp_path.iterdir()) == [path]
