"""sitegen/offscreen.py: a page's blocks between headings wrapped in runs that a phone lays out
only near the screen; the headings themselves, and the opening, stay where they were."""

from __future__ import annotations

import re

from sitegen.offscreen import RUN_CLASS, _TopLevel, estimated_height, wrap_runs

PAGE = """<h1 id="t">Title</h1>
<p>The opening.</p>
<h2 id="a">A</h2>
<p>First run.</p>
<div class="highlight"><pre><span></span><code>x = 1
y = 2
</code></pre></div>
<h3 id="a1">A.1</h3>
<details><summary>More</summary>
<h4 id="inside">A heading inside a box</h4>
<p>Still the box.</p>
</details>
<h2 id="b">B</h2>
<h2 id="c">C</h2>
<p>Last run<br>with a break.</p>
"""


def top_level(html: str) -> list[str]:
    """The tag and the id or class of each top-level element."""
    names = []
    for tag, start, end in _TopLevel(html).elements:
        attribute = re.match(r'<\w+[^>]*?(?:id|class)="([^"]*)"', html[start:end])
        names.append(f"{tag}.{attribute[1]}" if attribute else tag)
    return names


def runs(html: str) -> list[str]:
    return re.findall(rf'<div class="{RUN_CLASS}"[^>]*>(.*?)</div>\n(?=<h|$)', html, re.DOTALL)


def test_each_run_between_headings_after_the_first_h2_is_wrapped():
    wrapped = wrap_runs(PAGE)
    assert top_level(wrapped) == [
        "h1.t", "p",  # the title and the opening: the first screen, as it was
        "h2.a", f"div.{RUN_CLASS}",
        "h3.a1", f"div.{RUN_CLASS}",  # the box and the heading inside it: one run
        "h2.b",  # nothing under it: no empty run
        "h2.c", "p",  # the run that ends the page: unwrapped, its overflow would cover the footer
    ]  # fmt: skip
    found = runs(wrapped)
    assert [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", run)).strip() for run in found] == [
        "First run. x = 1 y = 2",
        "More A heading inside a box Still the box.",
    ]
    assert re.sub(
        rf'\n?<div class="{RUN_CLASS}"[^>]*>|</div>\n(?=<h|$)', "\n", wrapped
    ).split() == (PAGE.split()), (
        "the page's own HTML is kept, character for character, around the runs"
    )


def test_a_page_without_an_h2_is_left_as_it_is():
    page = "<h1>Only a title</h1>\n<p>Text.</p>\n<h3>Small</h3>\n<p>More.</p>\n"
    assert wrap_runs(page) == page


def test_a_run_that_does_not_parse_whole_is_left_unwrapped():
    """A stray end tag could make a nested heading look top-level; a wrapper there would cut an
    element in two, so the run stays as it is."""
    page = (
        '<h2 id="a">A</h2>\n<p>ok</p>\n<h2 id="b">B</h2>\n<div><p>x</p></span></div>\n'
        '<h2 id="c">C</h2>\n<p>The end.</p>\n'
    )
    wrapped = wrap_runs(page)
    assert wrapped.count(RUN_CLASS) == 1
    assert "<div><p>x</p></span></div>" in wrapped and runs(wrapped) == ["<p>ok</p>"]


def test_a_run_is_given_a_height_that_grows_with_its_code_text_and_figures():
    paragraph = "<p>" + "a_long_name_" * 8 + "</p>"  # 96 characters, two lines of 48
    code = '<div class="highlight"><pre><code>' + "line\n" * 30 + "</code></pre></div>"
    figure = '<p><img alt="a plot" src="f.svg"></p>'
    one = estimated_height(paragraph)
    assert 0 < one < estimated_height(paragraph * 2)
    assert estimated_height(code) > 30 * 20
    assert estimated_height(paragraph + figure) >= one + 300
    # each part counted once: code as lines of code, never again as text
    assert estimated_height(paragraph + code + paragraph + code) == 2 * (
        one + estimated_height(code)
    )
    height = re.search(r"contain-intrinsic-size:auto (\d+)px", wrap_runs(PAGE))
    assert height and int(height[1]) == estimated_height(
        '<p>First run.</p>\n<div class="highlight"><pre><span></span><code>x = 1\ny = 2\n</code></pre></div>'
    )
