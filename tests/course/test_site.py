"""Tests of consortia.course.site: the static web site of the course (handouts)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from consortia.course import notes, site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A learner build of lessons 00 and 01, a trainer build of 00 and the trainer's guide."""
    root = tmp_path_factory.mktemp("site")
    learner = site.build_site(root / "learner", only=["00_start_here", "01_why_work_together"],
                              progress=lambda line: None)
    trainer = site.build_site(root / "trainer", trainer=True,
                              only=["00_start_here", "trainer_guide"],
                              progress=lambda line: None)
    return root, learner, trainer


class Requests(HTMLParser):
    """Every address a browser would fetch by itself when it opens the page."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.scripts += tag == "script"
        for name in ("src", "srcset", "data", "poster"):
            if values.get(name):
                self.fetched.append(values[name])
        if tag == "link" and values.get("href"):
            self.fetched.append(values["href"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if values.get("style"):
            self.fetched += re.findall(r"url\(\s*['\"]?([^'\")]+)", values["style"])


def _read(path) -> Requests:
    parser = Requests()
    text = path.read_text(encoding="utf-8")
    parser.feed(text)
    # addresses in style sheets (@import, url(...)) are fetched too
    for css in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S):
        parser.fetched += re.findall(r"@import\s+['\"]([^'\"]+)", css)
        parser.fetched += re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    return parser


def test_pages_are_listed_in_syllabus_order():
    names = [p.source.stem for p in site.pages()]
    assert names[0] == "00_start_here"
    lessons = [p for p in site.pages() if p.group == "Lessons"]
    assert [p.target for p in lessons] == sorted(p.target for p in lessons)
    assert "trainer_guide" not in names
    assert "trainer_guide" in [p.source.stem for p in site.pages(trainer=True)]


def test_no_page_makes_a_request_to_the_internet(built):
    _root, learner, trainer = built
    for path in [*learner, *trainer]:
        page = _read(path)
        external = [url for url in page.fetched if re.match(r"(?i)(https?:)?//", url)]
        assert external == [], f"{path.name} fetches {external[:3]}"
        assert page.scripts == 0, f"{path.name} has scripts"


def test_pages_link_to_the_index_and_the_pages_before_and_after(built):
    root, _, _ = built
    first = _read(root / "learner" / "lessons" / "00_start_here.html")
    second = _read(root / "learner" / "lessons" / "01_why_work_together.html")
    assert "../index.html" in first.links and "../index.html" in second.links
    assert "01_why_work_together.html" in first.links  # next
    assert "00_start_here.html" in second.links  # previous
    assert not any(link.endswith(".ipynb") for link in first.links + second.links)
    html = (root / "learner" / "lessons" / "00_start_here.html").read_text(encoding="utf-8")
    # the lesson footer's "Next lesson" leads to the next page
    assert re.search(r'Next lesson:</b> <a href="01_why_work_together\.html"', html)


def test_code_and_run_instructions_are_hidden(built):
    root, _, _ = built
    html = (root / "learner" / "lessons" / "01_why_work_together.html").read_text(
        encoding="utf-8")
    assert "lesson_header(" not in html and "from consortia." not in html
    assert "jp-InputArea-editor" not in html.split("</style>")[-1]  # no code cell shows
    assert not re.search(r"\bRun the (next )?cell\b", html)
    assert "Key points" in html  # the outputs stay


def test_learner_edition_leaves_out_trainer_notes(built):
    root, learner, _ = built
    page = (root / "learner" / "lessons" / "00_start_here.html").read_text(encoding="utf-8")
    assert "Start here" in page
    assert "the first 20 minutes of a workshop" not in page
    assert not (root / "learner" / "trainers").exists()
    assert learner[0].name == "index.html"


def test_trainer_edition_keeps_them_set_apart_and_adds_the_guide(built):
    root, _, _ = built
    page = (root / "trainer" / "lessons" / "00_start_here.html").read_text(encoding="utf-8")
    assert "the first 20 minutes of a workshop" in page
    assert re.search(rf'<details class="{notes.NOTE_CLASS}" open', page)
    guide = (root / "trainer" / "trainers" / "trainer_guide.html").read_text(encoding="utf-8")
    assert "Country presentations" in guide  # the computed schedule is in the page
    index = (root / "trainer" / "index.html").read_text(encoding="utf-8")
    assert "Trainer edition" in index and "trainer_guide.html" in index


def test_pages_are_static_and_self_contained(built):
    root, _, _ = built
    page = (root / "learner" / "lessons" / "00_start_here.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page  # the timeline chart is embedded
    assert '<script type="application/vnd.jupyter.widget-view+json">' not in page
    assert "<summary>Show the answer</summary>" in page  # the self-check, answer folded
    assert "@page" in page and "size: A4" in page  # a print style for handouts


def test_run_instructions_are_removed_sentence_by_sentence():
    text = ("The next cell asks for the table. Run it.\n\n1. Run the next cell. It starts a "
            "plan.\n2. Run the cell after it.\n\nNothing you run here changes the kit's "
            "files. Use **Run > Run All Cells** to start again.")
    assert site.strip_run_instructions(text) == (
        "The next cell asks for the table.\n\n1. It starts a plan.\n\nNothing you run here "
        "changes the kit's files. Use **Run > Run All Cells** to start again.")


def test_refuses_to_overwrite_a_folder_that_is_not_a_site(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError, match="not an earlier build"):
        site.build_site(tmp_path, only=["00_start_here"], progress=lambda line: None)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_nothing_to_build(tmp_path):
    with pytest.raises(ValueError, match="nothing to build"):
        site.build_site(tmp_path / "x", only=["no_such_notebook"])


def test_going_further_cells_are_folded_on_the_page():
    """A 'more' cell shows only its summary line until opened, wrapped or not."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Core text.", metadata={"tags": []}),
        nbformat.v4.new_markdown_cell("Depth written **without** a wrapper.",
                                      metadata={"tags": ["more"]}),
        nbformat.v4.new_markdown_cell(
            "<details><summary><b>Going further</b>: sources</summary>\n\nWrapped.\n\n"
            "</details>", metadata={"tags": ["more"]}),
    ]
    site.fold_going_further(nb)
    assert nb.cells[0].source == "Core text."
    assert nb.cells[1].source.startswith("<details><summary><b>Going further</b>")
    assert nb.cells[2].source.count("<details>") == 1  # already folded: left alone
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert body.count("<summary><b>Going further</b>") == 2
    assert "<strong>without</strong>" in body  # the inside is still read as markdown
