"""Tests of consortia.plans.session: editing a plan file with undo, autosave and recovery.

These are the promises every front end (the planner widget, the no-code page) relies
on, tested without any widget.
"""

from __future__ import annotations

from consortia.plans.files import load_plan, save_plan
from consortia.plans.model import Activity
from consortia.plans.session import PlanSession
from plan_fixtures import good_plan


def test_a_new_file_starts_from_the_case_and_is_saved_at_once(tmp_path):
    session = PlanSession(tmp_path / "plan.json", case="belize")
    assert session.opened.ok and "Started a new plan from the case 'belize'" in \
        session.opened.message
    assert load_plan(tmp_path / "plan.json") == session.plan
    assert not session.can_undo


def test_opening_counts_in_plain_words(tmp_path):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    trimmed = good_plan().updated(indicators=good_plan().indicators[:1], activities=[])
    assert "6 activities, 2 indicators" in PlanSession(path).opened.message
    save_plan(trimmed, path)
    assert "0 activities, 1 indicator." in PlanSession(path).opened.message


def test_an_edit_is_saved_and_can_be_undone(tmp_path):
    session = PlanSession(save_plan(good_plan(), tmp_path / "plan.json"))
    change = session.apply("Country changed", lambda p: p.updated(country="Belize City"))
    assert change.ok and change.changed and "Saved to plan.json" in change.message
    assert load_plan(session.path).country == "Belize City"
    undone = session.undo()
    assert undone.changed and load_plan(session.path).country == "Belize"
    assert session.undo().message == "Nothing to undo yet."


def test_a_refused_edit_names_the_field_and_changes_nothing(tmp_path):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    before = path.read_bytes()
    session = PlanSession(path)
    change = session.apply("Added activity", lambda p: p.with_activity(
        Activity(id="A9", title="", phase=3)), subject="activity")
    assert not change.ok and not change.changed
    assert change.message == ("Not saved: Title of the activity cannot be empty. The plan is "
                              "unchanged.")
    assert path.read_bytes() == before and session.history == []


def test_typing_in_one_field_is_one_step_for_undo(tmp_path):
    session = PlanSession(save_plan(good_plan(), tmp_path / "plan.json"))
    for text in ("B", "Be", "Bel"):
        session.apply("Country changed", lambda p, t=text: p.updated(country=t),
                      merge_key="country")
    assert len(session.history) == 1
    session.undo()
    assert session.plan.country == "Belize"


def test_a_broken_file_is_left_alone_and_work_goes_on_beside_it(tmp_path):
    broken = tmp_path / "plan.json"
    broken.write_text("{ not json", encoding="utf-8")
    session = PlanSession(broken, case="belize")
    assert not session.opened.ok
    assert session.recovery.reason.startswith("is not valid JSON")
    assert session.path == tmp_path / "plan.recovered.json"
    assert broken.read_text(encoding="utf-8") == "{ not json"
    session.apply("Country changed", lambda p: p.updated(country="Belize City"))
    again = PlanSession(broken)
    assert again.recovery.continued and again.plan.country == "Belize City"


def test_a_change_made_elsewhere_is_kept_aside_before_saving_over_it(tmp_path):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    session = PlanSession(path)
    save_plan(good_plan().updated(country="Changed by the CLI"), path)
    change = session.apply("Product changed", lambda p: p.updated(product="Cacao nibs"))
    assert "changed outside this planner" in change.message
    kept = list(tmp_path.glob("plan.changed-elsewhere-*.json"))
    assert len(kept) == 1 and load_plan(kept[0]).country == "Changed by the CLI"


def test_a_plan_that_cannot_be_written_stays_in_the_session(tmp_path, monkeypatch):
    import errno

    from consortia.plans import session as sessions

    path = save_plan(good_plan(), tmp_path / "plan.json")
    session = PlanSession(path)

    def disk_full(plan, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sessions, "save_plan", disk_full)
    change = session.apply("Country changed", lambda p: p.updated(country="X"))
    assert not change.ok and change.changed
    assert "NOT saved" in change.message and "No space left on device" in change.message
    assert session.plan.country == "X" and load_plan(path).country == "Belize"
    monkeypatch.undo()
    saved = session.apply("Product changed", lambda p: p.updated(product="Bars"))
    assert saved.ok and load_plan(path).country == "X"  # the next change saves it all


def test_undo_says_which_change_it_took_back(tmp_path):
    session = PlanSession(save_plan(good_plan(), tmp_path / "plan.json"))
    session.apply("Country changed", lambda p: p.updated(country="Belize City"),
                  merge_key="country")
    session.apply("Removed activity A6 “Trade fair” (Undo brings it back)",
                  lambda p: p.without_activity("A6"),
                  undo_label="Removed activity A6 “Trade fair”")
    undone = session.undo()
    assert undone.ok and undone.message.startswith("Undid: removed activity A6 “Trade fair”. ")
    assert "A6" in {a.id for a in load_plan(session.path).activities}
    assert session.undo().message.startswith("Undid: country changed. ")
    assert session.undo_labels == [] and session.undo().message == "Nothing to undo yet."


def test_undo_labels_stay_with_their_steps_beyond_the_undo_limit(tmp_path, monkeypatch):
    from consortia.plans import session as sessions

    monkeypatch.setattr(sessions, "UNDO_LEVELS", 3)
    session = PlanSession(save_plan(good_plan(), tmp_path / "plan.json"))
    for n in range(5):
        session.apply(f"Product {n}", lambda p, n=n: p.updated(product=f"Bars {n}"))
    assert session.undo_labels == ["Product 2", "Product 3", "Product 4"]
    assert session.undo().message.startswith("Undid: product 4.")
