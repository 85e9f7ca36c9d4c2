"""The glossary: glossary.yml is checked strictly, every page gets its terms' tooltips, and the
Glossary page links each term to the place that teaches it."""

from __future__ import annotations

import html

from sitegen import glossary
from sitegen.pagescan import scan
from tests.support.site_build import build, mini_project

PAGES = {
    uri: scan(text, uri)
    for uri, text in {
        "fundamentals.md": "# Fundamentals\n\n## What a tensor is { #tensors }\n\nA **tensor** is\n",
        "autograd.md": "# Autograd\n\n## The `grad_fn` of a result\n\nA **gradient** is ...\n",
    }.items()
}
TENSOR = "- term: tensor\n  forms: [tensors]\n  page: fundamentals.md\n  definition: A block of numbers.\n"
GRADIENT = (
    "- term: gradient\n  page: autograd.md\n  definition: >-\n    How much it\n    changes.\n"
)


def load(tmp_path, text: str, pages=PAGES):
    (tmp_path / "glossary.yml").write_text(text)
    entries, problems = glossary.load(tmp_path, pages)
    return entries, [str(problem) for problem in problems]


def test_entries_are_read_with_their_forms_and_one_line_definitions(tmp_path):
    entries, problems = load(tmp_path, TENSOR + GRADIENT)
    assert problems == []
    assert [(e.term, e.forms, e.page, e.line) for e in entries] == [
        ("tensor", ("tensors",), "fundamentals.md", 1),
        ("gradient", (), "autograd.md", 5),
    ]
    assert entries[1].definition == "How much it changes."


def test_no_glossary_is_no_entries(tmp_path):
    assert glossary.load(tmp_path, PAGES) == ([], [])


def test_a_malformed_entry_is_named_with_its_line(tmp_path):
    _, problems = load(tmp_path, TENSOR + "- term: gradient\n  page: autograd.md\n  colour: red\n")
    assert problems == [
        "glossary.yml:5: 'gradient': missing definition; unknown key colour "
        "(keys: term, page, definition, forms)"
    ]
    _, problems = load(tmp_path, "- just a word\n")
    assert problems == ["glossary.yml:1: an entry must be a mapping with term, page and definition"]
    _, problems = load(tmp_path, "term: tensor\n")
    assert problems == ["glossary.yml: must be a list of entries (- term: ...)"]
    _, problems = load(tmp_path, TENSOR.replace("[tensors]", "tensors"))
    assert problems == ["glossary.yml:1: 'tensor': forms must be a list"]


def test_a_duplicate_term_or_form_fails(tmp_path):
    again = "- term: Tensors\n  page: fundamentals.md\n  definition: Again.\n"
    _, problems = load(tmp_path, TENSOR + again)
    assert problems == ["glossary.yml:5: 'Tensors' is already in the glossary (under 'tensor')"]


def test_an_unknown_page_fails(tmp_path):
    _, problems = load(tmp_path, TENSOR.replace("fundamentals.md", "tensors.md"))
    assert problems == ["glossary.yml:1: 'tensor': tensors.md is not a page under docs/"]


def test_a_term_its_page_does_not_define_in_bold_on_the_main_path_fails(tmp_path):
    boxed = '# Autograd\n\n??? note "Going further"\n\n    A **gradient** is ...\n'
    _, problems = load(tmp_path, GRADIENT, {**PAGES, "autograd.md": scan(boxed, "autograd.md")})
    assert problems == [
        "glossary.yml:1: 'gradient' is not defined on autograd.md: its main path has no "
        "**gradient** (the term in bold in the sentence that defines it)"
    ]


def test_words_are_the_main_path_prose_at_the_pages_own_offsets():
    text = (
        "# A tensor\n\n"
        '??? note "Going further: tensor"\n\n    tensor inside\n\n'
        '???+ note "Open: tensor"\n\n    tensor open\n\n'
        "`tensor` [tensor](tensor.md) {{ a.py:s tensor }} { #tensor } <b>x</b>\n"
        "```py\ntensor\n```\n"
    )
    page = scan(text)
    entry = glossary.Entry("tensor", "a.md", "A block.")
    found = glossary.uses(entry, page)
    assert all(text[offset : offset + 6] == "tensor" for offset, _ in found)
    # the title, the box's title, the open box's title and text, the link's text
    assert [page.line_at(offset) for offset, _ in found] == [1, 3, 7, 9, 11]


def test_abbreviations_cover_each_spelling_and_its_capital_except_on_the_glossary(tmp_path):
    marked = TENSOR.replace("A block of numbers.", '"A `torch.Tensor`: a **block** of numbers."')
    entries, problems = load(tmp_path, marked)
    assert problems == []
    text = glossary.abbreviations(entries, "fundamentals.md")
    assert [line for line in text.splitlines() if line] == [
        f"*[{spelling}]: A torch.Tensor: a block of numbers."
        for spelling in ("tensor", "Tensor", "tensors", "Tensors")
    ]
    assert glossary.abbreviations(entries, glossary.GLOSSARY_URI) == ""


def test_one_tooltip_per_term_and_section_and_none_in_headings():
    import markdown as python_markdown

    text = (
        "# A tensor\n\nA tensor, a tensor, *a tensor*.\n\n## Next\n\nTensors again, tensor.\n\n"
        "*[tensor]: A block.\n*[Tensors]: A block.\n*[tensor]: A block."
    )
    html = python_markdown.markdown(text, extensions=["abbr", glossary.GlossaryExtension()])
    assert html.count("<abbr") == 2
    assert "<h1>A tensor</h1>" in html
    assert '<p>A <abbr title="A block.">tensor</abbr>, a tensor, <em>a tensor</em>.</p>' in html
    assert '<p><abbr title="A block.">Tensors</abbr> again, tensor.</p>' in html


def test_the_glossary_page_links_to_the_heading_above_each_definition(tmp_path):
    entries, _ = load(tmp_path, TENSOR + GRADIENT)
    page = glossary.page_markdown(entries, PAGES)
    assert page.index("## gradient") < page.index("## tensor")
    assert "Taught in [Fundamentals › What a tensor is](fundamentals.md#tensors)." in page
    assert (
        "Taught in [Autograd › The `grad_fn` of a result](autograd.md#the-grad_fn-of-a-result)."
        in page
    )
    assert "A block of numbers. (also: tensors)" in page


HOME = (
    "# Home\n\n## Words\n\nA **tensor** is a block of numbers. Tensors are everywhere.\n\n"
    "```py\ntensor = 1\n```\n\nAnd `tensor` in code.\n"
)


def test_the_build_shows_tooltips_and_makes_the_glossary_page(tmp_path):
    project = mini_project(
        tmp_path, HOME, {"glossary.yml": TENSOR.replace("fundamentals", "index")}
    )
    run = build(project)
    assert run.returncode == 0, run.stderr
    home = (project / "site" / "index.html").read_text()
    assert '<strong><abbr title="A block of numbers.">tensor</abbr></strong>' in home
    assert "Tensors are everywhere" in home  # a second use in the same section: no tooltip
    assert "<code>tensor" in home and home.count("<abbr") == 1
    page = (project / "site" / "glossary" / "index.html").read_text()
    assert 'href="../#words"' in page
    assert "A block of numbers. (also: tensors)" in html.unescape(page)


def test_a_bad_glossary_fails_the_strict_build_naming_the_file(tmp_path):
    project = mini_project(tmp_path, HOME, {"glossary.yml": TENSOR})  # fundamentals.md: no page
    run = build(project)
    assert run.returncode != 0
    assert "glossary.yml:1: 'tensor': fundamentals.md is not a page under docs/" in run.stderr
