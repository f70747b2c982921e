"""Tests of consortia.monitoring.iati: the results as IATI 2.03 XML, valid against the schema."""

from __future__ import annotations

import pytest
from lxml import etree

from consortia.monitoring import iati
from consortia.plans import followup
from consortia.plans.model import Breakdown, Evidence, Indicator, IndicatorPeriod
from plan_fixtures import reviewed_plan


def test_the_shipped_schema_is_the_official_one_with_its_note():
    names = sorted(p.name for p in iati.SCHEMA_DIR.iterdir())
    assert names == ["LICENSE", "README.md", "iati-activities-schema.xsd", "iati-common.xsd",
                     "xml.xsd"]
    assert "IATI-Guidance" in (iati.SCHEMA_DIR / "LICENSE").read_text()


def test_the_follow_up_exports_valid_iati():
    xml = iati.iati_xml(list(followup.followup_plans().values()))
    assert iati.validate(xml) == []
    root = etree.fromstring(xml)
    assert root.get("version") == "2.03"
    assert len(root.findall("iati-activity")) == 9
    description = root.find("iati-activity/description/narrative").text
    assert description.startswith("Invented for teaching")


def test_figures_breakdowns_and_evidence_are_exported():
    plan = reviewed_plan().with_indicator_period(IndicatorPeriod(
        indicator="I1", period=2, actual=9, comment="Two new members.", status="accepted",
        breakdown=[Breakdown(dimension="sex", category="women", value=5),
                   Breakdown(dimension="sex", category="men", value=4)],
        evidence=[Evidence(where="minutes june 2015.pdf", title="Minutes")]))
    plan = plan.with_indicator(Indicator(name="Trust among members", kind="non-economic",
                                         measure="text"))
    plan = plan.with_indicator_period(IndicatorPeriod(
        indicator="I3", period=1, actual_text="Members buy packaging together.",
        assessment="on track", status="submitted"))
    plan = plan.with_indicator_period(IndicatorPeriod(indicator="I2", period=3, actual=5,
                                                      status="draft"))
    xml = iati.iati_xml([plan])
    assert iati.validate(xml) == []
    root = etree.fromstring(xml)
    meetings = root.xpath("//indicator[title/narrative[starts-with(., 'Members attending')]]")[0]
    assert meetings.get("measure") == "1" and meetings.get("ascending") == "1"
    assert meetings.find("baseline").get("value") == "5"
    second = meetings.findall("period")[1]
    assert second.find("period-end").get("iso-date") == "2015-06-01"
    actuals = second.findall("actual")
    assert [a.get("value") for a in actuals] == ["9", "5", "4"]
    assert actuals[1].find("dimension").attrib == {"name": "sex", "value": "women"}
    assert actuals[0].find("comment/narrative").text == "Two new members."
    link = actuals[0].find("document-link")
    assert link.get("url") == "minutes%20june%202015.pdf" and link.get("format") == \
        "application/pdf"
    trust = root.xpath("//indicator[@measure='5']")[0]
    assert "packaging together" in trust.find("period/actual/comment/narrative").text
    sales = root.xpath("//indicator[title/narrative[starts-with(., 'Monthly sales')]]")[0]
    assert sales.findall("period")[2].find("actual") is None  # a draft is not published


def test_an_invalid_file_is_caught():
    xml = iati.iati_xml([reviewed_plan()]).replace(b"<activity-status", b"<activity-state")
    problems = iati.validate(xml)
    assert problems and "activity-state" in problems[0]


def test_write_refuses_to_write_an_invalid_file(tmp_path, monkeypatch):
    monkeypatch.setattr(iati, "iati_xml", lambda plans: b"<iati-activities version='2.03'/>")
    with pytest.raises(iati.IatiError, match="does not validate"):
        iati.write_iati([reviewed_plan()], tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_an_indicator_whose_kind_is_not_chosen_is_reported_not_dropped():
    plan = reviewed_plan().with_indicator(Indicator(name="Buyers met at the fair",
                                                    unit="buyers", baseline=0, target=10))
    xml = iati.iati_xml([plan])
    assert iati.validate(xml) == []
    root = etree.fromstring(xml)
    titles = [t.text for t in root.findall("iati-activity/result/title/narrative")]
    assert titles[-1] == "Results whose kind the team has not chosen yet"
    assert root.xpath("//indicator[title/narrative[starts-with(., 'Buyers met')]]")
