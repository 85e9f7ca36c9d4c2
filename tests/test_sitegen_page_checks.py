"""The page checks and the rewriting, on pages and sources made in the test: no build, no run."""

from __future__ import annotations

from pathlib import Path

from sitegen.page_checks import check_pages
from sitegen.page_rewrite import Slots, rewrite, value_span
from sitegen.pagescan import scan
from sitegen.sources import read_source

ROOT = Path("/project")
SNIPPET = "# --8<-- [start:a_b]\nx = 1\n# --8<-- [end:a_b]\n# --8<-- [start:a-b]\ny = 2\n# --8<-- [end:a-b]\n"


def _source(relative: str, text: str):
    return read_source(ROOT / relative, ROOT, text)


def _problems(page: str, sources: dict, values: dict | None = None) -> list[str]:
    def value(file, section, name):
        try:
            return (values or {})[name]
        except KeyError:
            raise KeyError(f"{name!r} is not a number or short string there") from None

    checks = check_pages([scan(page, "index.md")], sources, value, lambda name: "", set())
    return [str(error) for error in checks.errors]


def _include(section: str) -> str:
    return f'```py title="demo.py"\n--8<-- "snippets/c/demo.py:{section}"\n```\n'


def test_two_sections_that_would_share_an_output_id_are_refused():
    source = _source("snippets/c/demo.py", SNIPPET)
    page = "# P\n\n" + _include("a_b") + "\n" + _include("a-b")
    assert _problems(page, {source.relative: source}) == [
        "snippets/c/demo.py:5: section 'a-b' gets the page id 'out-c-demo-a-b', as "
        "snippets/c/demo.py:a_b does: rename one"
    ]


def test_sections_shown_out_of_order_twice_or_not_at_all_are_reported():
    source = _source("snippets/c/demo.py", SNIPPET.replace("a-b", "second"))
    sources = {source.relative: source}
    assert _problems("# P\n\n" + _include("second") + "\n" + _include("a_b"), sources) == [
        "snippets/c/demo.py: sections are included out of file order (['a_b', 'second'])"
    ]
    assert _problems("# P\n\n" + _include("a_b"), sources) == [
        "snippets/c/demo.py: sections never shown on a page: ['second']"
    ]
    assert _problems("# P\n\n" + _include("nothing"), sources)[0] == (
        "docs/index.md:3: includes snippets/c/demo.py:nothing, which has no such section"
    )


def test_a_value_in_a_heading_or_one_that_is_not_there_is_reported_with_its_line():
    page = "# P\n\n## Loss {{ c/demo.py loss:.2f }}\n\nAnd {{ c/demo.py missing }}.\n"
    assert _problems(page, {}, {"loss": 0.5}) == [
        "docs/index.md:3: {{ c/demo.py loss:.2f }} in a heading: put the number in the text",
        "docs/index.md:5: {{ c/demo.py missing }}: 'missing' is not a number or short string there",
    ]


def test_values_reach_the_page_through_slots_as_escaped_text():
    page = scan("# P\n\nGot {{ c/demo.py x }} and {{ c/demo.py x:>6 }}.\n", "index.md")
    slots = Slots()
    text = rewrite(
        page,
        slots,
        lambda name: "",
        lambda ref: value_span(ref, "<b>&</b>"),
        lambda *_: ("", ""),
        {},
    )
    assert "<b>" not in text and "{{" not in text
    html, _ = slots.fill("index.md", f"<p>{text.splitlines()[2]}</p>")
    assert html.count("&lt;b&gt;&amp;&lt;/b&gt;") == 2 and "<b>" not in html
    assert 'data-source="c/demo.py x">' in html
