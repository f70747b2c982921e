"""Open a test's gradebook directly, the way nbgrader's default configuration names it."""

from __future__ import annotations

from pathlib import Path


def gradebook_url(folder: Path | str) -> str:
    """``sqlite:///<folder>/gradebook.db``: nbgrader's default database of a course folder."""
    return f"sqlite:///{Path(folder).resolve() / 'gradebook.db'}"
