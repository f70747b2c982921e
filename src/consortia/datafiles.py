"""Read a YAML data file and validate it into a model, or say exactly what is wrong.

All of the kit's data (phases, criteria, cases, rules, rubrics, the course) goes through
:func:`load_yaml_model`, so every broken file produces the same kind of error: a
:class:`DataFileError` that names the file, the field and what to fix. Nothing is
ever returned half-loaded: either the whole file validates or an error is raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from consortia.errors import KitError

M = TypeVar("M", bound=BaseModel)

#: Data files are small; anything bigger than this is not one of ours.
MAX_DATA_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where it is and what to do about it."""

    path: Path
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}" + (f": field '{self.field}'" if self.field else "")
        return f"{where}: {self.message}"


class DataFileError(KitError, ValueError):
    """A data file could not be loaded. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        header = "1 problem" if len(lines) == 1 else f"{len(lines)} problems"
        super().__init__(f"{header} in the kit's data files:\n  - " + "\n  - ".join(lines))

    @property
    def path(self) -> Path:
        """The file of the first problem (convenient when only one file was loaded)."""
        return self.problems[0].path

    @property
    def field(self) -> str | None:
        """The field of the first problem, as a dotted path such as ``facts.2.value``."""
        return self.problems[0].field


def read_yaml(path: Path) -> object:
    """Parse a YAML file safely (no Python objects), raising :class:`DataFileError`."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError([Problem(path, None, f"cannot be read ({exc.strerror})")]) from exc
    if size > MAX_DATA_FILE_BYTES:
        raise DataFileError(
            [Problem(path, None, f"is {size:,} bytes; data files must stay under "
                     f"{MAX_DATA_FILE_BYTES:,} bytes")]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError([Problem(path, None, "is not UTF-8 text; save it as UTF-8")]) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataFileError(
            [Problem(path, None, f"is not valid YAML{where}: {reason}. Check the "
                     "indentation and quote text that contains ':' or '#'.")]
        ) from exc


def _number(value: object) -> object:
    return f"{value:g}" if isinstance(value, float) else value


def plain_message(item: dict) -> str:
    """What one of pydantic's error items means, in plain words after the field's name.

    ``{"type": "string_too_short", ...}`` -> ``"cannot be empty"``. This is the one
    translation of validation errors in the kit: data files, plan files and the
    planner's messages all use it.
    """
    kind = item["type"]
    ctx = {key: _number(value) for key, value in item.get("ctx", {}).items()}
    if kind == "missing":
        return "is missing; add it"
    if kind == "extra_forbidden":
        return "is not a known field; check its spelling or remove it"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "cannot be empty"
        return f"needs at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        length = len(item["input"]) if isinstance(item.get("input"), str) else "more"
        return f"is too long: at most {ctx.get('max_length')} characters (it has {length})"
    if kind == "too_long":
        return f"has too many entries: at most {ctx.get('max_length')}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} entries"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind == "greater_than":
        return f"must be more than {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or less"
    if kind == "less_than":
        return f"must be less than {ctx.get('lt')}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return "may only use letters, digits, '.', '_' and '-'"
    if kind == "finite_number":
        return "must be an ordinary number"
    if kind in ("int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"):
        return "must be a number" if kind != "int_from_float" else "must be a whole number"
    message = item["msg"]
    return message.removeprefix("Value error, ")


def problems_from_validation(path: Path, error: ValidationError, data: object) -> list[Problem]:
    """Turn pydantic's errors into :class:`Problem` objects with dotted field paths.

    Each message is :func:`plain_message`, followed by the value found where showing
    it helps find the mistake.
    """
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or None
        message = plain_message(item)
        if (item["type"] not in ("missing", "extra_forbidden", "model_type")
                and "input" in item):
            shown = repr(item["input"])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            message = f"{message} (found {shown})"
        problems.append(Problem(path, field, message))
    if not isinstance(data, dict) and not problems:
        problems.append(Problem(path, None, "must hold a mapping of fields"))
    return problems


def load_yaml_model(path: Path, model: type[M]) -> M:
    """Load ``path`` and validate it as ``model``; raise :class:`DataFileError` if it fails."""
    path = Path(path)
    data = read_yaml(path)
    if data is None:
        raise DataFileError([Problem(path, None, "is empty")])
    if not isinstance(data, dict):
        raise DataFileError(
            [Problem(path, None, f"must hold a mapping of fields, not a {type(data).__name__}")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(problems_from_validation(path, exc, data)) from None


def load_yaml_folder(
    folder: Path, model: type[M], named_by: str
) -> tuple[list[tuple[Path, M]], list[Problem]]:
    """Validate every ``*.yaml`` file of ``folder`` (in name order) as ``model``.

    Each file must be named after its own ``named_by`` field (``belize.yaml`` holds
    ``slug: belize``). Returns the files that loaded and every problem found, so that
    the caller can add checks that span files before it raises :class:`DataFileError`.
    """
    loaded: list[tuple[Path, M]] = []
    problems: list[Problem] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            item = load_yaml_model(path, model)
        except DataFileError as exc:
            problems.extend(exc.problems)
            continue
        name = getattr(item, named_by)
        if name != path.stem:
            problems.append(Problem(path, named_by, f"is {name!r} but the file is named "
                                    f"{path.name!r}; make them match"))
        loaded.append((path, item))
    return loaded, problems
