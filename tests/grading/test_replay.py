"""Tests of consortia.grading.answers and .replay: tests run again, by the grader, on data."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from matplotlib.figure import Figure

from consortia.grading import answers, replay
from hostile_fixtures import source_notebook


def round_trip(value, tmp_path):
    path = tmp_path / "x.json"
    answers.export({"v": value}, ["v"], str(path))
    return answers.read_export(path)["values"]["v"]


@pytest.mark.parametrize("value", [
    "III", 6, 2.5, None, True, ["B", "D"], ("a", 1), {"market_potential": 7}, {3, 1},
    {1: "one", "two": [2.0]}, float("inf"), 2**70,
])
def test_plain_answers_come_back_as_they_were(value, tmp_path):
    assert round_trip(value, tmp_path) == value


def test_tables_come_back_with_their_index_and_types(tmp_path):
    frame = pd.DataFrame({"slug": ["belize", "guyana"], "stage": [1, 2]},
                         index=pd.Index([10, 20], name="row"))
    back = round_trip(frame, tmp_path)
    pd.testing.assert_frame_equal(back, frame)
    series = pd.Series([71.0, 55.5], index=pd.Index(["a", "b"], name="slug"), name="share")
    pd.testing.assert_series_equal(round_trip(series, tmp_path), series)


def test_a_chart_comes_back_as_its_bars_and_labels(tmp_path):
    fig = Figure()
    ax = fig.subplots()
    ax.bar(["a", "b", "c"], [3, 1, 2])
    ax.set_ylabel("share (%)")
    back = round_trip(fig, tmp_path)
    assert isinstance(back, Figure)
    assert [p.get_height() for p in back.axes[0].patches] == [3, 1, 2]
    assert back.axes[0].get_ylabel() == "share (%)"


def test_what_is_not_data_is_marked_never_pickled(tmp_path):
    path = tmp_path / "x.json"
    answers.export({"f": len, "g": lambda: 1}, ["f", "g", "missing"], str(path))
    read = answers.read_export(path)
    assert set(read["unexportable"]) == {"f", "g"}
    assert read["values"]["missing"] is answers.Missing
    assert "pickle" not in path.read_text()


def test_a_value_that_fails_to_convert_is_described_in_words(tmp_path):
    class Broken:
        def __repr__(self):  # a set is written in the order of its items' repr
            raise KeyError("answer_1")

    path = tmp_path / "x.json"
    answers.export({"table": {Broken(), Broken()}}, ["table"], str(path))
    why = answers.read_export(path)["unexportable"]["table"]
    assert why.startswith("value that could not be copied out of the notebook")


def test_an_oversized_or_linked_export_is_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"values": {"v": {"value": "x" * (answers.MAX_EXPORT_BYTES + 1)}}}))
    with pytest.raises(ValueError, match="too large"):
        answers.read_export(big)
    link = tmp_path / "link.json"
    link.symlink_to("/etc/passwd")
    with pytest.raises(OSError):
        answers.read_export(link)


def test_the_audit_tells_the_kit_s_helpers_from_replaced_ones():
    from consortia.grading import checks

    assert answers.trusted(answers.audit({"checks": checks}))
    real = checks.answer_word
    try:
        checks.answer_word = lambda *a, **k: "origin"
        assert not answers.trusted(answers.audit({"checks": checks}))
    finally:
        checks.answer_word = real
    import types

    fake = types.ModuleType("consortia.grading.checks")
    assert not answers.trusted(answers.audit({"checks": fake}))


def test_the_plan_of_a_notebook_names_what_each_test_reads(tmp_path):
    import nbformat

    path = tmp_path / "nb.ipynb"
    nbformat.write(source_notebook(), path)
    plan = replay.plan_for(path)
    assert plan.setup == ["from consortia.grading import checks"]
    assert plan.names_for("test_answer") == ["answer"]
    assert plan.names_for("test_double") == ["double"]
    assert plan.names_for("test_result") == []


def test_a_cell_runs_as_in_a_kernel():
    ns: dict = {"__name__": "__main__"}
    assert replay.run_cell("x = 2\nx * 0.5", ns, 5) == [
        {"output_type": "execute_result", "execution_count": None, "metadata": {},
         "data": {"text/plain": "1.0"}}]  # a number: nbgrader's partial credit
    failed = replay.run_cell("assert x == 3, 'x should be 3'", ns, 5)
    assert failed == [{"output_type": "error", "ename": "AssertionError",
                       "evalue": "x should be 3", "traceback": ["AssertionError: x should be 3"]}]
    err = replay.run_cell("import sys\nprint('oops', file=sys.stderr)", ns, 5)
    assert err[0]["name"] == "stderr"
    slow = replay.run_cell("while True:\n    pass", ns, 1)
    assert slow[-1]["ename"] == "CellTimeoutError"


def test_replay_uses_the_exported_values_and_only_for_tests_that_were_reached(tmp_path):
    import nbformat

    path = tmp_path / "nb.ipynb"
    nbformat.write(source_notebook(), path)
    plan = replay.plan_for(path)
    folder = tmp_path / "work"
    folder.mkdir()
    answers.export({"answer": "export"}, ["answer"], str(folder / replay.export_path(
        "test_answer")))
    (folder / "result.txt").write_text("42")
    done = replay.replay(plan, folder, 5)
    assert set(done.outputs) == {"test_answer"}  # the others were never reached
    assert done.outputs["test_answer"][-1]["evalue"] == "answer names the other kind."
