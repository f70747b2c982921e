"""Tests of consortia.plans.page: a plan's page shown in a notebook and saved to a file."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from consortia.plans.files import PlanFileError, save_plan
from consortia.plans.page import DEFAULT_HEIGHT, plan_preview, render_plan_page
from plan_fixtures import good_plan

WHEN = dt.datetime(2026, 11, 29, 10, 0)


def test_the_page_is_the_plan_page():
    preview = plan_preview(good_plan(), generated=WHEN)
    assert preview.page == render_plan_page(good_plan(), generated=WHEN)
    assert preview.title == "Toledo chocolate makers: action plan"
    assert preview.height == DEFAULT_HEIGHT


def test_shown_in_a_sandboxed_frame_that_keeps_page_styles_inside():
    shown = plan_preview(good_plan(), height=500, generated=WHEN)._repr_html_()
    assert shown.startswith("<iframe ") and shown.endswith("</iframe>")
    assert 'sandbox=""' in shown and "height:500px" in shown
    assert "<style>" not in shown and "<h2>" not in shown  # all of it escaped into srcdoc
    srcdoc = shown.split('srcdoc="', 1)[1].split('" sandbox', 1)[0]
    assert html.unescape(srcdoc) == render_plan_page(good_plan(), generated=WHEN)


def test_participant_text_stays_escaped_in_the_frame():
    plan = good_plan().updated(consortium='Quote " and <b>bold</b>')
    shown = plan_preview(plan)._repr_html_()
    srcdoc = shown.split('srcdoc="', 1)[1].split('" sandbox', 1)[0]
    assert '"' not in srcdoc and "<" not in srcdoc  # nothing can end the attribute early
    page = html.unescape(srcdoc)  # the page itself: the participant's text still escaped
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'Quote " and <b>bold</b>' in html.unescape(page)


def test_opens_a_plan_file_and_saves_the_page(tmp_path):
    path = save_plan(good_plan(), tmp_path / "plan.json")
    preview = plan_preview(path, generated=WHEN)
    written = preview.save(tmp_path / "plan.html")
    assert written.read_text(encoding="utf-8") == preview.page
    assert plan_preview(str(path), generated=WHEN).page == preview.page


def test_a_broken_file_or_a_tiny_frame_says_what_is_wrong(tmp_path):
    broken = tmp_path / "plan.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(PlanFileError, match="not valid JSON"):
        plan_preview(broken)
    with pytest.raises(ValueError, match="at least 100 pixels"):
        plan_preview(good_plan(), height=20)


def test_plain_text_view_is_short():
    text = repr(plan_preview(good_plan()))
    assert text == "PlanPreview(title='Toledo chocolate makers: action plan', height=640)"
