"""Tests of consortia.plans.files and the plan models: storage, atomic saves, hostile files."""

from __future__ import annotations

import json
import os

import pytest

from consortia.plans import files, starter
from consortia.plans.files import MAX_PLAN_BYTES, PlanFileError, load_plan, save_plan
from consortia.plans.model import ActionPlan, Activity, Indicator, Milestone
from plan_fixtures import MEETINGS, good_plan


def test_save_and_load_round_trip_losslessly(tmp_path):
    plan = good_plan()
    path = save_plan(plan, tmp_path / "plan.json")
    assert load_plan(path) == plan
    # the file itself is stable: saving the loaded plan gives the same bytes
    first = path.read_bytes()
    save_plan(load_plan(path), path)
    assert path.read_bytes() == first
    assert json.loads(first)["schema_version"] == 2


def test_save_creates_missing_folders_and_leaves_no_temporary_files(tmp_path):
    path = save_plan(good_plan(), tmp_path / "team" / "plan.json")
    assert sorted(p.name for p in path.parent.iterdir()) == ["plan.json"]


def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    changed = good_plan().updated(consortium="A new name")
    with pytest.raises(OSError, match="disk full"):
        save_plan(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # temp file removed


def test_save_interrupted_while_writing_keeps_the_previous_file(tmp_path, monkeypatch):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    before = path.read_bytes()

    def half_written(fd):
        os.write(fd, b'{"consortium": "trunc')
        raise KeyboardInterrupt  # e.g. the participant stops the kernel mid-save

    monkeypatch.setattr(os, "fsync", half_written)
    with pytest.raises(KeyboardInterrupt):
        save_plan(good_plan().updated(consortium="Other"), path)
    assert path.read_bytes() == before
    assert load_plan(path) == good_plan()


def test_save_refuses_what_is_not_a_plan(tmp_path):
    with pytest.raises(TypeError, match="needs an ActionPlan"):
        save_plan({"consortium": "x"}, tmp_path / "plan.json")


# --- hostile and broken files --------------------------------------------------------------


def _write(tmp_path, content: bytes | str, name="plan.json"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "not valid JSON"),
        ("consortium = 'Vincy Klus'", "not valid JSON (line 1, column 1"),
        ('{"consortium": "x",}', "not valid JSON"),
        ("[1, 2, 3]", "holds a JSON list, not a plan"),
        ('"just text"', "holds a JSON str, not a plan"),
        ("{}", "consortium is missing"),
        ('{"consortium": "x", "activities": "many"}', "activities"),
        ('{"consortium": "x", "activities": [{"id": "A1", "title": "t", "phase": "three"}]}',
         "activities.0.phase"),
        ('{"consortium": "x", "horizon_months": 1e300}', "horizon_months"),
        ('{"consortium": "x", "activities": [{"id": "A1", "title": "t", "phase": 3, '
         '"duration_months": 99999999999999999999}]}', "activities.0.duration_months"),
        ('{"consortium": "x", "review_every_months": NaN}', "review_every_months"),
        ('{"consortium": "x", "schema_version": 7}', "schema_version 7"),
        ('{"consortium": "x", "password": "hunter2"}', "password is not a known field"),
    ],
)
def test_broken_files_give_a_clear_error(tmp_path, content, expected):
    with pytest.raises(PlanFileError) as info:
        load_plan(_write(tmp_path, content))
    assert expected in str(info.value)
    assert str(tmp_path / "plan.json") in str(info.value)


def test_a_file_that_is_not_json_names_the_command_that_makes_one_as_it_is_typed(tmp_path):
    from consortia._paths import kit_command

    with pytest.raises(PlanFileError) as info:
        load_plan(_write(tmp_path, "consortium = 'Vincy Klus'"))
    assert str(info.value).endswith(kit_command("plan", "new", "--out", "new-plan.json"))


def test_missing_file(tmp_path):
    with pytest.raises(PlanFileError, match="no such file"):
        load_plan(tmp_path / "absent.json")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(PlanFileError, match="is a folder"):
        load_plan(tmp_path)


def test_binary_file(tmp_path):
    with pytest.raises(PlanFileError, match="not a text file"):
        load_plan(_write(tmp_path, b"\x89PNG\r\n\x1a\n\xff\xfe"))


def test_ten_megabyte_file_is_refused_without_reading_it(tmp_path):
    path = _write(tmp_path, b" " * (10 * 1024 * 1024))
    with pytest.raises(PlanFileError, match="far too large"):
        load_plan(path)
    assert path.stat().st_size > MAX_PLAN_BYTES


def test_deeply_nested_json(tmp_path):
    depth = 200_000
    path = _write(tmp_path, "[" * depth + "]" * depth)
    assert path.stat().st_size < MAX_PLAN_BYTES
    with pytest.raises(PlanFileError, match=r"nested far too deeply|not a plan"):
        load_plan(path)


def test_deep_nesting_inside_a_field(tmp_path):
    nested = "[" * 50_000 + "]" * 50_000
    with pytest.raises(PlanFileError):
        load_plan(_write(tmp_path, '{"consortium": "x", "objectives": ' + nested + "}"))


def test_too_many_activities(tmp_path):
    items = [{"id": f"A{i}", "title": "t", "phase": 3} for i in range(600)]
    with pytest.raises(PlanFileError, match="activities"):
        load_plan(_write(tmp_path, json.dumps({"consortium": "x", "activities": items})))


# --- the schema and new plans ------------------------------------------------------------------


def test_schema_is_generated_from_the_model():
    schema = files.plan_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["properties"].keys() == ActionPlan.model_fields.keys()
    assert "consortium" in schema["required"]
    activity = schema["$defs"]["Activity"]
    assert set(activity["properties"]) == set(Activity.model_fields)
    assert json.loads(json.dumps(schema)) == schema


def test_new_plan_from_a_case_is_pre_filled_and_savable(tmp_path):
    plan = starter.new_plan("dominican-republic-casabe")
    assert plan.country == "Dominican Republic"
    assert plan.case == "dominican-republic-casabe"
    assert "Casabe" in plan.product
    assert [a.phase for a in plan.activities] == [3, 4, 5]
    assert max(a.end_month for a in plan.activities) <= 6  # SELA 2014 §8
    assert plan.review_every_months == 6
    assert load_plan(save_plan(plan, tmp_path / "p.json")) == plan


def test_new_plan_from_unknown_case():
    with pytest.raises(ValueError, match="Unknown case 'atlantis'"):
        starter.new_plan("atlantis")


# --- editing -----------------------------------------------------------------------------------


def test_edits_return_new_validated_plans():
    plan = good_plan()
    added = plan.with_activity(Activity(id=plan.next_activity_id(), title="Fair", phase=7))
    assert len(added.activities) == len(plan.activities) + 1
    assert len(plan.activities) == 6  # the original is untouched
    replaced = added.with_activity(added.activity("A7").model_copy(update={"title": "Big fair"}))
    assert replaced.activity("A7").title == "Big fair"
    assert len(replaced.activities) == len(added.activities)
    with pytest.raises(ValueError):
        plan.updated(horizon_months=0)


def test_removing_an_indicator_unlinks_it_from_activities():
    plan = good_plan().without_indicator(MEETINGS)
    assert all(MEETINGS not in a.indicators for a in plan.activities)
    with pytest.raises(KeyError):
        plan.without_indicator("nothing")


def test_indicator_replacement_keeps_its_place():
    plan = good_plan()
    first = plan.indicators[0]
    changed = plan.with_indicator(first.model_copy(update={"target": 99}))
    assert changed.indicators[0].target == 99
    new = changed.with_indicator(Indicator(name="Women members", kind="non-economic"))
    assert new.indicators[-1].name == "Women members"


def test_missing_activity_names_the_valid_ids():
    with pytest.raises(KeyError, match="A1, A2"):
        good_plan().activity("Z9")


def test_milestones_add_and_remove():
    plan = good_plan().with_milestone(Milestone(title="Local launch", month=10, kind="launch"))
    assert plan.milestones[-1].kind == "launch"
    remaining = plan.without_milestone("Local launch").milestones
    assert "Local launch" not in {m.title for m in remaining}


def test_saved_plans_get_ordinary_permissions(tmp_path):
    """A grader or a shared hub must be able to read a participant's plan."""
    umask = os.umask(0o022)
    try:
        path = save_plan(good_plan(), tmp_path / "plan.json")
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o640)
        save_plan(good_plan(), path)
        assert path.stat().st_mode & 0o777 == 0o640  # an existing file keeps its mode
    finally:
        os.umask(umask)


def test_new_plan_can_choose_among_a_cases_products():
    from consortia.content import cases

    names = [p.name for p in cases.case("bahamas").products]
    assert len(names) > 1
    salt = starter.new_plan("bahamas", product="salt")
    assert "salt" in salt.product.lower() and salt.product in names
    with pytest.raises(ValueError, match="no product matching 'gold'"):
        starter.new_plan("bahamas", product="gold")


def test_renaming_an_indicator_keeps_its_place_and_its_links():
    plan = good_plan()
    renamed = plan.indicators[0].model_copy(update={"name": "Members at meetings"})
    changed = plan.with_indicator(renamed, replacing=MEETINGS)
    assert changed.indicators[0].name == "Members at meetings"
    assert len(changed.indicators) == len(plan.indicators)
    linked = [a for a in plan.activities if MEETINGS in a.indicators]
    assert linked and all("Members at meetings" in changed.activity(a.id).indicators
                          for a in linked)
    assert all(MEETINGS not in a.indicators for a in changed.activities)
    other = plan.indicators[1].name
    with pytest.raises(ValueError, match="already called"):
        plan.with_indicator(renamed.model_copy(update={"name": other}), replacing=MEETINGS)


# --- temporary files of saves that were killed ---------------------------------------------


def _age(path, seconds: float = 60) -> None:
    import os
    import time

    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_next_save_removes_what_a_killed_save_left(tmp_path):
    plan = tmp_path / "plan.json"
    save_plan(good_plan(), plan)
    leftover = tmp_path / ".plan.json.k1ll3d.tmp"
    leftover.write_text('{"consortium": "half', encoding="utf-8")
    other = tmp_path / ".other.json.abc.tmp"  # another plan's: not ours to touch
    other.write_text("x", encoding="utf-8")
    _age(leftover)
    _age(other)
    save_plan(good_plan().updated(country="Belize City"), plan)
    assert not leftover.exists()
    assert other.exists()
    assert load_plan(plan).country == "Belize City"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.json.abc.tmp", "plan.json"]


def test_a_save_in_progress_is_never_taken_for_a_leftover(tmp_path):
    import fcntl
    import os

    plan = tmp_path / "plan.json"
    writing = tmp_path / ".plan.json.busy.tmp"
    writing.write_text("{", encoding="utf-8")
    _age(writing)
    handle = os.open(writing, os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as another process's save holds it
        save_plan(good_plan(), plan)
        assert writing.exists()
    finally:
        os.close(handle)
    fresh = tmp_path / ".plan.json.new.tmp"  # just created, not yet locked
    fresh.write_text("{", encoding="utf-8")
    save_plan(good_plan(), plan)
    assert fresh.exists() and not writing.exists()


def test_saves_killed_at_random_never_corrupt_the_plan_and_leave_nothing_behind(tmp_path):
    """`kill -9` a process that saves in a loop, again and again (as a crashing kernel)."""
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    plan = tmp_path / "plan.json"
    save_plan(good_plan(), plan)
    script = (
        "import sys\n"
        "from consortia.plans.files import load_plan, save_plan\n"
        "plan = load_plan(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "n = 0\n"
        "while True:\n"
        "    n += 1\n"
        "    save_plan(plan.updated(objectives=['x' * 1500] * (n % 50 + 1)), sys.argv[1])\n"
    )
    rng = random.Random(2014)
    for _ in range(15):
        proc = subprocess.Popen([sys.executable, "-c", script, str(plan)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.2))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        assert load_plan(plan).consortium == "Toledo chocolate makers"  # never half-written
    for leftover in tmp_path.glob(".plan.json.*.tmp"):
        _age(leftover)
    save_plan(load_plan(plan), plan)
    assert list(tmp_path.glob(".plan.json.*.tmp")) == []
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_a_file_whose_indicator_has_no_kind_opens_and_the_checker_names_it(tmp_path):
    from consortia.plans import rules

    data = json.loads(files.plan_to_json(good_plan()))
    del data["indicators"][0]["kind"]
    plan = load_plan(_write(tmp_path, json.dumps(data)))
    assert plan.indicators[0].kind is None
    name = plan.indicators[0].name
    assert [f.subject for f in rules.check_plan(plan)
            if f.code == "indicator-kind-missing"] == [name]
