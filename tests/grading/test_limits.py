"""Tests of consortia.grading.limits and .cgroups: what a submission may use, and how it holds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from traitlets.config import Config

from consortia.errors import InputError
from consortia.grading import cgroups
from consortia.grading.limits import Limits, parse_size, size_text


@pytest.mark.parametrize(("text", "size"), [("2 GiB", 2 * 2**30), ("200 MB", 200 * 10**6),
                                            ("64m", 64 * 10**6), (4096, 4096), ("1.5 GB", 1.5e9)])
def test_sizes_are_read_as_people_write_them(text, size):
    assert parse_size(text, "x") == size


@pytest.mark.parametrize("text", ["lots", "2 GB RAM", "-5 MB", True, "0"])
def test_a_size_that_is_no_size_says_how_to_write_one(text):
    with pytest.raises(InputError, match="x:"):
        parse_size(text, "x")


def test_limits_come_from_the_course_then_the_command_line():
    config = Config({"GradingLimits": {"memory": "1 GiB", "processes": 128}})
    limits = Limits.from_config(config, {"processes": 64, "disk": None})
    assert limits.memory == 2**30 and limits.processes == 64
    assert limits.disk == Limits().disk  # not given anywhere: the default
    with pytest.raises(InputError, match=r"c\.GradingLimits\.memroy is not a limit"):
        Limits.from_config(Config({"GradingLimits": {"memroy": "1 GiB"}}))
    with pytest.raises(InputError, match="at least 256 MiB"):
        Limits.from_config(Config({"GradingLimits": {"memory": "100 MB"}}))


def test_every_resource_limit_is_hard_so_the_participant_cannot_raise_it():
    limits = Limits()
    for name, (soft, hard) in limits.rlimits().items():
        assert hard == soft or (name == "cpu" and hard == soft + 5), name
    argv = limits.prlimit_argv()
    assert argv[0] == "prlimit" and argv[-1] == "--"
    assert f"--data={limits.memory}:{limits.memory}" in argv


def test_a_process_under_the_limits_cannot_raise_them():
    code = ("import resource\ntry:\n    resource.setrlimit(resource.RLIMIT_FSIZE, "
            "(resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n    print('raised')\n"
            "except (ValueError, OSError):\n    print('refused')")
    argv = [*Limits().prlimit_argv(), sys.executable, "-c", code]
    if os.geteuid() == 0:  # root may raise its own limits: drop to another user first
        argv = [*argv[:-3], "setpriv", "--reuid=1600000090", "--regid=1600000090",
                "--clear-groups", "--", *argv[-3:]]
    assert subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip() \
        == "refused"


def test_the_limits_written_into_a_cohort_read_back_as_the_defaults(tmp_path):
    from consortia.grading.nbgrader_course import config_text, load_config

    text = config_text(course_id="cohort", timeout=30)
    (tmp_path / "nbgrader_config.py").write_text(text, encoding="utf-8")
    assert Limits.from_config(load_config(tmp_path)) == Limits()
    for line in ('c.GradingLimits.memory = "2 GiB"', 'c.GradingLimits.disk = "200 MB"',
                 "c.GradingLimits.processes = 256"):
        assert line in text
    assert size_text(Limits().memory) == "2 GiB"


def test_cgroups_are_detected_or_the_reason_is_given():
    mechanism = cgroups.detect()
    assert mechanism.kind in ("v1", "v2", "none")
    if os.geteuid() != 0:
        assert mechanism.kind == "none" and "root" in mechanism.reason
    if mechanism.kind == "none":
        assert mechanism.reason and "per process only" in mechanism.describe()


def test_a_kernel_cgroup_holds_its_processes_and_is_removed_with_them():
    mechanism = cgroups.detect()
    if not mechanism.usable:
        pytest.skip(f"no cgroup here: {mechanism.reason}")
    group = cgroups.KernelCgroup(mechanism, memory=300 * 2**20, processes=20)
    sleeper = subprocess.Popen([*group.join_argv(), "sleep", "60"])
    try:
        for _ in range(100):
            if group.processes():
                break
            subprocess.run(["sleep", "0.05"])
        assert sleeper.pid in group.processes()
    finally:
        group.remove()
    assert sleeper.wait(timeout=10) != 0  # killed with its cgroup
    assert group.dirs == []
