"""The ``consortia`` command: thin wrappers that parse, call the package and print.

Commands::

    consortia phases              the ten phases as a table
    consortia phase III           one phase in full, with its activities and sources
    consortia criteria            the product-selection criteria
    consortia cases               the case studies and the stage each reached
    consortia case belize         one case in full
    consortia facts [SLUG]        every sourced figure (of one case)
    consortia check-data          validate every data file; exit 1 if one is broken

Errors a user can fix (unknown phase or case, a broken data file) print one clear
message on stderr and exit with status 2 (1 for ``check-data`` findings); the
command never shows a traceback for them.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence

from consortia import __version__

WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _print_frame(frame) -> None:
    import pandas as pd

    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        print(frame.to_string(index=False))


def cmd_phases(args: argparse.Namespace) -> int:
    from consortia import methodology

    frame = methodology.phases_frame()
    _print_frame(frame[["numeral", "title", "duration_months", "start_month", "activities"]])
    return 0


def cmd_phase(args: argparse.Namespace) -> int:
    from consortia import methodology

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
    from consortia import methodology

    for c in methodology.criteria():
        print(f"{c.key}: {c.question}  [{c.source}]")
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from consortia import cases

    frame = cases.load_cases()
    _print_frame(frame[["slug", "country", "kind", "stage", "sectors", "n_facts"]])
    return 0


def cmd_case(args: argparse.Namespace) -> int:
    from consortia import cases

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
            value = f"{f.qualifier + ' ' if f.qualifier else ''}{f.value:,} {f.unit}"
            year = f" ({f.year})" if f.year else ""
            print(_wrap(f"- {f.what}: {value}{year} [{f.source}]"))
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    from consortia import cases

    frame = cases.load_facts()
    if args.slug:
        cases.case(args.slug)  # raises a clear error for an unknown slug
        frame = frame[frame["slug"] == args.slug]
    shown = frame[["slug", "what", "qualifier", "value", "unit", "year", "source"]]
    _print_frame(shown.astype(object).where(shown.notna(), ""))
    return 0


def cmd_check_data(args: argparse.Namespace) -> int:
    from consortia import cases, methodology
    from consortia.datafiles import DataFileError

    failures = 0
    checks = [
        ("methodology (phases.yaml)", lambda: len(methodology.phases())),
        ("criteria (criteria.yaml)", lambda: len(methodology.criteria())),
        (f"cases ({cases.cases_dir()})", lambda: len(cases.all_cases())),
    ]
    for label, check in checks:
        try:
            count = check()
        except DataFileError as exc:
            failures += 1
            print(f"FAIL {label}\n{exc}", file=sys.stderr)
        else:
            print(f"ok   {label}: {count} items")
    return 1 if failures else 0


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
    p.add_argument("slug", help="the case's slug, e.g. belize (see 'consortia cases')")
    p.set_defaults(func=cmd_case)
    p = sub.add_parser("facts", help="list the sourced figures of all cases or of one")
    p.add_argument("slug", nargs="?", help="only this case")
    p.set_defaults(func=cmd_facts)
    sub.add_parser("check-data", help="validate every data file of the kit").set_defaults(
        func=cmd_check_data
    )
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
    except ValueError as exc:  # includes DataFileError: a broken data file
        print(f"consortia: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
