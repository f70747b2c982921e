"""Citations and the base of every data model.

Every fact of the kit carries its source: a paragraph of the SELA 2014 final report
(``SELA 2014 §N``), another public source named so that a reader can find it, or
``kit's own`` for what the kit adds. :data:`Source` checks a citation when a data
file is loaded. :class:`KitModel` is the base of all models of the kit's data files
and of action plans: unknown keys are errors, text is stripped, and loaded objects
are frozen, because data is shared (and cached) and must not change in place.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

#: Marks material the kit adds beyond its sources (for example a typical duration
#: that no source gives). Use it as the ``source`` of such an item.
KIT_OWN = "kit's own"

#: Paragraphs of the SELA 2014 final report (the body runs from §1 to §53).
SELA_PARAGRAPHS = range(1, 54)

_SELA_REF = re.compile(
    r"^SELA 2014 (?:§(?P<a>\d+)(?:\s*-\s*§?(?P<b>\d+))?|Annex (?P<annex>I|II|IV))$"
)


def _check_source(text: str) -> str:
    """Accept a citation: a SELA 2014 paragraph, another public source, or the kit's own.

    A SELA reference must be written ``SELA 2014 §N`` (or ``§N-§M``, or ``Annex I``)
    and name a paragraph that exists, so that a reader can look it up. Annex III (the
    list of participants, with contact details) is deliberately not citable.
    """
    text = text.strip()
    if text.startswith("SELA"):
        match = _SELA_REF.match(text)
        if not match:
            raise ValueError(
                f"SELA citations are written 'SELA 2014 §N' (or '§N-§M', or 'SELA 2014 "
                f"Annex I'); got {text!r}"
            )
        for group in ("a", "b"):
            number = match.group(group)
            if number is not None and int(number) not in SELA_PARAGRAPHS:
                raise ValueError(
                    f"{text!r}: the SELA 2014 report has paragraphs §1 to §53 only"
                )
        return text
    if text == KIT_OWN:
        return text
    if len(text) < 8:
        raise ValueError(
            f"source {text!r} is too short to find again: name the publisher, year and "
            f"title, cite 'SELA 2014 §N', or write {KIT_OWN!r}"
        )
    return text


#: A citation, checked by :func:`_check_source`.
Source = Annotated[str, AfterValidator(_check_source)]
NonEmpty = Annotated[str, Field(min_length=1)]
PhaseNumber = Annotated[int, Field(ge=1, le=10)]


def require_unique(values: list[str], what: str) -> None:
    """Raise a ValueError naming the repeated values, if any (used by model validators)."""
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{what} must be unique; repeated: {repeated}")


class KitModel(BaseModel):
    """Base for all data models: unknown keys are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourcedText(KitModel):
    """A sentence in the kit's own words plus where its content comes from."""

    text: NonEmpty
    source: Source




def paragraph(source: str) -> str:
    """``"SELA 2014 §29"`` -> ``"§29"``; any other source is returned unchanged."""
    found = re.fullmatch(r"SELA 2014 (§\d+)", source.strip())
    return found.group(1) if found else source


def source_order(source: str) -> tuple[int, str]:
    """Sort key for citations: SELA paragraphs in number order, other sources after them."""
    number = re.search(r"§(\d+)", source)
    return (int(number.group(1)) if number else 10_000, source)
