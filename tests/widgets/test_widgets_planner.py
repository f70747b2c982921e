"""Tests of consortia.widgets.planner: the form a country team builds its action plan in.

The widget is driven in-process as a participant would drive it in the notebook:
set a control's value, click a button, then check the plan, the validator's
findings and the file on disk (ipywidgets run their handlers without a browser).
"""

from __future__ import annotations

import json

import pytest

from consortia.content import cases
from consortia.plans.files import load_plan, plan_to_json
from consortia.widgets import PhasePlanner
from consortia.widgets.planner import NEW

CASE = "belize"


@pytest.fixture
def open_planner(tmp_path):
    """Open planners on files in a fresh folder; fail if any handler hit a bug."""
    opened: list[PhasePlanner] = []

    def _open(name: str = "plan.json", case: str | None = CASE) -> PhasePlanner:
        planner = PhasePlanner(tmp_path / name, case=case)
        opened.append(planner)
        return planner

    yield _open
    for planner in opened:
        assert planner.unexpected_errors == [], planner.unexpected_errors[0]


def codes_for(planner: PhasePlanner, subject: str) -> set[str]:
    return {f.code for f in planner.findings if f.subject == subject}


def all_codes(planner: PhasePlanner) -> set[str]:
    return {f.code for f in planner.findings}


def fill_activity(planner: PhasePlanner, title: str, phase: int = 3, start: int = 0,
                  duration: int = 2, owner: str = "", budget: str = "") -> None:
    planner.activity_selector.value = NEW
    planner.activity_title.value = title
    planner.activity_phase.value = phase
    planner.activity_start.value = start
    planner.activity_duration.value = duration
    planner.activity_owner.value = owner
    planner.activity_budget.value = budget


def drawn(planner: PhasePlanner) -> bytes:
    """The timeline as shown (SVG, with its texts kept as text)."""
    return bytes(planner.timeline.value)


def assert_saved(planner: PhasePlanner) -> None:
    """The file on disk holds exactly the plan the participant sees."""
    assert load_plan(planner.path) == planner.plan


# --- starting ----------------------------------------------------------------------------


def test_a_missing_file_is_created_at_once_from_the_case(open_planner, tmp_path):
    planner = open_planner()
    path = tmp_path / "plan.json"
    assert path.exists()
    assert planner.path == path
    assert_saved(planner)
    case = cases.case(CASE)
    assert planner.plan.case == CASE
    assert planner.plan.country == case.country
    assert planner.plan_country.value == case.country
    assert planner.plan_consortium.value == planner.plan.consortium
    assert [a.phase for a in planner.plan.activities] == [3, 4, 5]
    assert planner.status_ok and "plan.json" in planner.status_text
    assert planner.problem is None
    # the starter activities have no owner yet: the checks say so from the start
    assert {f.subject for f in planner.findings if f.code == "owner-missing"} == {
        "A1", "A2", "A3"}
    assert drawn(planner).lstrip().startswith((b"<?xml", b"<svg"))
    assert "owner" in planner.findings_panel.value


def test_the_planner_shows_itself_as_a_widget(open_planner):
    planner = open_planner()
    bundle = planner._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    titles = [planner.tabs.get_title(n) for n in range(len(planner.tabs.children))]
    assert titles == ["Plan", "Activities", "Indicators", "Milestones", "Progress"]


def test_phase_choices_read_as_numeral_and_title(open_planner):
    planner = open_planner()
    labels = dict(planner.activity_phase.options)
    assert labels["III  Creation of the initial group and definition of objectives"] == 3
    assert sorted(labels.values()) == list(range(1, 11))


# --- activities -----------------------------------------------------------------------------


def test_adding_an_activity_saves_it_and_rechecks_the_plan(open_planner):
    planner = open_planner()
    fill_activity(planner, "Meet the cacao farmers", phase=3, start=1, duration=2)
    planner.add_activity_button.click()

    added = planner.plan.activity("A4")
    assert (added.title, added.phase, added.start_month, added.duration_months) == (
        "Meet the cacao farmers", 3, 1, 2)
    assert planner.activity_selector.value == "A4"
    assert_saved(planner)
    assert "owner-missing" in codes_for(planner, "A4")
    assert b"Meet the cacao farmers" in drawn(planner)

    # naming an owner and a budget makes those findings go away for this activity
    planner.activity_owner.value = "Belize Chamber of Commerce"
    planner.activity_budget.value = "2,500"
    planner.update_activity_button.click()
    assert planner.plan.activity("A4").owner == "Belize Chamber of Commerce"
    assert planner.plan.activity("A4").budget_usd == 2500
    assert "owner-missing" not in codes_for(planner, "A4")
    assert "no-budget" not in codes_for(planner, "A4")
    assert "owner-missing" in codes_for(planner, "A1")  # the others still lack one
    assert_saved(planner)


def test_updating_and_removing_the_selected_activity(open_planner):
    planner = open_planner()
    planner.activity_selector.value = "A2"
    assert planner.activity_title.value == planner.plan.activity("A2").title  # form filled
    before = drawn(planner)
    planner.activity_duration.value = 5
    planner.update_activity_button.click()
    assert planner.plan.activity("A2").duration_months == 5
    assert len(planner.plan.activities) == 3
    assert "early-phases-late" in codes_for(planner, "A2")  # phase IV now ends after month 6
    assert drawn(planner) != before
    assert_saved(planner)

    planner.remove_activity_button.click()
    assert [a.id for a in planner.plan.activities] == ["A1", "A3"]
    assert planner.activity_selector.value == NEW
    assert "A2" not in {value for _label, value in planner.activity_selector.options}
    assert_saved(planner)


def test_update_without_a_selection_explains_what_to_do(open_planner):
    planner = open_planner()
    before = planner.plan
    fill_activity(planner, "Something")
    planner.update_activity_button.click()
    assert planner.plan == before
    assert not planner.status_ok
    assert "Choose the activity" in planner.status_text


def test_the_form_warns_that_edits_are_not_saved_until_a_button_is_clicked(open_planner):
    planner = open_planner()
    planner.activity_selector.value = "A1"
    assert planner.activity_hint.value == ""
    planner.activity_owner.value = "Producers' association"
    assert "Update selected" in planner.activity_hint.value
    planner.update_activity_button.click()
    assert planner.activity_hint.value == ""


# --- refused input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "budget", "expected"),
    [
        ("", "", "Title of the activity cannot be empty"),
        ("   ", "", "Title of the activity cannot be empty"),
        ("Training", "12k", "Budget '12k' is not a number"),
        ("Training", "-5", "Budget of the activity must be 0 or more"),
        ("x" * 201, "", "Title of the activity is too long"),
    ],
)
def test_invalid_input_leaves_the_plan_and_file_unchanged(open_planner, title, budget,
                                                          expected):
    planner = open_planner()
    before, on_disk = planner.plan, planner.path.read_bytes()
    fill_activity(planner, title, budget=budget)
    planner.add_activity_button.click()
    assert planner.plan == before
    assert planner.path.read_bytes() == on_disk
    assert not planner.status_ok
    assert expected in planner.status_text
    assert "unchanged" in planner.status_text
    assert planner.history == []  # nothing to undo: nothing happened


def test_an_empty_consortium_name_is_refused_and_the_old_one_kept(open_planner):
    planner = open_planner()
    name = planner.plan.consortium
    planner.plan_consortium.value = ""
    assert planner.plan.consortium == name
    assert load_plan(planner.path).consortium == name
    assert "Consortium name cannot be empty" in planner.status_text


# --- plan fields ----------------------------------------------------------------------------


def test_plan_fields_are_saved_as_they_are_typed(open_planner):
    planner = open_planner()
    assert "few-partner-kinds" in all_codes(planner)
    assert "no-objectives" in all_codes(planner)

    planner.plan_member_kinds["public sector"].value = True
    planner.plan_members_count.value = 40
    planner.plan_objectives.value = "Sell at two fairs a year\n\nTrain 30 growers\n"
    planner.plan_review.value = 12

    plan = load_plan(planner.path)
    assert plan.members.kinds == ["producers", "public sector"]
    assert plan.members.count == 40
    assert plan.objectives == ["Sell at two fairs a year", "Train 30 growers"]
    assert plan.review_every_months == 12
    assert "few-partner-kinds" not in all_codes(planner)
    assert "no-objectives" not in all_codes(planner)
    assert "review-cadence" in all_codes(planner)  # every 12 months is too rare


def test_typing_in_one_field_is_one_step_for_undo(open_planner):
    planner = open_planner()
    original = planner.plan.consortium
    for text in ("C", "Ca", "Cac", "Cacao"):
        planner.plan_consortium.value = text
    assert load_plan(planner.path).consortium == "Cacao"
    planner.undo_button.click()
    assert planner.plan.consortium == original
    assert planner.plan_consortium.value == original
    assert load_plan(planner.path).consortium == original


def test_a_shorter_horizon_bounds_the_month_sliders(open_planner):
    planner = open_planner()
    planner.plan_horizon.value = 12
    assert planner.plan.horizon_months == 12
    assert planner.activity_duration.max == 12
    assert planner.milestone_month.max == 12


# --- indicators and milestones -----------------------------------------------------------------


def test_adding_an_indicator_and_linking_an_activity_to_it(open_planner):
    planner = open_planner()
    assert "no-economic-indicator" in all_codes(planner)
    planner.indicator_name.value = "Cacao sold at a premium"
    planner.indicator_kind.value = "economic"
    planner.indicator_unit.value = "tonnes"
    planner.indicator_baseline.value = 0
    planner.indicator_target.value = 20
    planner.add_indicator_button.click()
    assert [i.name for i in planner.plan.indicators] == ["Cacao sold at a premium"]
    assert "no-economic-indicator" not in all_codes(planner)
    assert planner.activity_indicators.options == ("Cacao sold at a premium",)

    planner.activity_selector.value = "A3"
    planner.activity_indicators.value = ("Cacao sold at a premium",)
    planner.update_activity_button.click()
    assert planner.plan.activity("A3").indicators == ["Cacao sold at a premium"]
    assert "no-indicator" not in codes_for(planner, "A3")
    assert "no-indicator" in codes_for(planner, "A1")
    assert_saved(planner)

    # renaming the indicator keeps the link; removing it removes the link
    planner.indicator_selector.value = "Cacao sold at a premium"
    planner.indicator_name.value = "Premium cacao sold"
    planner.update_indicator_button.click()
    assert planner.plan.activity("A3").indicators == ["Premium cacao sold"]
    assert "unknown-indicator" not in all_codes(planner)
    planner.remove_indicator_button.click()
    assert planner.plan.indicators == []
    assert planner.plan.activity("A3").indicators == []
    assert_saved(planner)


def test_a_second_indicator_with_the_same_name_is_refused(open_planner):
    planner = open_planner()
    planner.indicator_name.value = "Members"
    planner.indicator_kind.value = "non-economic"
    planner.add_indicator_button.click()
    before = planner.plan
    planner.indicator_selector.value = NEW
    planner.indicator_name.value = "Members"
    planner.indicator_kind.value = "non-economic"
    planner.add_indicator_button.click()
    assert planner.plan == before
    assert "already exists" in planner.status_text


def test_a_fair_milestone_satisfies_the_market_rule(open_planner):
    planner = open_planner()
    assert "no-market-milestone" in all_codes(planner)
    planner.milestone_title.value = "Belize agro-fair"
    planner.milestone_month.value = 10
    planner.milestone_kind.value = "fair"
    planner.add_milestone_button.click()
    assert [(m.title, m.month, m.kind) for m in planner.plan.milestones] == [
        ("Belize agro-fair", 10, "fair")]
    assert "no-market-milestone" not in all_codes(planner)
    assert b"Belize agro-fair" in drawn(planner)
    assert_saved(planner)

    planner.milestone_selector.value = 0
    planner.remove_milestone_button.click()
    assert planner.plan.milestones == []
    assert "no-market-milestone" in all_codes(planner)
    assert_saved(planner)


# --- undo, restart and recovery -----------------------------------------------------------------


def test_undo_restores_the_previous_plan_and_file(open_planner):
    planner = open_planner()
    start, start_bytes = planner.plan, planner.path.read_bytes()
    assert planner.undo_button.disabled
    fill_activity(planner, "Producer census", owner="Ministry of Agriculture")
    planner.add_activity_button.click()
    after_add = planner.plan
    planner.activity_selector.value = "A1"
    planner.remove_activity_button.click()

    planner.undo_button.click()
    assert planner.plan == after_add
    assert_saved(planner)
    planner.undo_button.click()
    assert planner.plan == start
    assert planner.path.read_bytes() == start_bytes
    assert planner.undo_button.disabled
    planner.undo_button.click()  # nothing left: says so, changes nothing
    assert planner.plan == start
    assert "Nothing to undo" in planner.status_text


def test_a_new_planner_on_the_same_file_continues_the_plan(open_planner):
    planner = open_planner()
    fill_activity(planner, "Visit the Toledo growers", owner="TCGA")
    planner.add_activity_button.click()
    planner.plan_territory.value = "Toledo District"

    again = open_planner(case="jamaica")  # after a kernel restart; the case is not reapplied
    assert again.plan == planner.plan
    assert again.plan_territory.value == "Toledo District"
    assert "A4" in {value for _label, value in again.activity_selector.options}
    assert again.status_ok and "Opened plan.json" in again.status_text


def test_a_broken_plan_file_is_left_intact_and_work_goes_to_a_recovered_file(
        open_planner, tmp_path):
    broken = tmp_path / "plan.json"
    content = b'{"consortium": "Our group", "activities": [ {"id": "A1",'  # cut short
    broken.write_bytes(content)

    planner = open_planner()
    assert broken.read_bytes() == content
    assert planner.path == tmp_path / "plan.recovered.json"
    assert "not valid JSON" in planner.problem
    assert "plan.recovered.json" in planner.banner.value
    assert "not</b> changed" in planner.banner.value
    assert not planner.status_ok

    fill_activity(planner, "Start again", owner="Chamber")
    planner.add_activity_button.click()
    assert broken.read_bytes() == content
    assert_saved(planner)

    # after a restart the work on the recovered file is picked up, not started afresh
    again = open_planner()
    assert again.path == planner.path
    assert again.plan == planner.plan
    assert broken.read_bytes() == content


def test_a_file_changed_elsewhere_is_kept_aside_before_saving(open_planner, tmp_path):
    planner = open_planner()
    other = json.loads(plan_to_json(planner.plan))
    other["country"] = "Changed by hand"
    edited = json.dumps(other).encode()
    planner.path.write_bytes(edited)

    planner.plan_product.value = "Cacao beans"
    assert load_plan(planner.path).product == "Cacao beans"
    kept = list(tmp_path.glob("plan.changed-elsewhere-*.json"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == edited
    assert "changed outside this planner" in planner.status_text


def _help_texts(planner: PhasePlanner) -> str:
    import ipywidgets as w

    found = []

    def walk(widget):
        if isinstance(widget, w.HTML):
            found.append(widget.value)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(planner.widget)
    return " ".join(found)


def test_the_planner_help_follows_the_work_programme(tmp_path_factory, open_planner):
    from programme_fixtures import programme_variant

    assert "phases III to V should fit in the first six months" in _help_texts(open_planner())
    with programme_variant(tmp_path_factory.mktemp("programme"), months=9, review=4):
        texts = _help_texts(open_planner("variant.json"))
    assert "phases III to V should fit in the first nine months" in texts
    assert "reviewed at least every four months" in texts


# --- no silent duplicates, no silent defaults, no implausible values --------------------------


def test_add_while_an_activity_is_selected_never_copies_it(open_planner):
    planner = open_planner()
    fill_activity(planner, "Tasting day", owner="Growers")
    planner.add_activity_button.click()
    assert planner.activity_selector.value == "A4"  # the new activity is now selected
    before, on_disk = planner.plan, planner.path.read_bytes()
    planner.add_activity_button.click()  # a second click on Add
    assert planner.plan == before and planner.path.read_bytes() == on_disk
    assert not planner.status_ok
    assert "A4 is already called “Tasting day”" in planner.status_text
    assert "Update selected" in planner.status_text
    planner.activity_title.value = "  tasting   DAY "  # the same title, typed differently
    planner.add_activity_button.click()
    assert planner.plan == before
    planner.activity_title.value = "Second tasting day"
    planner.add_activity_button.click()  # a new title: a new activity, from the same form
    assert [a.title for a in planner.plan.activities][-2:] == ["Tasting day",
                                                               "Second tasting day"]
    planner.activity_title.value = "Tasting day"  # renaming A5 to A4's title
    before = planner.plan
    planner.update_activity_button.click()
    assert planner.plan == before
    assert "A4 is already called “Tasting day”: give A5 a different title" in planner.status_text


def test_the_kind_of_an_indicator_is_never_chosen_for_the_team(open_planner):
    planner = open_planner()
    assert planner.indicator_kind.value is None  # nothing preselected
    planner.indicator_name.value = "Members at the general meeting"
    planner.add_indicator_button.click()
    assert planner.plan.indicators == []
    assert not planner.status_ok and "Choose the kind of the indicator" in planner.status_text
    planner.indicator_kind.value = "non-economic"
    planner.add_indicator_button.click()
    assert [(i.name, i.kind) for i in planner.plan.indicators] == [
        ("Members at the general meeting", "non-economic")]
    planner.indicator_selector.value = NEW  # a new indicator starts without a kind again
    assert planner.indicator_kind.value is None


def test_an_indicator_without_a_kind_in_the_file_is_named_and_must_be_given_one(open_planner,
                                                                                 tmp_path):
    from plan_fixtures import MEETINGS, good_plan

    data = json.loads(plan_to_json(good_plan()))
    for item in data["indicators"]:
        if item["name"] == MEETINGS:
            del item["kind"]
    (tmp_path / "old.json").write_text(json.dumps(data), encoding="utf-8")
    planner = open_planner("old.json")
    assert codes_for(planner, MEETINGS) == {"indicator-kind-missing"}
    assert f"{MEETINGS} (kind not chosen)" in [label for label, _ in
                                                planner.indicator_selector.options]
    planner.indicator_selector.value = MEETINGS
    assert planner.indicator_kind.value is None
    planner.indicator_kind.value = "non-economic"
    planner.update_indicator_button.click()
    assert "indicator-kind-missing" not in all_codes(planner)
    assert_saved(planner)


def test_a_budget_of_a_billion_dollars_and_zero_members_get_findings(open_planner):
    planner = open_planner()
    fill_activity(planner, "Stand at the fair", owner="Growers", budget="US$ 999,999,999,999")
    planner.add_activity_button.click()
    added = planner.plan.activities[-1].id
    assert "budget-implausible" in codes_for(planner, added)
    assert "US$ 999,999,999,999" in planner.findings_panel.value
    planner.activity_budget.value = "2,500"
    planner.update_activity_button.click()
    assert "budget-implausible" not in all_codes(planner)

    assert planner.plan.members.count == 0  # the case says nothing of the count
    assert "members-missing" in codes_for(planner, "members")
    planner.plan_members_count.value = 25
    assert "members-missing" not in all_codes(planner)


# --- where messages appear ---------------------------------------------------------------------


def test_each_message_appears_beside_the_button_that_was_clicked(open_planner):
    planner = open_planner()
    assert planner.status_line is planner.status  # "Started a new plan..." below the tabs
    fill_activity(planner, "Tasting day", owner="Growers")
    planner.add_activity_button.click()
    assert planner.status_line is planner.activity_status
    assert "Added activity A4" in planner.activity_status.value
    assert planner.status.value == ""  # the old message is gone, not left as if new

    planner.indicator_name.value = "Buyers"
    planner.add_indicator_button.click()  # refused: no kind
    assert planner.status_line is planner.indicator_status
    assert "Choose the kind" in planner.indicator_status.value
    assert planner.activity_status.value == ""

    planner.milestone_title.value = "Agro-fair"
    planner.add_milestone_button.click()
    assert planner.status_line is planner.milestone_status
    assert "Added milestone" in planner.milestone_status.value

    planner.plan_country.value = "Belize (Toledo)"
    assert planner.status_line is planner.plan_status
    assert "Country changed" in planner.plan_status.value

    planner.undo_button.click()
    assert planner.status_line is planner.status
    assert planner.plan_status.value == "" and "Undid" in planner.status.value


def test_undo_says_what_it_undid(open_planner):
    planner = open_planner()
    fill_activity(planner, "Trade fair", owner="Chamber")
    planner.add_activity_button.click()
    planner.remove_activity_button.click()
    assert "Removed activity A4 “Trade fair” (Undo brings it back)" in planner.status_text
    planner.undo_button.click()
    assert planner.status_text.startswith("Undid: removed activity A4 “Trade fair”.")
    assert "Trade fair" in [a.title for a in planner.plan.activities]
    planner.undo_button.click()
    assert planner.status_text.startswith("Undid: added activity A4 “Trade fair”.")
    assert "Trade fair" not in [a.title for a in planner.plan.activities]


# --- what the cell leaves for after a reload --------------------------------------------------


def test_the_planner_cell_leaves_a_line_saying_where_the_plan_is_and_how_to_reopen_it(
        tmp_path):
    """Run the cell in a real kernel: its outputs are what a reloaded page shows again."""
    import nbformat
    from nbclient import NotebookClient

    cell = nbformat.v4.new_code_cell(
        "from consortia.widgets import PhasePlanner\nPhasePlanner('team.json', case='belize')")
    nb = nbformat.v4.new_notebook(cells=[cell])
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    note, shown = cell.outputs
    line = "Your plan is saved in team.json. Run this cell again to reopen the planner."
    assert note.output_type == "display_data"
    assert note.data["text/plain"] == line
    assert line in note.data["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in shown.data
    assert (tmp_path / "team.json").exists()


def test_the_live_planner_hides_its_own_reload_note_only(open_planner):
    first, second = open_planner("one.json"), open_planner("two.json")
    assert first.reload_note() == (f"Your plan is saved in {first.path}. Run this cell again "
                                   "to reopen the planner.")
    note = first._reload_note_html(first.reload_note())
    own = first._note_class
    assert f'class="{own}"' in note
    styles = [child.value for child in first.widget.children
              if isinstance(child.value if hasattr(child, "value") else None, str)
              and child.value.startswith("<style>")]
    assert styles and own in styles[0] and "display:none" in styles[0]
    assert second._note_class != own and own not in second.reload_note_style()
