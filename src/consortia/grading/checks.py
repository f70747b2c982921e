"""The helpers that the graded exercises' test cells call.

Every autograded test cell of ``solutions/`` is a line or two calling one of these
functions. Each raises :class:`AssertionError` with a message written for the
participant: what is wrong, in plain words, and what to do about it. A message
never contains the expected answer, so a participant can read it, try again and
learn; the hidden tests compare with the answer themselves.

The helpers raise explicitly (never with a bare ``assert``), so they work the same
when Python runs with optimisations on.

Two kinds of helper, named so that a test cell cannot go wrong:

* ``assert_*`` functions check and return ``None``. They can be the last line of a
  test cell: nbgrader reads a test cell's *output* as partial credit, so a test cell
  must not end in an expression that shows a value.
* ``answer_*``, ``checked_*`` and ``*_axes`` functions check an answer and return it
  tidied (``"iii"`` -> ``"III"``) for a hidden test to compare; assign their result
  (``numeral = checks.answer_numeral(answer_1, "answer_1")``).

A check that passes prints one line starting with a tick ("✓ answer_1 is written the
right way..."), so that running a check cell always shows something. The line goes to
standard output, which nbgrader does not read as a score (it scores a cell 0 for an
error or for anything written to standard error, such as a warning).

Groups, by assignment:

* short answers (01): :func:`answer_numeral`, :func:`answer_letter`,
  :func:`answer_order`, :func:`answer_number`, :func:`answer_word`,
  :func:`assert_same_order`;
* tables and charts (02): :func:`assert_frame`, :func:`assert_series`,
  :func:`assert_bar_chart` (:func:`bar_chart_axes` returns the chart's axes);
* product readiness (03): :func:`assert_case`, :func:`assert_scores`,
  :func:`assert_total`, :func:`assert_highest`, :func:`assert_lowest`,
  :func:`assert_band`;
* action plans (04): :func:`assert_criterion` (the graded checks: each test cell
  applies the rules its rubric lists for it, ``data/rubrics/action_plan.yaml``),
  :func:`assert_plan_file`, :func:`assert_rule_passes`, :func:`assert_rules_pass`,
  :func:`assert_no_errors` (and :func:`checked_plan`).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import itertools
import numbers
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from consortia.content import methodology
from consortia.content.models import ROMAN
from consortia.plans import rules
from consortia.plans.model import ActionPlan

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from consortia.content.models import Case

#: The plan file of assignment 04, beside the notebook.
PLAN_FILE = "plan.json"
#: The rubric whose ``checks`` the action plan's test cells apply.
PLAN_RUBRIC = "action_plan"
#: How many findings of one rule a message lists before it says "and N more".
MAX_FINDINGS_SHOWN = 5

RUN_AGAIN = "Change it in the answer cell, run that cell (Shift+Enter), then run this one again."

#: Set to False to stop the helpers printing a line when a check passes.
SAY_WHEN_PASSED = True

_depth = 0

#: While the grader runs the tests: the files the participant handed in (else None).
_handed_in: frozenset[str] | None = None


@contextlib.contextmanager
def handed_in(names: Iterable[str]) -> Iterator[None]:
    """Tell the checks, while the grader runs the tests, which files were handed in.

    A notebook run by the grader opens the planner, which saves a starter plan when
    there is no plan file; without this, a hand-in without ``plan.json`` would be told
    that it "still holds the starter plan" instead of that the file is missing.
    """
    global _handed_in
    previous, _handed_in = _handed_in, frozenset(os.path.normpath(name) for name in names)
    try:
        yield
    finally:
        _handed_in = previous


def _not_handed_in(path: Path) -> bool:
    """True while grading if ``path`` (relative to the hand-in's folder) was not handed in."""
    if _handed_in is None:
        return False
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:  # outside the hand-in's folder: not a file of the hand-in
            return False
    return os.path.normpath(path) not in _handed_in


def _says(template: str | Callable[[dict], str]):
    """Print a short "passed" line when the decorated check succeeds.

    A silent cell leaves a participant wondering whether anything happened, so each
    public check prints one line (to stdout, which nbgrader ignores when scoring)
    when it passes. Checks called by other checks stay quiet: one line per cell.
    ``template`` is formatted with the call's arguments, or called with them.
    """

    def wrap(func):
        signature = inspect.signature(func)

        @functools.wraps(func)
        def run(*args, **kwargs):
            global _depth
            _depth += 1
            try:
                result = func(*args, **kwargs)
            finally:
                _depth -= 1
            if _depth == 0 and SAY_WHEN_PASSED:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                values = dict(bound.arguments)
                text = template(values) if callable(template) else template.format(**values)
                print(f"\u2713 {text}")
            return result

        return run

    return wrap


WRITTEN = ("{name} is written the right way (whether it is right is marked when your "
           "notebook is graded).")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _fail(message: str) -> NoReturn:
    raise AssertionError(message)


def _is_empty(value: object) -> bool:
    return value is None or value is Ellipsis or (isinstance(value, str) and not value.strip())


def assert_answered(value: object, name: str) -> None:
    """Fail if ``value`` is still empty (``None``, ``...`` or a blank text)."""
    if _is_empty(value):
        _fail(
            f"{name} is still empty. Write your answer in the answer cell, run that cell "
            "(Shift+Enter), then run this one again."
        )


# --- short answers (assignment 01) -------------------------------------------------------


@_says(WRITTEN)
def answer_numeral(value: object, name: str) -> str:
    """Check that ``value`` names a phase; return its numeral (``"iii"``, ``3`` -> ``"III"``)."""
    assert_answered(value, name)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and 1 <= value <= 10:
        return ROMAN[int(value)]
    text = str(value).strip().upper()
    text = re.sub(r"^PHASE\s+", "", text).strip(" .")
    if text.isdigit() and 1 <= int(text) <= 10:
        return ROMAN[int(text)]
    if text in ROMAN.values():
        return text
    _fail(
        f'{name} should name a phase with its roman numeral, from I to X, written between '
        f'quotes like "VII". You wrote {_shown(value)}. {RUN_AGAIN}'
    )


@_says(WRITTEN)
def answer_letter(value: object, name: str, options: str = "ABC") -> str:
    """Check that ``value`` is one of the letters ``options``; return it in capitals."""
    assert_answered(value, name)
    text = str(value).strip().strip(".)").upper()
    if len(text) == 1 and text in options:
        return text
    listed = ", ".join(f'"{letter}"' for letter in options)
    _fail(f"{name} should be one letter: {listed}. You wrote {_shown(value)}. {RUN_AGAIN}")


@_says(WRITTEN)
def answer_order(value: object, name: str, letters: str = "ABCD") -> list[str]:
    """Check that ``value`` lists each of ``letters`` once (``"B, D, A, C"``); return the list."""
    assert_answered(value, name)
    if isinstance(value, str):
        found = re.findall(r"[A-Za-z]", value)
    elif isinstance(value, Iterable):
        found = [str(item).strip() for item in value]
    else:
        found = []
    found = [item.upper() for item in found]
    if sorted(found) != sorted(letters):
        listed = ", ".join(letters)
        _fail(
            f'{name} should list the letters {listed}, each exactly once, in the order you '
            f'choose, for example "{", ".join(reversed(letters))}". You wrote '
            f"{_shown(value)}. {RUN_AGAIN}"
        )
    return found


@_says("{name} is in the right order.")
def assert_same_order(given: Sequence[str], expected: Sequence[str], name: str) -> None:
    """Fail if the letters ``given`` are not in the ``expected`` order.

    The message names the first two letters that are the wrong way round, without
    saying where anything else belongs.
    """
    rank = {letter: position for position, letter in enumerate(expected)}
    for first, second in itertools.pairwise(given):
        if rank[first] > rank[second]:
            _fail(
                f"{name} is not in the right order yet: look again at {first} and {second}. "
                "One of these phases builds on the other, so it cannot come first. "
                "Ask for each phase what must already exist before it can start."
            )


@_says(WRITTEN)
def answer_number(value: object, name: str, low: int, high: int) -> int:
    """Check that ``value`` is a whole number from ``low`` to ``high``; return it."""
    assert_answered(value, name)
    number: int | None = None
    whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if whole or (isinstance(value, float) and value.is_integer()):
        number = int(value)  # type: ignore[arg-type]
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not low <= number <= high:
        _fail(
            f"{name} should be a whole number from {low} to {high}, written without quotes "
            f"(for example {name} = {low}). You wrote {_shown(value)}. {RUN_AGAIN}"
        )
    return number  # type: ignore[return-value]


@_says(WRITTEN)
def answer_word(value: object, name: str, words: Sequence[str]) -> str:
    """Check that ``value`` is one of ``words`` (any case, extra words allowed); return it."""
    assert_answered(value, name)
    text = str(value).strip().casefold()
    present = [word for word in words if re.search(rf"\b{re.escape(word.casefold())}\b", text)]
    if len(present) == 1:
        return present[0]
    listed = " or ".join(f'"{word}"' for word in words)
    _fail(f"{name} should be one word: {listed}. You wrote {_shown(value)}. {RUN_AGAIN}")


# --- tables and charts (assignment 02) -------------------------------------------------------


@_says("{name} is a table with the expected columns.")
def assert_frame(value: object, name: str, columns: Sequence[str] = ()) -> None:
    """Fail unless ``value`` is a non-empty pandas DataFrame with ``columns``."""
    import pandas as pd

    if value is None:
        _fail(f"{name} is still None: assign a DataFrame to it in the answer cell.")
    if not isinstance(value, pd.DataFrame):
        _fail(f"{name} should be a pandas DataFrame, not a {type(value).__name__}.")
    if value.empty:
        _fail(f"{name} is an empty table: check the condition you filter on.")
    missing = [column for column in columns if column not in value.columns]
    if missing:
        _fail(f"{name} lacks the column(s) {missing}: keep the columns of the original table.")


@_says("{name} is a pandas Series.")
def assert_series(value: object, name: str) -> None:
    """Fail unless ``value`` is a non-empty pandas Series."""
    import pandas as pd

    if value is None:
        _fail(f"{name} is still None: assign a pandas Series to it in the answer cell.")
    if isinstance(value, pd.DataFrame):
        _fail(
            f"{name} is a DataFrame (a table); it should be a Series (one column): select "
            "a single column, for example with table['column']."
        )
    if not isinstance(value, pd.Series):
        _fail(f"{name} should be a pandas Series, not a {type(value).__name__}.")
    if value.empty:
        _fail(f"{name} is empty: check the steps that build it.")


@_says("{name} is a bar chart with a label on the y axis.")
def bar_chart_axes(fig: object, name: str = "fig", bars: int | None = None) -> Axes:
    """Check that ``fig`` is a matplotlib figure with one bar chart and a y label.

    Returns the chart's axes (for a hidden test to read the bars). ``bars`` is the
    number of bars expected, if known.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    if fig is None:
        _fail(f"{name} is still None: assign the figure of your chart to it (ax.figure).")
    if not isinstance(fig, Figure):
        _fail(
            f"{name} should be a matplotlib Figure, not a {type(fig).__name__}; with pandas, "
            "ax = table.plot.bar(...) gives the axes and ax.figure the figure."
        )
    charts = [ax for ax in fig.axes if any(isinstance(p, Rectangle) for p in ax.patches)]
    if len(charts) != 1:
        _fail(f"{name} should hold exactly one bar chart; it holds {len(charts)}.")
    ax = charts[0]
    drawn = [p for p in ax.patches if isinstance(p, Rectangle)]
    if bars is not None and len(drawn) != bars:
        _fail(f"The chart in {name} has {len(drawn)} bars; it should have one per case ({bars}).")
    if not ax.get_ylabel().strip():
        _fail(f"The chart in {name} has no label on the y axis: say what the bars measure.")
    return ax


@_says("{name} is a bar chart with a label on the y axis.")
def assert_bar_chart(fig: object, name: str = "fig", bars: int | None = None) -> None:
    """Fail unless ``fig`` is a figure with one bar chart (of ``bars`` bars) and a y label."""
    bar_chart_axes(fig, name, bars)


# --- cases and readiness scores (assignment 03) ---------------------------------------------


@_says("{name} names a case of the kit.")
def checked_case(slug: object, name: str = "my_case", kind: str | None = None) -> Case:
    """Check that ``slug`` names a case of the kit (of ``kind``, if given); return the case."""
    from consortia.content import cases

    assert_answered(slug, name)
    everything = cases.all_cases()
    known = {c.slug: c for c in everything}
    if not isinstance(slug, str) or slug.strip() not in known:
        listed = ", ".join(known)
        _fail(
            f"{name} should be the short name of one of the kit's cases, between quotes, "
            f"for example \"belize\". You wrote {_shown(slug)}. The cases are: {listed}."
        )
    case = known[slug.strip()]  # type: ignore[union-attr]
    if kind is not None and case.kind != kind:
        wanted = [c.slug for c in everything if c.kind == kind]
        _fail(
            f"{name} names {case.name}, which is a {case.kind.replace('-', ' ')}; "
            f"this exercise asks for a {kind.replace('-', ' ')}: one of {', '.join(wanted)}."
        )
    return case


@_says("{name} names a case of the kit.")
def assert_case(slug: object, name: str = "my_case", kind: str | None = None) -> None:
    """Fail unless ``slug`` names a case of the kit (of ``kind``, if given)."""
    checked_case(slug, name, kind)


@_says("{name} gives every criterion a whole number from 0 to 10.")
def checked_scores(scores: object, name: str = "my_scores") -> dict[str, int]:
    """Check a full set of readiness scores (whole numbers 0-10, every criterion); return them."""
    from consortia.content import readiness

    if not isinstance(scores, Mapping):
        _fail(
            f"{name} should be a dictionary of criterion: score, like the one in the answer "
            f"cell; it is {_shown(scores)}."
        )
    empty = [key for key, value in scores.items() if _is_empty(value)]  # type: ignore[union-attr]
    if empty:
        _fail(
            f"{name} still has no score for {len(empty)} criteria: {', '.join(empty)}. "
            f"Replace each None with a whole number from 0 to 10. {RUN_AGAIN}"
        )
    try:
        return readiness.validate_scores(scores)  # type: ignore[arg-type]
    except ValueError as exc:
        _fail(f"{name}: {exc}")


@_says("{name} gives every criterion a whole number from 0 to 10.")
def assert_scores(scores: object, name: str = "my_scores") -> None:
    """Fail unless ``scores`` gives a whole number from 0 to 10 for every criterion."""
    checked_scores(scores, name)


def _checked_scores(scores: object) -> dict[str, int]:
    try:
        return checked_scores(scores)
    except AssertionError as exc:
        raise AssertionError(f"Fix the scores first (see the test above). {exc}") from None


@_says("{name} is the sum of your scores.")
def assert_total(scores: object, claimed: object, name: str = "my_total") -> None:
    """Fail unless ``claimed`` is the sum of ``scores``."""
    values = _checked_scores(scores)
    assert_answered(claimed, name)
    if isinstance(claimed, bool) or not isinstance(claimed, numbers.Real):
        _fail(f"{name} should be a number written without quotes; it is {_shown(claimed)}.")
    if claimed != sum(values.values()):
        _fail(
            f"{name} is {claimed}, but that is not the sum of your {len(values)} scores. "
            "Add them up again (or change the scores, if those are what you meant)."
        )


def _criterion_key(value: object, name: str) -> str:
    assert_answered(value, name)
    keys = [c.key for c in methodology.criteria()]
    if not isinstance(value, str) or value.strip() not in keys:
        _fail(
            f"{name} should be the name of one criterion, between quotes, as written in "
            f"your scores (for example \"{keys[0]}\"). You wrote {_shown(value)}."
        )
    return value.strip()  # type: ignore[union-attr]


def _assert_extreme(scores: object, key: object, name: str, highest: bool) -> None:
    values = _checked_scores(scores)
    chosen = _criterion_key(key, name)
    best = max(values.values()) if highest else min(values.values())
    if values[chosen] != best:
        word = "highest" if highest else "lowest"
        _fail(
            f"{name} is {chosen!r}, scored {values[chosen]}, but another criterion has a "
            f"{'higher' if highest else 'lower'} score. Name a criterion with your {word} "
            "score, or change the scores."
        )


@_says("{name} is a criterion with your highest score.")
def assert_highest(scores: object, key: object, name: str = "my_strongest") -> None:
    """Fail unless criterion ``key`` has the highest score (ties allowed)."""
    _assert_extreme(scores, key, name, highest=True)


@_says("{name} is a criterion with your lowest score.")
def assert_lowest(scores: object, key: object, name: str = "my_weakest") -> None:
    """Fail unless criterion ``key`` has the lowest score (ties allowed)."""
    _assert_extreme(scores, key, name, highest=False)


@_says("{name} is the band your scores fall in.")
def assert_band(scores: object, claimed: object, name: str = "my_band") -> None:
    """Fail unless ``claimed`` is the readiness band that ``scores`` fall in."""
    from consortia.content import readiness

    values = _checked_scores(scores)
    assert_answered(claimed, name)
    bands = [band[0] for band in readiness.BANDS]
    text = str(claimed).strip().casefold()
    if text not in bands:
        listed = ", ".join(f'"{band}"' for band in bands)
        _fail(f"{name} should be one of {listed}. You wrote {_shown(claimed)}.")
    if text != readiness.band(values):
        _fail(
            f"{name} is {text!r}, but your scores fall in another band. Look at the share of "
            f"the maximum total and at any score of {readiness.RED_FLAG_AT_MOST} or less, then "
            "try again."
        )


# --- action plans (assignment 04) -------------------------------------------------------------


def is_starter_plan(plan: ActionPlan) -> bool:
    """True if ``plan`` is still the starter plan the planner makes (only the name changed)."""
    from consortia.plans.starter import new_plan

    try:
        starter = new_plan(plan.case)
    except ValueError:  # a case the kit does not have: not a starter plan
        return False
    ignore = {"consortium"}
    return plan.model_dump(exclude=ignore) == starter.model_dump(exclude=ignore)


@_says("The plan file holds a plan of your own.")
def checked_plan(path: str | Path = PLAN_FILE) -> ActionPlan:
    """Load the participant's plan file; fail with a plain message if it cannot count.

    It fails if the file is missing (or, when the grader runs it, was not handed in),
    is not a plan, or still holds the starter plan untouched (the planner saves one
    as soon as it opens). Each case has its own message saying what to do.
    """
    from consortia.plans.files import PlanFileError, load_plan

    path = Path(path)
    if _not_handed_in(path) and (not path.exists() or _is_starter_file(path)):
        _fail(
            f"{path.name} was not handed in with this notebook, so there is no plan to grade. "
            f"Hand in {path.name} (the file the planner saves beside the notebook) together "
            "with the notebook."
        )
    if not path.exists() and not path.is_symlink():
        _fail(
            f"{path.name} is missing: there is no such file beside this notebook. Run the "
            f"planner cell of Part 1 (it saves {path.name} as soon as it opens) and build your "
            "plan there or with code, then run this cell again."
        )
    try:
        plan = load_plan(path)
    except PlanFileError as exc:
        _fail(
            f"Your plan could not be read: {exc.reason}. Build it with the planner "
            f"(it saves {path.name} beside this notebook) or with code, then run this cell "
            "again."
        )
    if is_starter_plan(plan):
        _fail(
            f"{path.name} still holds the starter plan that the planner made for you: "
            "nothing in it has been changed yet. Build your own plan with the planner "
            "(or with code), then run this cell again."
        )
    return plan


def _is_starter_file(path: Path) -> bool:
    from consortia.plans.files import PlanFileError, load_plan

    try:
        return is_starter_plan(load_plan(path))
    except PlanFileError:
        return False


@_says("The plan file holds a plan of your own.")
def assert_plan_file(path: str | Path = PLAN_FILE) -> None:
    """Fail unless the plan file exists, is a plan and is not the untouched starter plan."""
    checked_plan(path)


def _plan(plan_or_path: ActionPlan | str | Path) -> ActionPlan:
    if isinstance(plan_or_path, ActionPlan):
        return plan_or_path
    return checked_plan(plan_or_path)


def rule_findings(plan: ActionPlan, code: str) -> list[rules.Finding]:
    """The validator's findings for one rule; :class:`ValueError` for an unknown rule code."""
    book = rules.rulebook()
    if code not in book:
        raise ValueError(f"No rule {code!r}; the rules are: {', '.join(book)}")
    return [f for f in rules.check_plan(plan) if f.code == code]


def _rule_message(code: str, findings: list[rules.Finding]) -> str:
    rule = rules.rulebook()[code]
    label = rules.SEVERITY_LABELS[rule.severity]
    lines = [f'The plan breaks the rule "{rule.title}" ({code}, "{label}" in the planner, '
             f"from {rule.source}):"]
    lines += [f"  - {f.message}" for f in findings[:MAX_FINDINGS_SHOWN]]
    if len(findings) > MAX_FINDINGS_SHOWN:
        lines.append(f"  - ... and {len(findings) - MAX_FINDINGS_SHOWN} more like these.")
    lines.append(f"What to do: {rule.suggestion}")
    return "\n".join(lines)


def _passes(values: dict) -> str:
    codes = [values["code"]] if "code" in values else list(values["codes"])
    if not codes:  # the codes came as an iterator, used up by the check itself
        return "The plan follows the rules checked here."
    titles = "; ".join(rules.rulebook()[code].title for code in codes)
    return f"The plan follows the rule{'s' * (len(codes) > 1)}: {titles}."


@_says(_passes)
def assert_rule_passes(plan_or_path: ActionPlan | str | Path, code: str) -> None:
    """Fail with the finding's message and the rule's suggestion if the plan breaks ``code``.

    ``plan_or_path`` is a plan or the path of a plan file (checked with
    :func:`assert_plan_file` first).
    """
    assert_rules_pass(plan_or_path, [code])


@_says(_passes)
def assert_rules_pass(plan_or_path: ActionPlan | str | Path, codes: Iterable[str]) -> None:
    """Like :func:`assert_rule_passes` for several rules; the message lists every rule broken."""
    plan = _plan(plan_or_path)
    broken = [(code, found) for code in codes if (found := rule_findings(plan, code))]
    if broken:
        _fail("\n\n".join(_rule_message(code, found) for code, found in broken))


@_says("The planner lists nothing that you must fix.")
def assert_no_errors(plan_or_path: ActionPlan | str | Path) -> None:
    """Fail if the validator finds any error (a "must fix") in the plan."""
    plan = _plan(plan_or_path)
    errors = [f for f in rules.check_plan(plan) if f.severity == "error"]
    if errors:
        codes = list(dict.fromkeys(f.code for f in errors))
        _fail(
            f"The planner lists {len(errors)} thing(s) you must fix:\n\n"
            + "\n\n".join(_rule_message(code, [f for f in errors if f.code == code])
                          for code in codes)
        )


def _graded_check(grade_id: str, rubric: str):
    from consortia.grading.rubric import load_rubric

    book = load_rubric(rubric)
    return book.check(grade_id), book.check_rules(grade_id)


def _points(value: float) -> str:
    return f"{value:g} point{'s' * (value != 1)}"


def _criterion_passes(values: dict) -> str:
    check, _ = _graded_check(values["grade_id"], values["rubric"])
    return f"{check.words} (check {check.grade_id}, {_points(check.points)})."


@_says(_criterion_passes)
def assert_criterion(plan_or_path: ActionPlan | str | Path, grade_id: str,
                     rubric: str = PLAN_RUBRIC) -> None:
    """Fail unless the plan meets the graded check ``grade_id`` of ``rubric``.

    The check's rules come from the rubric's ``checks`` (``data/rubrics/<rubric>.yaml``),
    the same list the participant sees with :func:`consortia.grading.criteria.graded_criteria`
    before handing in; the message names the check, its points and each rule broken,
    in the planner's words. An unknown ``grade_id`` is an authoring error
    (:class:`KeyError`), not a failed test.
    """
    check, codes = _graded_check(grade_id, rubric)
    plan = _plan(plan_or_path)
    broken = [(code, found) for code in codes if (found := rule_findings(plan, code))]
    if broken:
        _fail(
            f"Check {grade_id} ({_points(check.points)}) is not met yet: {check.words}.\n\n"
            + "\n\n".join(_rule_message(code, found) for code, found in broken)
        )


def plan_summary(plan_or_path: ActionPlan | str | Path = PLAN_FILE) -> str:
    """One line on what the validator says about a plan, for the participant to read."""
    plan = _plan(plan_or_path)
    return f"{plan.consortium}: {rules.summary(rules.check_plan(plan))}"
