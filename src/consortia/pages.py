"""HTML pages from the kit's Jinja2 templates (``templates/*.html.j2``).

The plan page, the feedback pages, the cohort report and the course site's index
are whole HTML documents that people open, print and send on. They are written as
templates kept as files, so their markup can be read and changed without touching
Python, and rendered here with autoescaping on: everything a participant typed (a
consortium's name, an objective) or a data file holds is escaped, so no text can
inject markup or scripts into a page. A template that names a value the code does
not pass fails loudly (``StrictUndefined``) instead of printing an empty string.
"""

from __future__ import annotations

import base64
from functools import cache

from consortia._paths import TEMPLATES_DIR


@cache
def environment():
    """The Jinja2 environment of the kit's templates (built once)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["points"] = points
    return env


def render(template: str, **context: object) -> str:
    """The page ``template`` (a file name in ``templates/``) filled with ``context``."""
    return environment().get_template(template).render(**context)


def png_data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` address, so a page carries its charts with it."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def points(value: float | None) -> str:
    """Points as a person writes them: ``2``, ``1.5``; a dash for none."""
    return "–" if value is None else f"{value:g}"
