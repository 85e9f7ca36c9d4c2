"""The built site: outputs where the code is, provenance on every page, errors indexed, notebooks."""

from __future__ import annotations

import ast
import html
import json
import re

import nbformat
import pytest

from sitegen.notebooks import download_uri
from sitegen.reference import public_names
from sitegen.render import anchor_id, figure_uri
from sitegen.sitebuild import SiteBuild
from tests.support.browser_support import code_blocks, reader_steps
from tests.support.site_build import ROOT


@pytest.fixture(scope="module")
def results(site):
    build = SiteBuild(ROOT, ROOT / "docs")
    build.run()  # everything is cached by the site build: nothing runs again
    return build


def page_html(site, uri: str) -> str:
    """The HTML of a docs page, e.g. 'classification/binary.md'."""
    folder = uri.removesuffix(".md").removesuffix("index")
    return (site / folder / "index.html").read_text()


def text_of(page: str) -> str:
    """The page's text with tags removed and entities decoded, for finding printed output."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_page_shows_its_provenance(site):
    pages = [p for p in site.rglob("index.html")]
    assert len(pages) >= 8
    for page in pages:
        footer = re.search(r'<aside class="ptx-provenance">(.*?)</aside>', page.read_text(), re.S)
        assert footer, f"{page} has no provenance footer"
        assert "torch 2.13.0" in footer[1] and "Outputs built on" in footer[1]


def test_every_printed_output_is_on_the_page_that_shows_its_code(site, results):
    checked = 0
    for (path, section_name), places in results.checks.shown.items():
        if path not in results.results:
            continue  # needs hardware this build does not have
        section = results.results[path].section(section_name)
        page = text_of(page_html(site, places[0].page))
        for line in section.output.splitlines():
            assert line.strip() in page, (
                f"{path}:{section_name} printed {line!r}, not on {places[0].page}"
            )
            checked += 1
        if section.error:
            assert f"{section.error[0]}: {section.error[1].splitlines()[0]}" in page
    assert checked > 0


def test_every_figure_is_on_its_page_with_alt_text_and_small(site, results):
    count = 0
    for (path, section_name), places in results.checks.shown.items():
        if path not in results.results:
            continue
        page = page_html(site, places[0].page)
        for index, figure in enumerate(
            results.results[path].section(section_name).figures, start=1
        ):
            # the whole figure path: two files' sections of the same name can share a page
            uri = figure_uri(path, section_name, index, figure.suffix)
            tag = re.search(rf'<img[^>]*src="(?:[^"]*/)?{re.escape(uri)}"[^>]*>', page)
            assert tag, f"{path}:{section_name} figure {index} is not on {places[0].page}"
            alt = re.search(r'alt="([^"]*)"', tag[0])
            assert alt and html.unescape(alt[1]) == figure.alt
            count += 1
    figures = list((site / "figures").rglob("*.*"))
    assert len(figures) == count
    assert all(f.stat().st_size < 250_000 for f in figures)


def test_the_error_index_links_every_error_demonstration_to_its_place(site, results):
    index = (site / "errors" / "index.html").read_text()
    index_text = text_of(index)
    demos = [
        (path, section.name, section.error)
        for path, result in results.results.items()
        for section in result.sections
        if section.error
    ]
    assert demos, "the site demonstrates at least one error"
    for path, name, (kind, message) in demos:
        anchor = anchor_id(path, name)
        assert f"{kind}: {message.splitlines()[0]}" in index_text
        link = re.search(rf'href="([^"#]*)#{anchor}"', index)
        assert link, f"the error index has no link to {anchor}"
        target = (site / "errors" / link[1] / "index.html").resolve()
        assert f'id="{anchor}"' in target.read_text()


def test_every_exercise_notebook_downloads_solved_and_blank(site, results):
    notebooks = results.notebook_sources()
    assert notebooks, "the site has exercise notebooks"
    for source in notebooks:
        page_folder = site / download_uri(source).removesuffix(".ipynb")
        page = (page_folder / "index.html").read_text()
        solved, blank = (
            nbformat.read(site / download_uri(source, blank), as_version=4)
            for blank in (False, True)
        )
        for book in (solved, blank):
            nbformat.validate(book)
            name = re.escape(download_uri(source, book is blank).split("/")[-1])
            assert re.search(rf'<a (?=[^>]*\bdownload\b)[^>]*href="[^"]*/{name}"', page), name
            assert (
                "importlib.metadata.version(distribution)" in book.cells[0].source
            )  # the setup cell
        code = [c for c in solved.cells[1:] if c.cell_type == "code"]
        assert code and all(c.execution_count for c in code)
        solutions = [c for c in code if "solution" in c.metadata.get("tags", [])]
        assert solutions, f"{source.relative} marks no solution cell"
        blank_code = "\n".join(c.source for c in blank.cells if c.cell_type == "code")
        for cell in solutions:
            assert cell.source not in blank_code


def test_the_api_reference_documents_every_public_helper_with_its_source(site):
    names = public_names(ROOT)
    pages = {p: p.read_text() for p in (site / "reference").rglob("index.html")}
    # a name in a table cell carries <wbr> break points at its joints (sitegen/render.py)
    overview = pages.pop(site / "reference" / "index.html").replace("<wbr>", "")
    for name, module in names.items():
        page = next((text for text in pages.values() if f'id="ptx.{module}.{name}"' in text), None)
        assert page, f"ptx.{name} is documented on no reference page"
        assert f"ptx.{name}" in overview
    assert all("Source code in" in text for text in pages.values())


def test_each_helper_is_taught_on_the_page_its_docstring_names(site, results):
    """d2l's way: a helper's docstring names the chapter that writes it out first, and that
    chapter's code really uses it (or, for an exception or History, its page shows it)."""
    import ptx

    code_on_page = {}
    for (path, _), places in results.checks.shown.items():
        code_on_page.setdefault(places[0].page, set()).add(path)
    wrong = []
    for name in public_names(ROOT):
        taught = re.search(r"Taught in: .+ \(([\w/.-]+\.md)\)\.", getattr(ptx, name).__doc__ or "")
        if not taught:
            wrong.append(f"ptx.{name}: no 'Taught in' line")
            continue
        page = taught[1]
        code = "".join((ROOT / p).read_text() for p in code_on_page.get(page, ()))
        if f"ptx.{name}" not in code and name not in text_of(page_html(site, page)):
            wrong.append(f"ptx.{name}: {page} neither uses nor shows it")
    assert not wrong, "\n".join(wrong)


def test_the_search_index_holds_every_page(site):
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for page in (
        "",
        "fundamentals/",
        "linear-regression/",
        "classification/binary/",
        "errors/",
        "exercises/fundamentals/",
    ):
        assert page in locations


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def test_no_output_on_any_page_is_typed_by_hand(site, results):
    """Every output block on every page is one the build (or a recorded run) produced, and no
    page writes an output of its own: no expected-output blocks, no text blocks of output."""
    for source in sorted(ROOT.glob("docs/**/*.md")):
        text = source.read_text()
        assert "expected-output" not in text and "pytest.mark.skip" not in text, source
    produced = set()
    for result in results.results.values():
        for section in result.sections:
            text = section.output + (
                f"{section.error[0]}: {section.error[1]}\n" if section.error else ""
            )
            produced.add(_normal(html.unescape(text)))
    messages = {
        _normal(f"{kind}: {message}")
        for explanation in results.explanations
        for kind, message in [(s.kind, s.message) for s in explanation.shown]
    }
    counted = 0
    for page in site.rglob("index.html"):
        for block in code_blocks(page.read_text()):
            shown = _normal(block.code)
            if block.is_output:
                assert shown in produced, f"{page}: an output no run produced:\n{shown[:300]}"
                counted += 1
            elif "ptx-error-message" in block.classes:
                assert shown in messages, f"{page}: an error message no run raised:\n{shown[:300]}"
                counted += 1
            elif block.language == "text":
                assert shown.startswith("!pip install"), f"{page}: a text block:\n{shown[:300]}"
    print(f"\n{counted} output blocks, every one produced by a run")
    assert counted > 100


def _prose_and_outputs(page: str) -> tuple[list[str], str, str]:
    """A page's prose as sentences (without code, outputs, figures, and the numbers the build
    filled in from runs), the text of its outputs, and the text of its code."""
    outputs = " ".join(
        re.findall(
            r'<div class="language-text highlight ptx-output[^"]*"[^>]*>(.*?)</div>', page, re.S
        )
    )
    code = " ".join(
        re.findall(r'<div class="language-py(?:thon)? highlight[^"]*"[^>]*>(.*?)</div>', page, re.S)
    )
    body = re.search(r"<article[^>]*>(.*)</article>", page, re.S)
    body = body[1] if body else page
    for pattern in (
        r'<span class="ptx-value"[^>]*>.*?</span>',  # filled in by the build from a run
        r'<div class="[^"]*highlight[^"]*".*?</div>',
        r"<code>.*?</code>",
        r"<svg.*?</svg>",
        r'<aside class="ptx-provenance">.*?</aside>',
    ):
        body = re.sub(pattern, " ", body, flags=re.S)
    prose = html.unescape(re.sub(r"<[^>]+>", " ", body))
    text = [html.unescape(re.sub(r"<[^>]+>", "", part)) for part in (outputs, code)]
    return re.split(r"(?<=[.!?])\s+", prose), *text


def test_numbers_in_prose_that_restate_a_run_come_from_the_run(site):
    """A number with three or more decimals that a page's prose shares with its outputs restates
    a result: it must be a reference the build fills in ({{ file.py:section name }}), so it cannot
    drift from the run. Settings (numbers the code itself writes, such as a learning rate) and
    the numbers the learner's original run printed (cited as such) are not restatements."""
    typed = []
    for page in sorted(site.rglob("index.html")):
        sentences, outputs, code = _prose_and_outputs(page.read_text())
        for sentence in sentences:
            for number in re.findall(r"(?<![\w.])\d+\.\d{3,}(?!\w)", sentence):
                pattern = rf"(?<![\w.]){re.escape(number)}(?!\d)"
                restated = re.search(pattern, outputs) and not re.search(pattern, code)
                if restated and "original" not in sentence.lower():
                    typed.append(
                        f"{page.relative_to(site)}: {number} in {sentence.strip()[:120]!r}"
                    )
    assert not typed, "numbers typed in prose that restate a run:\n" + "\n".join(typed)


def _imported_and_used(code: str) -> tuple[dict[str, int], set[str]]:
    """The names a block imports (name -> line) and the names it uses."""
    tree = ast.parse(code)
    imported, used = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported[alias.asname or alias.name.split(".")[0]] = node.lineno
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                imported[alias.asname or alias.name] = node.lineno
        elif isinstance(node, ast.Name):
            used.add(node.id)
    return imported, used


def test_no_block_imports_what_the_page_does_not_use(site):
    """An import in a block is used by that block or a later one on the page."""
    unused = []
    for page in sorted(site.rglob("index.html")):
        blocks = [s.code for s in reader_steps(page.read_text())]
        parsed = [_imported_and_used(code) for code in blocks]
        for index, (imported, _) in enumerate(parsed):
            later = set().union(*(used for _, used in parsed[index:]))
            for name, line in imported.items():
                if name not in later:
                    first = blocks[index].splitlines()[line - 1].strip()
                    unused.append(f"{page.relative_to(site)}: block {index}: {first!r}")
    assert not unused, "imports no block uses:\n" + "\n".join(unused)


def test_nothing_tells_a_reader_to_install_the_other_ptx(site):
    """`ptx` on PyPI is someone else's package: no page, notebook or README says to install it."""
    wrong = re.compile(r"pip3? install\s+(?:-\S+\s+)*ptx(?![\w-])")
    files = [*site.rglob("*.html"), *site.rglob("*.ipynb"), ROOT / "README.md"]
    said = [str(f) for f in files if wrong.search(html.unescape(f.read_text()))]
    assert not said, said
    installs = html.unescape(page_html(site, "run.md"))
    assert (
        "pytorch-exercises-helpers" in installs
        and "/downloads/pytorch_exercises_helpers-" in installs
    )


# -- an exercise named by its number links its own anchor (review of #19, finding 9) -------------
EXERCISE_NUMBER = re.compile(r"\b[Ee]xercise\s+(\d+)\b")
LINK = re.compile(r'<a\b[^>]*\bhref="(?P<href>[^"]*)"[^>]*>(?P<text>.*?)</a>', re.S)


def _article_prose(page: str) -> str:
    """A page's article without its code blocks, outputs and figures: the HTML of its prose."""
    body = re.search(r"<article[^>]*>(.*)</article>", page, re.S)
    body = body[1] if body else page
    for pattern in (r'<div class="[^"]*highlight[^"]*".*?</div>', r"<svg.*?</svg>"):
        body = re.sub(pattern, " ", body, flags=re.S)
    return body


def _pages_that_may_name_exercises() -> list:
    from benchmarks.main_path import chapters, nav_section

    pages = ["index.md", *chapters(ROOT), *nav_section(ROOT, "Going deeper")]
    return pages


@pytest.mark.parametrize("uri", _pages_that_may_name_exercises())
def test_an_exercise_named_by_its_number_links_that_exercises_own_anchor(site, uri):
    """'exercise 3' in prose is a link to the exercise page's `#3-...` heading, so that
    renumbering the exercises breaks the build (it checks every anchor), not the prose. An
    exercise in parts (7a-7e) is linked by its first part's heading."""
    prose = _article_prose(page_html(site, uri))
    wrong = []
    for link in LINK.finditer(prose):
        text = html.unescape(re.sub(r"<[^>]+>", "", link["text"]))
        for number in EXERCISE_NUMBER.findall(text):
            target = html.unescape(link["href"])
            if not re.search(rf"exercises/[\w-]+/#{number}a?-", target):
                wrong.append(f"{text!r} links {target!r}, not exercise {number}'s heading")
    unlinked = html.unescape(re.sub(r"<[^>]+>", " ", LINK.sub(" ", prose)))
    wrong += [f"{m[0]!r}, not a link" for m in EXERCISE_NUMBER.finditer(unlinked)]
    assert not wrong, f"{uri}: " + "; ".join(wrong)
