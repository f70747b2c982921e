"""Plan files of schema version 1 still load, migrated to version 2, with nothing lost.

Two kinds of version-1 file: those the last release wrote (``data/v1/``, saved with
the code of commit 8069caa), and the kit's own plans (every case's starter plan and
the tests' good plan) written back in the version-1 shape.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consortia.content import cases
from consortia.plans.files import PlanFileError, load_plan, migrate, parse_plan, save_plan
from consortia.plans.model import PLAN_SCHEMA_VERSION
from consortia.plans.starter import new_plan
from plan_fixtures import good_plan

V1_FILES = sorted((Path(__file__).parent / "data" / "v1").glob("*.json"))
#: What version 2 added; a version-1 file has none of it.
NEW_FIELDS = {"start_date", "reviews", "indicator_periods", "activity_updates",
              "illustrative_note"}


def as_version_1(plan) -> dict:
    """A plan as the last release wrote it: no progress, no indicator ids, version 1."""
    data = json.loads(plan.model_dump_json())
    for name in NEW_FIELDS:
        data.pop(name)
    data["indicators"] = [{k: v for k, v in i.items() if k not in ("id", "measure")}
                          for i in data["indicators"]]
    data["milestones"] = [{k: v for k, v in m.items() if k != "reached_on"}
                          for m in data["milestones"]]
    data["schema_version"] = 1
    return data


def test_the_last_release_wrote_version_1_files():
    assert len(V1_FILES) >= 4
    assert {json.loads(p.read_text())["schema_version"] for p in V1_FILES} == {1}


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.name)
def test_a_file_of_the_last_release_loads_with_everything_it_held(path, tmp_path):
    old = json.loads(path.read_text(encoding="utf-8"))
    plan = load_plan(path)
    assert plan.schema_version == PLAN_SCHEMA_VERSION == 2
    new = json.loads(plan.model_dump_json())
    for key, value in old.items():
        if key not in ("schema_version", "indicators", "milestones"):
            assert new[key] == value, key
    assert [{k: v for k, v in i.items() if k in old_i} for i, old_i in
            zip(new["indicators"], old["indicators"], strict=True)] == old["indicators"]
    assert [i.id for i in plan.indicators] == [f"I{n}" for n in range(1, len(old["indicators"])
                                                                      + 1)]
    assert (plan.reviews, plan.indicator_periods, plan.start_date) == ([], [], None)
    # saved again, it is a version-2 file that loads to the same plan
    saved = save_plan(plan, tmp_path / path.name)
    assert json.loads(saved.read_text())["schema_version"] == 2
    assert load_plan(saved) == plan


@pytest.mark.parametrize("slug", [c.slug for c in cases.all_cases()])
def test_every_starter_plan_survives_the_round_trip_through_version_1(slug):
    plan = new_plan(slug)
    assert parse_plan(json.dumps(as_version_1(plan))) == plan


def test_the_good_plan_survives_the_round_trip_through_version_1():
    plan = good_plan()
    migrated = parse_plan(json.dumps(as_version_1(plan)))
    assert migrated == plan
    assert [i.id for i in migrated.indicators] == ["I1", "I2"]


def test_a_file_without_a_version_is_read_as_version_1():
    assert migrate({"consortium": "x"})["schema_version"] == 2
    assert parse_plan('{"consortium": "Vincy Klus"}').consortium == "Vincy Klus"


@pytest.mark.parametrize(("version", "message"), [
    (3, "made by a newer version of the kit"),
    ("two", "not a version of the plan format"),
    (0, "not a version of the plan format"),
])
def test_unknown_versions_are_refused_with_a_clear_message(version, message):
    with pytest.raises(PlanFileError, match=message):
        parse_plan(json.dumps({"consortium": "x", "schema_version": version}))
