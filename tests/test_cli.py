"""Tests of the `consortia` command line."""

from __future__ import annotations

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
