"""Run a test against another 2014 work programme (``data/work_programme.yaml``)."""

from __future__ import annotations

import contextlib

import yaml


@contextlib.contextmanager
def programme_variant(folder, *, months: int = 6, review: int = 6, phases=(3, 4, 5)):
    """Within the block, the kit reads a work programme with these values."""
    from consortia.content import programme
    from consortia.plans import rulebook

    path = folder / "work_programme.yaml"
    path.write_text(yaml.safe_dump({
        "early_phases": {"phases": list(phases), "months": months, "source": "SELA 2014 §8"},
        "review": {"every_months": review, "source": "SELA 2014 §21"},
    }), encoding="utf-8")
    saved = programme.DATA_PATH
    programme.DATA_PATH = path
    programme.work_programme.cache_clear()
    rulebook._book.cache_clear()
    try:
        yield path
    finally:
        programme.DATA_PATH = saved
        programme.work_programme.cache_clear()
        rulebook._book.cache_clear()
