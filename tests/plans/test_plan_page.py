"""Tests of consortia.plans.page: the page of a plan a chamber sends to SELA or UNIDO."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from chromium_fixtures import pdf_required
from consortia import cli, pages
from consortia.plans import model
from consortia.plans.files import save_plan
from consortia.plans.page import months_text, render_plan_page
from consortia.plans.rulebook import rulebook
from plan_fixtures import good_plan, reviewed_plan

DAY = dt.date(2026, 11, 29)
JUNE_2014 = dt.date(2014, 6, 1)


def text_of(page: str) -> str:
    """What a reader sees: the page without its markup and styles."""
    body = page.split("<body>", 1)[1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def field_names() -> set[str]:
    """The plan file's field names that no reader would write (``start_month``...)."""
    names = set()
    for item in vars(model).values():
        if isinstance(item, type) and issubclass(item, model.KitModel):
            names |= {name for name in item.model_fields if "_" in name}
    return names


def test_page_has_every_part_and_its_date():
    text = text_of(render_plan_page(good_plan(), generated=DAY))
    for part in ["Toledo chocolate makers", "Prepared on 29 November 2026", "Objectives",
                 "Activities and timeline", "Indicators", "Milestones",
                 "What the plan check says", "Country Belize", "Budget US$ 3,000 (6 of 6",
                 "Phases covered III, IV, V, VII, VIII, IX (6 of 10)",
                 "Members 12: producers, public sector, university",
                 "Monthly sales of the consortium economic 0 US$ 2,000 US$"]:
        assert part in text
    assert f"On 29 November 2026 the plan meets all {len(rulebook())} rules the kit checks" \
        in text
    assert "III Initial group" in text


def test_prepared_by_is_shown_and_escaped():
    page = render_plan_page(good_plan(), generated=DAY, prepared_by="Belize <Chamber>")
    assert "Prepared by <b>Belize &lt;Chamber&gt;</b> on <b>29 November 2026</b>" in page


def test_no_internal_codes_reach_the_reader():
    plan = good_plan().updated(review_every_months=12, case="belize", horizon_months=12)
    plan = plan.with_activity(plan.activity("A3").model_copy(update={"owner": ""}))
    text = text_of(render_plan_page(plan, generated=DAY))
    assert "Activity 6, “Apply for a collective mark with rules of use”: Activities end " \
        "within the plan's horizon. What to do:" in text  # a rule of the kit's own: no source
    codes = [code for code in rulebook() if code in text]
    ids = re.findall(r"\b(?:A|I)\d+\b", text)  # activity and indicator ids
    fields = [name for name in field_names() if name in text]
    assert (codes, ids, fields) == ([], [], [])
    assert not re.search(r"\bp\d{2}\b", text)  # phase ids such as p03
    assert "belize" not in text  # the case's slug: the kit's own key, not a word


def test_findings_are_in_plain_words_and_name_what_they_concern():
    plan = good_plan().updated(review_every_months=12)
    plan = plan.with_activity(plan.activity("A3").model_copy(update={"owner": ""}))
    text = text_of(render_plan_page(plan, generated=DAY))
    assert "must fix: 1, should fix: 1" in text
    assert ("Activity 3, “Run a first joint training workshop”: Every activity has an owner "
            "(SELA 2014 §34). What to do: Name the person") in text
    assert "The plan as a whole: The plan is reviewed at least every six months (SELA 2014" \
        in text


def test_an_indicator_without_a_kind_says_so_in_words():
    plan = good_plan()
    first = plan.indicators[0]
    plan = plan.model_copy(update={"indicators": [first.model_copy(update={"kind": None}),
                                                  *plan.indicators[1:]]})
    text = text_of(render_plan_page(plan, generated=DAY))
    assert f"{first.name} not chosen yet" in text and "None" not in text
    assert f"Indicator “{first.name}”:" in text  # the finding names it


def test_months_are_calendar_months_from_the_plans_start_date():
    text = text_of(render_plan_page(reviewed_plan(), generated=DAY))
    assert "Plan period Jun 2014 to May 2016 (24 months)" in text
    assert "Agree who may join and the basic rules of production III Initial group " \
        "Jun-Jul 2014" in text
    assert "Dec 2014-Feb 2015" in text  # activities 4 and 5: months 6 to 8
    assert "Dec 2014: Six-month review" in text and "Feb 2015: National Chocolate" in text
    assert "Budget (US$) Jun 2014 Jun 2015 1 " in text  # the timeline's scale, yearly


def test_a_start_month_given_for_the_page_gives_calendar_months():
    given = text_of(render_plan_page(good_plan(), generated=DAY, start=JUNE_2014))
    assert "Plan period Jun 2014 to May 2016 (24 months)" in given
    assert "Dec 2014: Six-month review" in given and "months 1-2" not in given
    # the plan's own start date wins over one given for the page
    own = render_plan_page(reviewed_plan(), generated=DAY, start=dt.date(2020, 1, 1))
    assert own == render_plan_page(reviewed_plan(), generated=DAY)


def test_without_a_start_date_months_are_counted_from_the_start():
    text = text_of(render_plan_page(good_plan(), generated=DAY))
    assert "Plan period 24 months (no start date set yet)" in text
    assert "production III Initial group months 1-2 " in text
    assert "after month 6: Six-month review" in text
    assert "Budget (US$) 0 6 12 18 1 " in text  # the timeline's scale, in months


def test_months_text_spans_years_and_single_months():
    assert months_text(JUNE_2014, 5, 3) == "Nov 2014-Jan 2015"
    assert months_text(JUNE_2014, 0, 1) == "Jun 2014"
    assert months_text(None, 0, 1) == "month 1"
    assert months_text(None, 6, 3) == "months 7-9"


def test_participant_text_cannot_inject_markup():
    plan = good_plan().updated(consortium="<script>alert('x')</script>",
                               objectives=["<img src=x onerror=alert(1)>"])
    html = render_plan_page(plan)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_a_plan_invented_for_teaching_says_so_on_its_page():
    from consortia.plans import followup

    page = render_plan_page(followup.followup_plans()["guyana"])
    assert '<p class="illustrative">⚠ Invented for teaching' in page


# --- plan show: the command ------------------------------------------------------------


def test_plan_show_writes_the_page_beside_the_plan_and_says_how_to_get_calendar_months(
        tmp_path, capsys):
    plan_file = save_plan(good_plan(), tmp_path / "plan.json")
    assert cli.main(["plan", "show", str(plan_file), "--prepared-by", "Belize Chamber",
                     "--date", "2014-05-20"]) == 0
    out = capsys.readouterr().out
    page = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert "Prepared by <b>Belize Chamber</b> on <b>20 May 2014</b>" in page
    assert "for calendar months add --start YEAR-MONTH, e.g. --start 2014-06" in out
    assert "--prepared-by" not in out  # it was given


def test_plan_show_refuses_a_start_that_contradicts_the_plan(tmp_path, capsys):
    plan_file = save_plan(reviewed_plan(), tmp_path / "plan.json")
    assert cli.main(["plan", "show", str(plan_file), "--start", "2015-01"]) == 2
    assert "already starts on 2014-06-01" in capsys.readouterr().err
    assert cli.main(["plan", "show", str(plan_file), "--start", "June"]) == 2
    assert "write the month the plan starts as 2014-06" in capsys.readouterr().err
    assert not (tmp_path / "plan.html").exists()


@pytest.mark.parametrize("plan", [good_plan(), reviewed_plan()], ids=["typical", "a-year-on"])
def test_plan_show_pdf_is_a_pdf_of_at_most_two_pages_with_the_plans_name(tmp_path, capsys,
                                                                         plan):
    pdf_required()
    plan_file = save_plan(plan, tmp_path / "plan.json")
    assert cli.main(["plan", "show", str(plan_file), "--pdf", "--start", "2014-06",
                     "--prepared-by", "Belize Chamber of Commerce"]) == 0
    data = (tmp_path / "plan.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    assert 1 <= pages.pdf_page_count(data) <= 2
    assert b"/Title (Toledo chocolate makers: action plan)" in data
    assert "A4 page(s)" in capsys.readouterr().out


def test_plan_show_pdf_without_chromium_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(pages.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    plan_file = save_plan(good_plan(), tmp_path / "plan.json")
    assert cli.main(["plan", "show", str(plan_file), "--pdf"]) == 2
    assert "sudo apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "plan.pdf").exists()
    assert cli.main(["plan", "show", str(plan_file), "--pdf", "--out",
                     str(tmp_path / "x.html")]) == 2
    assert "name the file x.pdf" in capsys.readouterr().err
