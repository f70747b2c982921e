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


def test_a_year_is_printed_as_a_year(capsys):
    # a fact whose unit is "year" reads "2012", never "2,012 year"
    assert cli.main(["case", "bahamas"]) == 0
    out = capsys.readouterr().out
    assert "2,012" not in out and "2012 year" not in out
    assert "export platform for straw craft: 2012" in out
    assert "over 4 years" in out  # a quantity keeps its unit and qualifier


#: Every kind of data file the kit ships, as check-data names it, and how many items each holds.
SHIPPED = {"methodology": "10 phases", "criteria": "10 criteria",
           "work programme": "3 early phases", "cases": "12 cases", "plan rules": "rules",
           "readiness scores": "12 scored cases", "themes": "themes", "rubrics": "2 rubrics",
           "syllabus": "lessons", "workshop formats": "formats", "self-checks": "questions",
           "progress settings": "settings", "illustrative follow-up": "9 teams"}


def test_check_data_checks_every_kind_of_data_file_and_counts_them():
    code, out, err = run("check-data")
    assert code == 0, err
    lines = out.splitlines()
    for kind, count in SHIPPED.items():
        line = next((row for row in lines if row.startswith(f"ok   {kind} (")), None)
        assert line is not None, f"check-data does not check the {kind}:\n{out}"
        assert line.endswith(count) or f": {count.split()[0]}" in line or count in line, line
    assert f"Checked {len(SHIPPED)} kinds of data files: all valid." in out


def _course_copy(tmp_path):
    import shutil
    from pathlib import Path

    course = Path(__file__).resolve().parents[1] / "course"
    copy = tmp_path / "course"
    shutil.copytree(course / "self_checks", copy / "self_checks")
    for name in ("syllabus.yaml", "workshop_formats.yaml"):
        shutil.copy(course / name, copy / name)
    return copy


@pytest.mark.parametrize(("broken", "kind", "message"), [
    ("syllabus.yaml", "syllabus", "teaching_minutes"),
    ("workshop_formats.yaml", "workshop formats", "start"),
    ("self_checks/01.yaml", "self-checks", "kind"),
])
def test_check_data_finds_a_broken_course_file(tmp_path, broken, kind, message):
    import yaml

    course = _course_copy(tmp_path)
    path = course / broken
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if kind == "syllabus":
        data["lessons"][1]["teaching_minutes"] = "an hour"
    elif kind == "workshop formats":
        data["formats"][0]["days"][0]["start"] = "9 o'clock"
    else:
        data["checks"][0]["kind"] = "essay"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "consortia.cli", "check-data"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CONSORTIA_COURSE_DIR": str(course)})
    assert proc.returncode == 1
    assert f"FAIL {kind} (" in proc.stderr and message in proc.stderr
    assert broken.split("/")[-1] in proc.stderr
    assert "ok   cases (" in proc.stdout  # the other kinds are still checked
    assert "1 of them broken" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_bug_of_the_kit_shows_its_traceback_and_how_to_report_it(monkeypatch, capsys):
    def broken(_args):
        raise ValueError("an internal mistake of the kit")

    monkeypatch.setattr(cli, "cmd_phases", broken)
    assert cli.main(["phases"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "an internal mistake of the kit" in err
    assert "bug in the course kit" in err and "report" in err


def test_a_problem_the_user_can_fix_is_one_line_without_traceback(monkeypatch, capsys):
    from consortia.errors import InputError

    def fixable(_args):
        raise InputError("the folder 'x' does not exist; create it")

    monkeypatch.setattr(cli, "cmd_phases", fixable)
    assert cli.main(["phases"]) == 2
    err = capsys.readouterr().err
    assert err == "consortia: the folder 'x' does not exist; create it\n"


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
    from consortia.plans.files import load_plan

    assert load_plan(out).country == "Guyana"


def test_advice_the_kit_prints_works_as_printed_from_the_kits_folder(tmp_path):
    """``consortia`` is not on the PATH unless an environment is activated: the advice
    names the command as it runs from the kit's folder."""
    import re
    import shlex

    from consortia._paths import checkout, kit_command

    out = tmp_path / "my plan.json"  # a space, as on many learners' machines
    code, stdout, err = run("plan", "new", "--case", "guyana", "--out", str(out))
    assert code == 0, err
    printed = re.search(r"check it with (.+?) \(", stdout).group(1)
    assert printed == kit_command("plan", "check", out)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = "/usr/bin:/bin"  # nothing activated
    proc = subprocess.run(shlex.split(printed), cwd=checkout(), env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr  # 1: the starter plan has findings
    assert "Guyana" in proc.stdout or "guyana" in proc.stdout.lower()


def test_export_advice_reads_the_workbook_back_as_printed(tmp_path):
    """The import command that ``plan export`` prints runs as printed (a dry run)."""
    import re
    import shlex

    from consortia._paths import checkout, kit_command

    plan, book = tmp_path / "my plan.json", tmp_path / "my plan.xlsx"
    assert run("plan", "new", "--case", "guyana", "--out", str(plan))[0] == 0
    code, stdout, err = run("plan", "export", str(plan), "--xlsx", str(book))
    assert code == 0, err
    printed = re.search(r"read it back with (.+)$", stdout.strip()).group(1)
    assert printed == kit_command("plan", "import", book, "--into", plan)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = "/usr/bin:/bin"  # nothing activated
    proc = subprocess.run(shlex.split(printed), cwd=checkout(), env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


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
    from consortia.plans.files import save_plan
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
    from consortia.plans.files import save_plan
    from consortia.plans.starter import new_plan

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
    from consortia.plans.files import save_plan
    from plan_fixtures import good_plan

    path = save_plan(good_plan(), tmp_path / "plan.json")
    page = tmp_path / "out" / "plan.html"
    code, _out, err = run("plan", "show", str(path), "--out", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Toledo chocolate makers" in html and "Activities and timeline" in html
    assert "http://" not in html and "https://" not in html  # nothing loaded from outside


def test_plan_schema_is_json():
    code, out, _ = run("plan", "schema")
    assert code == 0
    assert json.loads(out)["title"] == "ActionPlan"


def test_planner_refuses_a_missing_folder(tmp_path):
    code, _, err = run("planner", str(tmp_path / "nowhere" / "plan.json"), "--no-browser")
    assert code == 2 and "does not exist" in err


# --- the course: agenda and lab -----------------------------------------------------------


def test_course_agenda_writes_csv_and_page_with_the_dates(tmp_path):
    code, stdout, err = run("course", "agenda", "--start", "2027-03-08", "--out",
                            str(tmp_path / "agenda"))
    assert code == 0, err
    assert "Monday 08 March 2027 to Wednesday 10 March 2027" in stdout
    assert sorted(p.suffix for p in (tmp_path / "agenda").iterdir()) == [".csv", ".html"]


def test_course_agenda_with_a_date_it_cannot_read(tmp_path):
    code, _, err = run("course", "agenda", "--start", "next monday", "--out", str(tmp_path))
    assert code == 2 and "YYYY-MM-DD" in err and "Traceback" not in err


def test_lab_refuses_a_copy_inside_the_kit(tmp_path):
    from consortia._paths import course_dir

    code, _, err = run("lab", "--folder", str(course_dir() / "mine"), "--no-browser")
    assert code == 2 and "inside the kit's own course/ folder" in err
    assert not (course_dir() / "mine").exists()
