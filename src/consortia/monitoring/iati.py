"""The plans' results as IATI 2.03 activity XML, validated against the official schema.

UNIDO and most development agencies publish their projects' results in the format of
the International Aid Transparency Initiative (IATI). :func:`iati_xml` writes one
``iati-activity`` per plan with a start date, and in it one ``result`` per kind of
indicator (economic; non-economic, SELA 2014 §41), each indicator with its
``baseline`` and one ``period`` per review period: ``target``, and the ``actual``
with its breakdowns (``dimension``), the team's comment and its evidence
(``document-link``). Only figures a team has submitted or that were accepted are
exported; drafts and figures sent back stay in the plan. What IATI has no place for
(who reported a figure, its status) stays in the plan too.

:func:`validate` checks an export against the schema files shipped in
``iati_schema/`` (the IATI 2.03 activity schema, with its licence note).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

from consortia.errors import KitError
from consortia.plans import progress
from consortia.plans.model import ActionPlan

SCHEMA_DIR = Path(__file__).resolve().parent / "iati_schema"
SCHEMA_FILE = SCHEMA_DIR / "iati-activities-schema.xsd"
VERSION = "2.03"
#: The reporting organisation written when none is given: the kit itself, marked as such.
DEFAULT_ORG = ("XX-ORIGIN-CONSORTIA-KIT", "80", "Origin-consortium course kit (export)")
#: IATI codes used (from the IATI code lists of version 2.03).
RESULT_OUTCOME = "2"       # ResultType: outcome
MEASURE_UNIT, MEASURE_QUALITATIVE = "1", "5"   # IndicatorMeasure
ROLE_IMPLEMENTING = "4"    # OrganisationRole
STATUS_IMPLEMENTATION = "2"  # ActivityStatus
DATE_ACTUAL_START = "2"    # ActivityDateType
DOCUMENT_CATEGORY = "A07"  # DocumentCategory: review of project performance and evaluation
EXPORTED = ("submitted", "accepted")


class IatiError(KitError):
    """An export does not validate against the IATI schema (a bug of the export)."""


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "plan"


def _format(where: str) -> str:
    suffix = Path(where.split("?")[0]).suffix.lower()
    return {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".png": "image/png", ".xlsx": "application/vnd.openxmlformats-officedocument."
            "spreadsheetml.sheet", ".csv": "text/csv", ".docx": "application/vnd."
            "openxmlformats-officedocument.wordprocessingml.document"}.get(suffix, "text/html")


def exportable(plan: ActionPlan) -> bool:
    """A plan can be exported once it has a start date (IATI needs the activity's dates)."""
    return plan.start_date is not None


def iati_xml(plans: list[ActionPlan], generated: dt.datetime | None = None,
             org: tuple[str, str, str] = DEFAULT_ORG) -> bytes:
    """The IATI activities file of ``plans`` (those with a start date), as UTF-8 bytes."""
    from lxml import etree

    generated = generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = generated.isoformat()
    root = etree.Element("iati-activities", version=VERSION, **{"generated-datetime": stamp})
    ref, org_type, org_name = org

    def narrative(parent, tag, text, **attrs):
        element = etree.SubElement(parent, tag, **attrs)
        etree.SubElement(element, "narrative").text = text
        return element

    used = set()
    for plan in plans:
        if not exportable(plan):
            continue
        activity = etree.SubElement(root, "iati-activity", **{
            "last-updated-datetime": stamp, "default-currency": "USD",
            "{http://www.w3.org/XML/1998/namespace}lang": "en"})
        identifier = f"{ref}-{_slug(plan.country)}-{_slug(plan.consortium)}"
        while identifier in used:
            identifier += "-2"
        used.add(identifier)
        etree.SubElement(activity, "iati-identifier").text = identifier
        narrative(activity, "reporting-org", org_name, ref=ref, type=org_type)
        narrative(activity, "title", f"{plan.consortium}: origin consortium action plan")
        about = (f"Action plan of an origin consortium for {plan.product or 'its product'} "
                 f"({plan.territory or plan.country or 'territory not stated'}), following "
                 "the UNIDO methodology and the work programme of SELA 2014 §8 and §45.")
        if plan.illustrative_note:
            about = f"{plan.illustrative_note} {about}"
        narrative(activity, "description", about, type="1")
        narrative(activity, "participating-org", plan.consortium, role=ROLE_IMPLEMENTING)
        etree.SubElement(activity, "activity-status", code=STATUS_IMPLEMENTATION)
        etree.SubElement(activity, "activity-date", type=DATE_ACTUAL_START,
                         **{"iso-date": plan.start_date.isoformat()})
        for kind, title in (("economic", "Economic results"),
                            ("non-economic", "Non-economic results: the group and the "
                             "population (SELA 2014 §41)"),
                            # reported, not dropped: the plan check asks the team to choose
                            (None, "Results whose kind the team has not chosen yet")):
            indicators = [i for i in plan.indicators if i.kind == kind]
            if indicators:
                _result(activity, plan, indicators, title, narrative)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _result(activity, plan: ActionPlan, indicators, title: str, narrative) -> None:
    from lxml import etree

    result = etree.SubElement(activity, "result", type=RESULT_OUTCOME)
    narrative(result, "title", title)
    for item in indicators:
        qualitative = item.measure == "text"
        attrs = {"measure": MEASURE_QUALITATIVE if qualitative else MEASURE_UNIT}
        if not qualitative:
            attrs["ascending"] = "1" if item.target >= item.baseline else "0"
        indicator = etree.SubElement(result, "indicator", **attrs)
        name = f"{item.name} ({item.unit})" if item.unit else item.name
        narrative(indicator, "title", name)
        baseline = etree.SubElement(indicator, "baseline", year=str(plan.start_date.year),
                                    **{"iso-date": plan.start_date.isoformat()})
        if not qualitative:
            baseline.set("value", f"{item.baseline:g}")
        for period in progress.periods(plan):
            report = plan.indicator_period(item.id, period.number)
            element = etree.SubElement(indicator, "period")
            etree.SubElement(element, "period-start", **{"iso-date": period.start.isoformat()})
            etree.SubElement(element, "period-end", **{"iso-date": period.end.isoformat()})
            if not qualitative:
                target = progress.period_target(plan, item, period.number)
                etree.SubElement(element, "target", value=f"{target:g}")
            if report is None or report.status not in EXPORTED or not report.has_actual:
                continue
            actual = etree.SubElement(element, "actual")
            if not qualitative:
                actual.set("value", f"{report.actual:g}")
            comment = " ".join(filter(None, [report.actual_text if qualitative else "",
                                             report.comment]))
            if comment:
                narrative(actual, "comment", comment)
            for link in report.evidence:
                _document_link(actual, link, report.reported_on, narrative)
            for part in report.breakdown:  # one more actual per part, with its dimension
                extra = etree.SubElement(element, "actual", value=f"{part.value:g}")
                etree.SubElement(extra, "dimension", name=part.dimension, value=part.category)


def _document_link(parent, link, day, narrative) -> None:
    from lxml import etree

    element = etree.SubElement(parent, "document-link", format=_format(link.where),
                               url=quote(link.where, safe=":/?#[]@!$&'()*+,;=%"))
    narrative(element, "title", link.title or link.where)
    etree.SubElement(element, "category", code=DOCUMENT_CATEGORY)
    if day:
        etree.SubElement(element, "document-date", **{"iso-date": day.isoformat()})


@cache
def _schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def validate(xml: bytes) -> list[str]:
    """What is wrong with an IATI activities file against the 2.03 schema (empty: valid)."""
    from lxml import etree

    schema = _schema()
    document = etree.fromstring(xml)
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def write_iati(plans: list[ActionPlan], path: Path | str) -> Path:
    """Write the IATI file of ``plans`` to ``path``, after checking it against the schema."""
    xml = iati_xml(plans)
    problems = validate(xml)
    if problems:
        raise IatiError("the IATI export does not validate (please report this): "
                        + "; ".join(problems[:3]))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(xml)
    return path
