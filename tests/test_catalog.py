"""Tests of consortia.catalog: `check-data` knows every kind of data file the kit ships."""

from __future__ import annotations

from consortia import _paths, catalog


def _covered(path, locations) -> bool:
    return any(path == where or where in path.parents for where in locations)


def test_every_yaml_file_of_the_kit_belongs_to_a_kind_that_is_checked():
    locations = [kind.location().resolve() for kind in catalog.KINDS]
    shipped = [*_paths.DATA_DIR.rglob("*.yaml"), *_paths.course_dir().rglob("*.yaml"),
               *_paths.cases_dir().glob("*.yaml")]
    assert shipped, "no data files found"
    unchecked = [str(p) for p in shipped if not _covered(p.resolve(), locations)]
    assert unchecked == [], "add these kinds of data files to consortia.catalog.KINDS"


def test_every_kind_is_valid_and_holds_items():
    results = catalog.check_all()
    assert [r.kind.name for r in results] == [k.name for k in catalog.KINDS]
    for result in results:
        assert result.ok, result.error
        assert result.count > 0, result.kind.name


def test_a_broken_kind_is_reported_and_the_others_still_checked(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("slug: bad\n", encoding="utf-8")
    monkeypatch.setenv(_paths.CASES_DIR_ENV, str(tmp_path))
    from consortia.content import cases

    cases.reload()
    try:
        results = {r.kind.name: r for r in catalog.check_all()}
    finally:
        monkeypatch.undo()
        cases.reload()
    assert not results["cases"].ok and "bad.yaml" in str(results["cases"].error)
    assert all(r.ok for name, r in results.items() if name not in ("cases", "readiness scores",
                                                                 "illustrative follow-up"))
