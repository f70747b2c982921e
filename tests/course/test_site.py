"""Tests of consortia.course.site: the static web site of the course."""

from __future__ import annotations

import pytest

from consortia.course import site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A learner and a trainer build of the start-here notebook and the trainer's guide."""
    root = tmp_path_factory.mktemp("site")
    learner = site.build_site(root / "learner", only=["00_start_here", "trainer_guide"],
                              progress=lambda line: None)
    trainer = site.build_site(root / "trainer", trainer=True,
                              only=["00_start_here", "trainer_guide"],
                              progress=lambda line: None)
    return root, learner, trainer


def test_pages_are_listed_in_syllabus_order():
    names = [p.source.stem for p in site.pages()]
    assert names[0] == "00_start_here"
    lessons = [p for p in site.pages() if p.group == "Lessons"]
    assert [p.target for p in lessons] == sorted(p.target for p in lessons)
    assert "trainer_guide" not in names
    assert "trainer_guide" in [p.source.stem for p in site.pages(trainer=True)]


def test_learner_edition_leaves_out_trainer_notes(built):
    root, learner, _ = built
    page = (root / "learner" / "lessons" / "00_start_here.html").read_text(encoding="utf-8")
    assert "Start here" in page
    assert "the first 20 minutes of a workshop" not in page
    assert not (root / "learner" / "trainers").exists()
    assert learner[0].name == "index.html"


def test_trainer_edition_keeps_them_and_adds_the_guide(built):
    root, _, _ = built
    page = (root / "trainer" / "lessons" / "00_start_here.html").read_text(encoding="utf-8")
    assert "the first 20 minutes of a workshop" in page
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
    assert 'src="https://' not in page and 'src="http://' not in page


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
