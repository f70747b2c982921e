"""Tests of the `consortia` command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from consortia import cli


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "consortia.cli", *args], capture_output=True, text=True, timeout=120
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_phases_lists_ten(capsys):
    assert cli.main(["phases"]) == 0
    out = capsys.readouterr().out
    rows = out.strip().splitlines()[1:]  # below the header
    assert [row.split()[0] for row in rows] == ["I", "II", "III", "IV", "V", "VI", "VII",
                                                 "VIII", "IX", "X"]


def test_phase_shows_sources(capsys):
    assert cli.main(["phase", "III"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Phase III:")
    assert "[SELA 2014 §21]" in out


def test_case_shows_facts_with_sources(capsys):
    assert cli.main(["case", "dominican-republic-casabe"]) == 0
    out = capsys.readouterr().out
    assert "9,000" in out and "[SELA 2014 §16]" in out


def test_facts_of_one_case(capsys):
    assert cli.main(["facts", "belize"]) == 0
    out = capsys.readouterr().out
    assert "belize" in out and "dominican" not in out


@pytest.mark.parametrize("args", [["phase", "XII"], ["case", "atlantis"], ["facts", "atlantis"]])
def test_unknown_input_is_one_line_on_stderr_and_exit_2(args):
    code, _out, err = run(*args)
    assert code == 2
    assert err.startswith("consortia: Unknown")
    assert "Traceback" not in err


def test_check_data_passes_on_the_shipped_data():
    code, out, err = run("check-data")
    assert code == 0, err
    assert out.count("ok ") == 3


def test_check_data_fails_on_a_broken_case_folder(tmp_path):
    (tmp_path / "bad.yaml").write_text("slug: bad\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "consortia.cli", "check-data"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "CONSORTIA_CASES_DIR": str(tmp_path)},
    )
    assert proc.returncode == 1
    assert "bad.yaml: field 'country': is missing" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_console_script_is_installed():
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts.get("consortia") == "consortia.cli:main"


# --- plan commands ----------------------------------------------------------------------


def test_plan_new_writes_a_pre_filled_plan(tmp_path):
    out = tmp_path / "plan.json"
    code, stdout, err = run("plan", "new", "--case", "guyana", "--out", str(out))
    assert code == 0, err
    assert "Wrote" in stdout and "consortia plan check" in stdout
    from consortia.plan import load_plan

    assert load_plan(out).country == "Guyana"


def test_plan_new_never_overwrites_without_force(tmp_path):
    out = tmp_path / "plan.json"
    out.write_text("my precious work", encoding="utf-8")
    code, _, err = run("plan", "new", "--case", "guyana", "--out", str(out))
    assert code == 2 and "already exists" in err
    assert out.read_text(encoding="utf-8") == "my precious work"
    code, _, err = run("plan", "new", "--case", "guyana", "--out", str(out), "--force")
    assert code == 0, err


def test_plan_new_with_unknown_case(tmp_path):
    code, _, err = run("plan", "new", "--case", "atlantis", "--out", str(tmp_path / "p.json"))
    assert code == 2 and "Unknown case 'atlantis'" in err and "Traceback" not in err
    assert not (tmp_path / "p.json").exists()


def test_plan_check_exit_codes(tmp_path):
    from consortia.plan import save_plan
    from plan_fixtures import good_plan

    clean = save_plan(good_plan(), tmp_path / "good.json")
    code, out, _ = run("plan", "check", str(clean))
    assert code == 0 and "0 errors, 0 warnings, 0 advice" in out
    assert "passes every rule" in out

    broken = good_plan().with_activity(
        good_plan().activity("A2").model_copy(update={"owner": ""}))
    bad = save_plan(broken, tmp_path / "bad.json")
    code, out, _ = run("plan", "check", str(bad))
    assert code == 1
    assert "ERROR" in out and "activity A2" in out and "what to do:" in out


def test_plan_check_json_output(tmp_path):
    from consortia.plan import new_plan, save_plan

    path = save_plan(new_plan("belize"), tmp_path / "p.json")
    code, out, _ = run("plan", "check", "--json", str(path))
    report = json.loads(out)
    assert code == 1  # the starter plan has no owners yet
    assert {f["code"] for f in report["findings"]} >= {"owner-missing"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"not json at all", "not valid JSON"),
        (b"[1, 2]", "not a plan"),
        (b'{"consortium": 5}', "consortium"),
        (b" " * (2 * 1024 * 1024), "far too large"),
        (b"[" * 100_000 + b"]" * 100_000, "nested far too deeply"),
    ],
)
def test_plan_check_unreadable_files_exit_2_with_one_line(tmp_path, content, expected):
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run("plan", "check", str(path))
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


def test_plan_show_writes_a_self_contained_page(tmp_path):
    from consortia.plan import save_plan
    from plan_fixtures import good_plan

    path = save_plan(good_plan(), tmp_path / "plan.json")
    page = tmp_path / "out" / "plan.html"
    code, _out, err = run("plan", "show", str(path), "--out", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Toledo chocolate makers" in html and "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html  # nothing loaded from outside


def test_plan_schema_is_json():
    code, out, _ = run("plan", "schema")
    assert code == 0
    assert json.loads(out)["title"] == "ActionPlan"


def test_planner_refuses_a_missing_folder(tmp_path):
    code, _, err = run("planner", str(tmp_path / "nowhere" / "plan.json"), "--no-browser")
    assert code == 2 and "does not exist" in err
