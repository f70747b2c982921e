"""The import paths of earlier versions keep working (notebooks already handed out use them).

Released exercises and participants' notebooks of the previous layout import
``consortia.models``, ``consortia.plan``, ``consortia.cases``, ``consortia.readiness``,
``consortia.grading.checks``, ``consortia.widgets`` and, from the lessons, a dozen other
flat modules. Each line below is one such import; the names must be the very objects
of the new layout, so that a plan built through an old path is checked, saved and
graded like any other.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

#: Old module -> names notebooks of the previous release import from it.
OLD_IMPORTS = {
    "consortia.models": ["Activity", "Indicator", "Members", "Milestone", "ActionPlan",
                         "KIT_OWN", "Case", "Fact", "SelfCheck", "Methodology", "SourcedText",
                         "ROMAN", "Rule", "RuleBook", "PLAN_SCHEMA_VERSION",
                         "MARKET_MILESTONES", "KitModel"],
    "consortia.plan": ["new_plan", "load_plan", "save_plan", "plan_to_json", "plan_schema",
                       "PlanFileError", "MAX_PLAN_BYTES"],
    "consortia.cases": ["case", "all_cases", "load_cases", "load_facts", "swot_frame",
                        "CASES_DIR_ENV", "CaseDataError", "cases_dir", "reload"],
    "consortia.readiness": ["readiness_frame", "case_scores", "total", "band", "assess",
                            "BANDS", "RED_FLAG_AT_MOST", "chart"],
    "consortia.methodology": ["phase", "phases", "phases_frame", "activities_frame",
                              "criteria", "criteria_frame", "numeral", "phase_label",
                              "DATA_DIR"],
    "consortia.rules": ["check_plan", "summary", "has_errors", "findings_frame", "rulebook",
                        "Finding", "SEVERITY_LABELS", "SEVERITY_ORDER", "CHECKS"],
    "consortia.charts": ["plan_gantt", "plan_gantt_svg", "phase_timeline", "phase_coverage",
                         "gantt_layout", "new_figure", "to_png", "PHASE_COLOURS", "FONT_SIZE"],
    "consortia.tables": ["show", "HTMLBlock"],
    "consortia.fact_tables": ["fact_table", "figure_text", "COLUMNS"],
    "consortia.rule_table": ["rule_table", "severity_counts", "SEVERITY_LABELS"],
    "consortia.plan_page": ["render_plan_page"],
    "consortia.plan_preview": ["plan_preview", "PlanPreview", "DEFAULT_HEIGHT"],
    "consortia.planner_app": ["serve", "voila_command", "free_port", "HOST"],
    "consortia.indicators": ["indicator_table", "progress", "progress_chart", "review_months",
                             "with_review_milestones", "MONITORING_RULES"],
    "consortia.case_views": ["summary_card", "facts_table", "swot_table", "stage_chart",
                             "figures_chart", "dates_chart"],
    "consortia.comparison": ["proposals_frame", "stage_chart", "constraint_chart"],
    "consortia.themes": ["themes", "theme_counts", "mentions", "theme_chart"],
    "consortia.readiness_compare": ["compare_frame", "compare_chart", "reasons_frame"],
    "consortia.phase_overview": ["purposes_frame", "case_positions"],
    "consortia.self_checks": ["all_checks", "get", "judge"],
    "consortia.site": ["build_site", "pages"],
    "consortia.course": ["lesson_header", "lesson_footer", "lessons", "lesson", "syllabus",
                         "course_dir", "schedule", "schedule_view", "schedule_summary",
                         "workshop_formats", "ScheduleError"],
    "consortia.grading.checks": ["assert_plan_file", "checked_plan", "assert_rule_passes",
                                 "assert_rules_pass", "assert_no_errors", "plan_summary",
                                 "answer_numeral", "assert_case", "assert_scores"],
    "consortia.grading.rubric": ["load_rubric", "apply_choices", "read_choices", "score"],
    "consortia.widgets": ["PhasePlanner", "ProductReadiness", "RubricGrader", "self_check"],
    "consortia.widgets.planner": ["PhasePlanner", "describe_validation_error",
                                  "findings_html", "FIELD_LABELS", "UNDO_LEVELS"],
    "consortia.widgets.readiness": ["ProductReadiness"],
    "consortia.widgets.quiz": ["self_check"],
}


@pytest.mark.parametrize(("module", "names"), list(OLD_IMPORTS.items()),
                         ids=list(OLD_IMPORTS))
def test_an_old_import_line_still_works(module, names):
    namespace: dict = {}
    exec(f"from {module} import {', '.join(names)}", namespace)  # as a notebook cell does
    for name in names:
        assert namespace[name] is not None


def test_old_names_are_the_objects_of_the_new_layout():
    from consortia.content import cases, readiness
    from consortia.plans import files, model, rules, starter

    old_models = importlib.import_module("consortia.models")
    old_plan = importlib.import_module("consortia.plan")
    assert old_models.ActionPlan is model.ActionPlan
    assert old_plan.new_plan is starter.new_plan and old_plan.load_plan is files.load_plan
    assert importlib.import_module("consortia.cases") is cases
    assert importlib.import_module("consortia.readiness") is readiness
    assert importlib.import_module("consortia.rules").check_plan is rules.check_plan


def test_a_plan_built_through_old_paths_is_checked_and_saved(tmp_path):
    """The cell of the released action-plan exercise, as participants have it."""
    from consortia.models import Activity, Indicator, Members, Milestone
    from consortia.plan import load_plan, new_plan, save_plan
    from consortia.rules import check_plan

    plan = new_plan("belize").updated(members=Members(count=9, kinds=["producers"]))
    plan = plan.with_activity(Activity(id="A9", title="Visit Chulucanas", phase=3))
    plan = plan.with_indicator(Indicator(name="Members", kind="non-economic", target=20))
    plan = plan.with_milestone(Milestone(title="Fair", month=8, kind="fair"))
    path = save_plan(plan, tmp_path / "plan.json")
    assert load_plan(path) == plan
    assert "no-market-milestone" not in {f.code for f in check_plan(plan)}


def test_old_paths_work_in_a_fresh_interpreter():
    """Nothing else needs importing first: `import consortia.models` alone is enough."""
    code = ("import consortia.models as m, consortia.plan as p, consortia.charts as c;"
            "print(m.ActionPlan.__module__, p.new_plan.__module__, c.plan_gantt.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["consortia.plans.model", "consortia.plans.starter", "consortia.plans.timeline"]
