"""The ``consortia`` command: thin wrappers that parse, call the package and print.

Commands::

    consortia phases              the ten phases as a table
    consortia phase III           one phase in full, with its activities and sources
    consortia criteria            the product-selection criteria
    consortia cases               the case studies and the stage each reached
    consortia case belize         one case in full
    consortia facts [SLUG]        every sourced figure (of one case)
    consortia check-data          validate every kind of data file the kit ships (cases,
                                  phases, criteria, work programme, plan rules, readiness,
                                  themes, rubrics, syllabus, workshop formats, self-checks);
                                  exit 1 if one is broken

    consortia plan new --case SLUG --out FILE   start a plan pre-filled from a case
    consortia plan check FILE                   list the findings; exit 1 on errors
    consortia plan show FILE --out plan.html    the plan as a page to print or send (--pdf
                                                for a PDF) [--prepared-by NAME] [--start
                                                YEAR-MONTH] [--date DATE]
    consortia plan schema                       the JSON Schema of plan files
    consortia plan export FILE --xlsx BOOK      the plan as a workbook to fill in offline
    consortia plan import BOOK --into FILE      what the workbook would change (a dry run);
                                                --apply saves it if the workbook is valid
    consortia plan report FILE --out PAGE       the progress report of a review (HTML; .pdf
                                                for a PDF) [--period N] [--on DATE]
    consortia monitor PLANS_DIR --out DIR       the programme dashboard across plans, its
                                                evaluation summary and rows as xlsx
                                                [--iati FILE] [--on DATE]
    consortia planner [FILE]                    the planner as a web page (Voila)
    consortia course build --out DIR [--trainer]   the course as a static web site
    consortia course agenda --start DATE --out DIR  a workshop's agenda on the calendar
                                                (CSV and a printable page)
    consortia lab [--port N]                    your own copy of the course (my_course/),
                                                opened in JupyterLab (what make lab runs)

    consortia workshop new DIR --students CSV   an nbgrader course folder for one cohort
    consortia workshop open DIR                 JupyterLab for the course: prints the address
                                                of the marking page (rubric, plan), which
                                                links to nbgrader's formgrader
    consortia grade DIR [ASSIGNMENT]            autograde every submission (parallel,
                                                sandboxed), write feedback and reports
    consortia report DIR [ASSIGNMENT]           rebuild the report, scores.csv and feedback
                                                from the gradebook, without grading again
                                                (after marking by hand); --release hands
                                                the feedback out through the exchange

Errors a user can fix (unknown phase or case, a broken data or plan file: the kit's
own :class:`~consortia.errors.KitError`) print one clear message on stderr and exit
with status 2 (1 for findings of ``check-data`` and errors of ``plan check``); the
command never shows a traceback for them. Anything else is a bug of the kit: it shows
its traceback, says how to report it, and exits with status 3.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import traceback
from collections.abc import Sequence
from pathlib import Path

from consortia import __version__
from consortia._paths import kit_command
from consortia.errors import KitError

WIDTH = 88

#: Where to report a bug of the kit (printed with an unexpected traceback).
REPORT_BUG = ("This is a bug in the course kit, not a mistake of yours. Please report it to "
              "the kit's maintainers (an issue in the kit's repository, or your trainer), with "
              "the command you ran and the lines above.")


class UserError(KitError):
    """A mistake in how the command was called; its message says what to do."""


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _print_frame(frame) -> None:
    import pandas as pd

    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        print(frame.to_string(index=False))


def cmd_phases(args: argparse.Namespace) -> int:
    from consortia.content import methodology

    frame = methodology.phases_frame()
    _print_frame(frame[["numeral", "title", "duration_months", "start_month", "activities"]])
    return 0


def cmd_phase(args: argparse.Namespace) -> int:
    from consortia.content import methodology

    p = methodology.phase(args.phase)
    print(f"Phase {p.numeral}: {p.title}")
    if p.report_title:
        print(f"  (SELA 2014 wording: {p.report_title})")
    print(_wrap(f"Purpose: {p.purpose.text} [{p.purpose.source}]"))
    print(f"  Typical duration: {p.duration_months} months [{p.duration_source}]")
    print("  Activities:")
    for a in p.activities:
        print(_wrap(f"- {a.text} [{a.source}]", "    "))
    print("  Typical outputs:")
    for o in p.outputs:
        print(_wrap(f"- {o.text} [{o.source}]", "    "))
    return 0


def cmd_criteria(args: argparse.Namespace) -> int:
    from consortia.content import methodology

    for c in methodology.criteria():
        print(f"{c.key}: {c.question}  [{c.source}]")
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from consortia.content import cases

    frame = cases.load_cases()
    _print_frame(frame[["slug", "country", "kind", "stage", "sectors", "n_facts"]])
    return 0


def cmd_case(args: argparse.Namespace) -> int:
    from consortia.content import cases
    from consortia.content.facts import value_text

    c = cases.case(args.slug)
    stage = f"phase {c.stage.phase}" if c.stage.phase else "not placed on the methodology"
    print(f"{c.name} ({c.country}) - {c.kind}")
    print(_wrap(c.summary, ""))
    print(f"Stage: {stage}: {c.stage.label} [{c.stage.source}]")
    print("Products:")
    for p in c.products:
        print(f"  - {p.name} ({p.sector}, {p.territory}) [{p.source}]")
    for kind in ("strengths", "weaknesses", "opportunities", "threats"):
        items = getattr(c, kind)
        if items:
            print(f"{kind.capitalize()}:")
            for item in items:
                print(_wrap(f"- {item.text} [{item.source}]"))
    if c.facts:
        print("Facts:")
        for f in c.facts:
            year = f" ({f.year})" if f.year else ""
            print(_wrap(f"- {f.what}: {value_text(f)}{year} [{f.source}]"))
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    from consortia.content import cases

    frame = cases.load_facts()
    if args.slug:
        cases.case(args.slug)  # raises a clear error for an unknown slug
        frame = frame[frame["slug"] == args.slug]
    shown = frame[["slug", "what", "qualifier", "value", "unit", "year", "source"]]
    _print_frame(shown.astype(object).where(shown.notna(), ""))
    return 0


def cmd_check_data(args: argparse.Namespace) -> int:
    from consortia import catalog

    results = catalog.check_all()
    for result in results:
        where = result.kind.location()
        if result.ok:
            print(f"ok   {result.kind.name} ({where}): {result.count} {result.kind.noun}")
        else:
            print(f"FAIL {result.kind.name} ({where})\n{result.error}", file=sys.stderr)
    failed = [r for r in results if not r.ok]
    verdict = (f"{len(failed)} of them broken: fix the fields named above" if failed
               else "all valid")
    print(f"Checked {len(results)} kinds of data files: {verdict}.")
    return 1 if failed else 0


def cmd_plan_new(args: argparse.Namespace) -> int:
    from consortia.plans import files, rules, starter

    out = Path(args.out)
    if out.exists() and not args.force:
        raise UserError(f"{out} already exists; choose another --out or add --force "
                        "to replace it")
    new = starter.new_plan(args.case, consortium=args.name, product=args.product)
    files.save_plan(new, out)
    findings = rules.check_plan(new)
    print(f"Wrote {out}: {new.consortium} ({len(new.activities)} starter activities).")
    print(f"Next: fill it in with the planner ({kit_command('planner', out)}), then check "
          f"it with {kit_command('plan', 'check', out)} ({rules.summary(findings)} so far).")
    return 0


def cmd_plan_check(args: argparse.Namespace) -> int:
    from consortia.plans import files, rules

    plan = files.load_plan(args.file)
    findings = rules.check_plan(plan)
    if args.json:
        print(json.dumps({"file": str(args.file), "summary": rules.summary(findings),
                          "findings": [f.as_dict() for f in findings]}, indent=2))
        return 1 if rules.has_errors(findings) else 0
    print(f"{plan.consortium} ({args.file}): {rules.summary(findings)}")
    for f in findings:
        print(_wrap(f"{f.severity.upper():8} {f.message}", "  "))
        print(_wrap(f"what to do: {f.suggestion}  [{f.code}; {f.source}]", "           "))
    if not findings:
        print("  The plan passes every rule.")
    return 1 if rules.has_errors(findings) else 0


def _month(text: str | None):
    import datetime as dt

    if text is None:
        return None
    try:
        year, month, *day = (int(part) for part in text.split("-"))
        if len(day) > 1:
            raise ValueError(text)
        dt.date(year, month, *(day or [1]))  # a day, if given, must exist too
        return dt.date(year, month, 1)
    except ValueError:
        raise UserError(f"--start {text!r}: write the month the plan starts as 2014-06 "
                        "(year-month)") from None


def cmd_plan_show(args: argparse.Namespace) -> int:
    from consortia.plans.files import load_plan
    from consortia.plans.page import write_plan_page

    plan = load_plan(args.file)
    start = _month(args.start)
    if start and plan.start_date and (start.year, start.month) != (plan.start_date.year,
                                                                   plan.start_date.month):
        raise UserError(f"the plan already starts on {plan.start_date:%Y-%m-%d}; leave out "
                        "--start, or change the plan's start date in the planner")
    suffix = ".pdf" if args.pdf else ".html"
    out = Path(args.out) if args.out else Path(args.file).with_suffix(suffix)
    if args.pdf and out.suffix.lower() != ".pdf":
        raise UserError(f"--pdf writes a PDF: name the file {out.with_suffix('.pdf').name} "
                        "(or leave out --out)")
    out, count = write_plan_page(plan, out, _day(args.date, "--date"),
                                 prepared_by=args.prepared_by, start=start)
    size = f"{count} A4 page(s)" if count else f"{out.stat().st_size // 1024} KB"
    print(f"Wrote {out} ({size}): " + ("print it or send it." if count else
                                       "open it in a web browser to print or send it."))
    if not (plan.start_date or start):
        print("Months are counted from the start of the plan; for calendar months add "
              "--start YEAR-MONTH, e.g. --start 2014-06.")
    if not args.prepared_by:
        print("Add --prepared-by NAME to say on the page who prepared it.")
    return 0


def cmd_plan_schema(args: argparse.Namespace) -> int:
    from consortia.plans.files import plan_schema

    print(json.dumps(plan_schema(), indent=2))
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    from consortia.plans.files import load_plan
    from consortia.plans.workbook import export_workbook

    plan = load_plan(args.file)
    out = export_workbook(plan, args.xlsx)
    print(f"Wrote {out}: fill in the white cells offline, then read it back with "
          f"{kit_command('plan', 'import', out, '--into', args.file)}")
    return 0


def cmd_plan_import(args: argparse.Namespace) -> int:
    from consortia.plans.files import load_plan, save_plan
    from consortia.plans.workbook import import_workbook

    result = import_workbook(args.file, load_plan(args.into))
    if result.errors:
        print(f"{args.file}: {len(result.errors)} problem(s); nothing was saved. Fix them "
              "in the workbook and run the command again:", file=sys.stderr)
        for error in result.errors:
            print(_wrap(f"- {error}"), file=sys.stderr)
        return 1
    if not result.changes:
        print(f"{args.file}: the workbook holds no change to {args.into}.")
        return 0
    print(f"{args.file} changes {args.into} in {len(result.changes)} place(s):")
    for change in result.changes:
        print(_wrap(f"- {change}"))
    if args.apply:
        save_plan(result.plan, args.into)
        print(f"Saved {args.into}.")
    else:
        print("This was a dry run: nothing was saved. Add --apply to save these changes.")
    return 0


def _day(text: str | None, option: str = "--on"):
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} {text!r}: write the day as 2015-06-12 (year-month-day)") \
            from None


def cmd_plan_report(args: argparse.Namespace) -> int:
    from consortia.plans.files import load_plan
    from consortia.plans.report import write_progress_report

    plan = load_plan(args.file)
    out, pages = write_progress_report(plan, args.out, period=args.period, on=_day(args.on))
    extra = f", {pages} page(s)" if pages else ""
    print(f"Wrote {out}{extra}: the progress report to print or send.")
    return 0


def cmd_monitor(args: argparse.Namespace) -> int:
    from consortia.monitoring.build import build_monitoring

    built = build_monitoring(args.plans_dir, args.out, args.iati, on=_day(args.on))
    print(f"Read {built.plans} plan(s) from {args.plans_dir}.")
    for path in built.files:
        print(f"  wrote {path}")
    for problem in built.skipped:
        print(_wrap(f"SKIPPED {problem}"), file=sys.stderr)
    return 0


def cmd_planner(args: argparse.Namespace) -> int:
    from consortia.plans import app

    return app.serve(Path(args.file), case=args.case, port=args.port,
                             open_browser=not args.no_browser)


def cmd_course_build(args: argparse.Namespace) -> int:
    from consortia.course import site

    files = site.build_site(args.out, trainer=args.trainer, only=args.only,
                            workers=args.workers,
                            progress=lambda line: print(line, flush=True))
    edition = "trainer" if args.trainer else "learner"
    print(f"Wrote {len(files)} pages ({edition} edition): open {files[0]} in a browser.")
    return 0


def cmd_course_agenda(args: argparse.Namespace) -> int:
    from consortia.course import agenda

    files = agenda.export_agenda(args.format, args.start, args.out, weekends=args.weekends)
    days = agenda.workshop_dates(args.start, len(agenda.workshop_format(args.format).days),
                                 args.weekends)
    span = (f"{days[0]:%A %d %B %Y}" + (f" to {days[-1]:%A %d %B %Y}" if len(days) > 1
                                        else ""))
    print(f"Agenda of the {agenda.workshop_format(args.format).title}, {span}:")
    for path in files:
        print(f"  {path}")
    print("Open the .html page in a browser to print it; the .csv opens in a spreadsheet.")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from consortia.course import lab

    return lab.run(folder=Path(args.folder) if args.folder else None, port=args.port,
                   open_browser=not args.no_browser,
                   progress=lambda line: print(line, flush=True))


def cmd_workshop_new(args: argparse.Namespace) -> int:
    from consortia.grading import workshop

    made = workshop.new_workshop(args.dir, args.students, solutions=args.solutions,
                                 course_id=args.course_id, timeout=args.timeout)
    print(f"Created {made.folder} (course {made.course_id}): {len(made.participants)} "
          f"participants, {len(made.assignments)} assignments ({', '.join(made.assignments)}).")
    if made.ignored_columns:
        ignored = ", ".join(made.ignored_columns)
        print(f"  ignored columns of the class list, not stored: {ignored}")
    print(f"Next: hand out release/, collect work into submitted/ (see "
          f"{made.folder / 'README.md'}), then run {kit_command('grade', made.folder)}")
    return 0


def cmd_workshop_open(args: argparse.Namespace) -> int:
    from consortia.grading import workshop

    return workshop.open_workshop(args.dir, port=args.port, open_browser=not args.no_browser,
                                  progress=lambda line: print(line, flush=True))


def cmd_grade(args: argparse.Namespace) -> int:
    from consortia.grading import autograde, feedback, marking, report, sandbox

    def started(box) -> None:
        print(f"consortia grade: sandbox {box.mode} ({box.describe()})", file=sys.stderr)
        if box.mode == "none" and args.sandbox == "auto":
            print(f"consortia grade: WARNING: no sandbox: {sandbox.bwrap_problem()}",
                  file=sys.stderr)
        print("consortia grade: limits of each submission (set in nbgrader_config.py):",
              file=sys.stderr)
        for line in box.enforcement_lines():
            print(f"  {line}", file=sys.stderr)

    limits = {"memory": args.memory, "processes": args.processes, "disk": args.disk,
              "file_size": args.file_size, "cpu_seconds": args.cpu_seconds,
              "output": args.output}
    run = autograde.grade(args.dir, args.assignment, workers=args.workers, timeout=args.timeout,
                          notebook_timeout=args.notebook_timeout, sandbox=args.sandbox,
                          progress=sys.stderr, limits=limits, wait=args.wait, on_start=started)
    feedback.write_feedback(run.course, run.outcomes)
    for name in run.assignments():
        outcomes = run.of(name)
        html, csv_file = report.write_report(run.course, name, outcomes)
        handed = [o for o in outcomes if o.status != "absent"]
        flagged = [o for o in outcomes if o.status in ("failed", "missing")]
        noted = [o for o in handed if o.notes]
        print(f"{name}: {len(handed)} submissions in {run.seconds:.1f} s with {run.workers} "
              f"workers: {len(handed) - len(flagged)} graded, {len(flagged)} flagged, "
              f"{len(noted)} with grader notes (repairs, limits; see the report).")
        print(f"  report: {html}\n  scores: {csv_file}")
        waiting = [o for o in handed if o.needs_manual_grade]
        if waiting:
            some = f"{len(waiting)} submission" + (" has" if len(waiting) == 1 else "s have")
            print(_wrap(f"{some} parts to mark by hand; once marked, "
                        f"run {kit_command('report', run.course, name)} (no grading again)"))
        for o in flagged:
            print(_wrap(f"FLAGGED {o.student}: {o.reason}"))
    if run.ignored:
        print(_wrap("not graded, not an assignment of the course: " + ", ".join(run.ignored)))
    if not run.outcomes:
        print("Nothing to grade: no folders in submitted/ (see the course's README.md).")
    elif any(o.status == "graded" and marking.has_rubric(o.assignment) for o in run.outcomes):
        print(f"Next: mark the written parts with the rubric on the marking page: "
              f"{kit_command('workshop', 'open', run.course)}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from consortia.grading import feedback, report

    for name in report.graded_assignments(args.dir, args.assignment):
        feedback.write_feedback(args.dir, assignment=name)
        html, csv_file = report.write_report(args.dir, name)
        cohort = report.gather(args.dir, name)
        waiting = [o.student for o in cohort.awaiting()]
        shown = ", ".join(waiting[:8]) + (f" and {len(waiting) - 8} more" if waiting[8:] else "")
        print(_wrap(f"{name}: report, scores and feedback rebuilt from the gradebook (no "
                    f"grading): {len(cohort.submitted)} submissions, {len(waiting)} still to "
                    "mark by hand" + (f" ({shown})" if waiting else "") + ".", ""))
        print(f"  report: {html}\n  scores: {csv_file}")
        if args.release:
            done = feedback.release_feedback(args.dir, name)
            print(_wrap(f"feedback released through the exchange to {len(done.released)} "
                        "participants" + (f": {', '.join(done.released)}" if done.released
                                          else "")))
            for student, why in done.not_released.items():
                print(_wrap(f"NOT RELEASED {student}: {why}"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="consortia",
        description="The origin-consortium course kit: methodology and case data.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("phases", help="list the ten phases").set_defaults(func=cmd_phases)
    p = sub.add_parser("phase", help="show one phase in full")
    p.add_argument("phase", help="number (3), numeral (III) or title")
    p.set_defaults(func=cmd_phase)
    sub.add_parser("criteria", help="list the product-selection criteria").set_defaults(
        func=cmd_criteria
    )
    sub.add_parser("cases", help="list the case studies").set_defaults(func=cmd_cases)
    p = sub.add_parser("case", help="show one case study in full")
    p.add_argument("slug", help=f"the case's slug, e.g. belize (see '{kit_command('cases')}')")
    p.set_defaults(func=cmd_case)
    p = sub.add_parser("facts", help="list the sourced figures of all cases or of one")
    p.add_argument("slug", nargs="?", help="only this case")
    p.set_defaults(func=cmd_facts)
    sub.add_parser("check-data", help="validate every data file of the kit").set_defaults(
        func=cmd_check_data
    )

    plan = sub.add_parser("plan", help="action plans: new, check, show, schema, export, "
                          "import, report")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    p = plan_sub.add_parser("new", help="start a plan, pre-filled from a case study")
    p.add_argument("--case", help="the case to start from, e.g. belize")
    p.add_argument("--out", required=True, help="the plan file to write, e.g. plan.json")
    p.add_argument("--name", help="the consortium's name")
    p.add_argument("--product", help="for cases with several products, which one "
                   "(part of its name, e.g. salt)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.set_defaults(func=cmd_plan_new)
    p = plan_sub.add_parser("check", help="check a plan against the methodology's rules")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(func=cmd_plan_check)
    p = plan_sub.add_parser("show", help="write a plan as a page to print or send (HTML "
                            "or PDF)")
    p.add_argument("file")
    p.add_argument("--out", help="the file to write: .html or .pdf (default: the plan's "
                   "name with .html, or .pdf with --pdf)")
    p.add_argument("--pdf", action="store_true", help="write a PDF (printed by Chromium)")
    p.add_argument("--prepared-by", metavar="NAME", help="who prepared the plan, e.g. "
                   "'Belize Chamber of Commerce'")
    p.add_argument("--date", help="the day the page is dated, e.g. 2015-06-12 (default today)")
    p.add_argument("--start", metavar="YEAR-MONTH", help="for a plan without a start date: "
                   "the month it starts, e.g. 2014-06, to show calendar months")
    p.set_defaults(func=cmd_plan_show)
    plan_sub.add_parser("schema", help="print the JSON Schema of plan files").set_defaults(
        func=cmd_plan_schema
    )
    p = plan_sub.add_parser("export", help="write a plan as an Excel workbook to fill in")
    p.add_argument("file", help="the plan file")
    p.add_argument("--xlsx", required=True, help="the workbook to write, e.g. plan.xlsx")
    p.set_defaults(func=cmd_plan_export)
    p = plan_sub.add_parser("import", help="read a filled-in workbook back into a plan")
    p.add_argument("file", help="the workbook (.xlsx)")
    p.add_argument("--into", required=True, help="the plan file it belongs to")
    p.add_argument("--apply", action="store_true", help="save the changes (by default only "
                   "list them); nothing is saved if the workbook has any problem")
    p.set_defaults(func=cmd_plan_import)
    p = plan_sub.add_parser("report", help="write the progress report of a review")
    p.add_argument("file", help="the plan file")
    p.add_argument("--out", required=True, help="the page to write: .html, or .pdf")
    p.add_argument("--period", type=int, help="the review period (default: the latest "
                   "that has ended)")
    p.add_argument("--on", help="judge progress on this day, e.g. 2015-06-12 (default today)")
    p.set_defaults(func=cmd_plan_report)

    p = sub.add_parser("monitor", help="the programme dashboard across many plans")
    p.add_argument("plans_dir", help="a folder of plan files (*.json)")
    p.add_argument("--out", required=True, help="folder for the dashboard, summary and xlsx")
    p.add_argument("--iati", help="also write the results as IATI 2.03 activity XML here")
    p.add_argument("--on", help="judge progress on this day, e.g. 2015-06-12 (default today)")
    p.set_defaults(func=cmd_monitor)

    course_parser = sub.add_parser("course", help="the course: a static web site, an agenda")
    course_sub = course_parser.add_subparsers(dest="course_command", metavar="ACTION",
                                              required=True)
    p = course_sub.add_parser("build", help="write every lesson and case study as web pages")
    p.add_argument("--out", required=True, help="folder for the site, e.g. site")
    p.add_argument("--trainer", action="store_true", help="keep the notes for trainers "
                   "and add the trainer's guide")
    p.add_argument("--only", nargs="+", metavar="NAME", help="only these notebooks (file "
                   "names without .ipynb), e.g. 00_start_here belize")
    p.add_argument("--workers", type=int, help="notebooks run at once (default: cores)")
    p.set_defaults(func=cmd_course_build)
    p = course_sub.add_parser("agenda", help="a workshop's agenda with dates and times, as "
                              "CSV and a printable page")
    p.add_argument("--start", required=True, help="the first day, as YYYY-MM-DD "
                   "(e.g. 2027-03-08)")
    p.add_argument("--out", required=True, help="folder for the two files, e.g. agenda")
    p.add_argument("--format", default="three-day", help="the workshop format (default "
                   "three-day; see course/workshop_formats.yaml)")
    p.add_argument("--weekends", action="store_true", help="let the workshop run on "
                   "Saturdays and Sundays (default: weekdays only)")
    p.set_defaults(func=cmd_course_agenda)

    p = sub.add_parser("lab", help="open your own copy of the course in JupyterLab "
                       "(what make lab runs)")
    p.add_argument("--port", type=int, default=8888, help="port to try first (default 8888)")
    p.add_argument("--folder", help="where your copy of the course is kept (default "
                   "my_course/ in the kit's folder)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; "
                   "open the address JupyterLab prints yourself")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("planner", help="open the planner as a web page (no code shown)")
    p.add_argument("file", nargs="?", default="plan.json", help="the plan file (default "
                   "plan.json; created if missing)")
    p.add_argument("--case", help="start a new plan from this case")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_planner)

    ws = sub.add_parser("workshop", help="course folders for nbgrader: new, open")
    ws_sub = ws.add_subparsers(dest="workshop_command", metavar="ACTION", required=True)
    p = ws_sub.add_parser("new", help="set up an nbgrader course folder for one cohort")
    p.add_argument("dir", help="the course folder to create (new or empty)")
    p.add_argument("--students", required=True, help="class list CSV: id, first_name, "
                   "last_name (email optional; other columns are ignored)")
    p.add_argument("--solutions", help="nbgrader source folder (default: the kit's solutions/)")
    p.add_argument("--course-id", help="nbgrader course id (default: from the folder name)")
    p.add_argument("--timeout", type=int, default=30, help="seconds a cell may run while "
                   "graded (default 30)")
    p.set_defaults(func=cmd_workshop_new)
    p = ws_sub.add_parser("open", help="open the course in JupyterLab: the marking page, "
                          "nbgrader's formgrader and the course's files")
    p.add_argument("dir", help="the course folder (made by 'consortia workshop new')")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; open "
                   "the printed address yourself")
    p.set_defaults(func=cmd_workshop_open)

    p = sub.add_parser("grade", help="autograde all submissions, write feedback and reports")
    p.add_argument("dir", help="the course folder (made by 'consortia workshop new')")
    p.add_argument("assignment", nargs="?", help="only this assignment (default: all)")
    p.add_argument("--workers", type=int, help="submissions graded at once (default: cores)")
    p.add_argument("--timeout", type=float, help="seconds a cell may run (default: the course's "
                   "nbgrader_config.py)")
    p.add_argument("--notebook-timeout", type=float, help="seconds a whole notebook may run "
                   "(default: the course's nbgrader_config.py, else 300)")
    p.add_argument("--sandbox", choices=["auto", "bwrap", "none"], default="auto",
                   help="confine participants' code (default auto: bwrap if it works here)")
    limits = p.add_argument_group("limits of each submission, for this run (defaults: the "
                                  "course's nbgrader_config.py)")
    limits.add_argument("--memory", help='memory of all its processes, e.g. "2 GiB"')
    limits.add_argument("--processes", type=int, help="processes and threads, e.g. 256")
    limits.add_argument("--disk", help='bytes it may write to its folder, e.g. "200 MB"')
    limits.add_argument("--file-size", help='largest file it may write, e.g. "200 MB"')
    limits.add_argument("--cpu-seconds", type=int, help="CPU time of one process, e.g. 600")
    limits.add_argument("--output", help='stored output of one cell, e.g. "1 MB"')
    p.add_argument("--wait", action="store_true", help="if another run is grading this "
                   "course, wait for it instead of stopping")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("report", help="rebuild the cohort report, scores.csv and feedback "
                       "from the gradebook, without grading again (after marking by hand)")
    p.add_argument("dir", help="the course folder (made by 'consortia workshop new')")
    p.add_argument("assignment", nargs="?", help="only this assignment (default: every "
                   "assignment graded so far)")
    p.add_argument("--release", action="store_true", help="also hand the feedback out "
                   "through the course's nbgrader exchange, for participants to fetch")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 findings, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except KitError as exc:  # a broken data or plan file, an unknown case...: fixable
        print(f"consortia: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except OSError as exc:  # e.g. a folder that cannot be written
        if exc.errno is None:  # not from the operating system: a bug
            return _bug()
        print(f"consortia: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("consortia: stopped (Ctrl+C).", file=sys.stderr)
        return 130
    except Exception:  # anything else is the kit's bug: never dress it up as the user's
        return _bug()


def _bug() -> int:
    traceback.print_exc()
    print(f"\nconsortia {__version__}: {REPORT_BUG}", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
