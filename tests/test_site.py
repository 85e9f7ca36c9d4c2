"""The built site: outputs where the code is, provenance on every page, errors indexed, notebooks."""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest

from sitegen.render import anchor_id
from sitegen.site import SiteBuild
from tests.site_build import ROOT, build_site


@pytest.fixture(scope="module")
def site():
    return build_site()


@pytest.fixture(scope="module")
def results(site):
    build = SiteBuild(ROOT, ROOT / "docs")
    build.run_all()  # everything is cached by the site build: nothing runs again
    build.scan_pages()
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
    for (path, section_name), includes in results.includes.items():
        section = results.results[path].section(section_name)
        page = text_of(page_html(site, includes[0].page))
        for line in section.output.splitlines():
            assert line.strip() in page, (
                f"{path}:{section_name} printed {line!r}, not on {includes[0].page}"
            )
            checked += 1
        if section.error:
            assert f"{section.error[0]}: {section.error[1].splitlines()[0]}" in page
    assert checked > 0


def test_every_figure_is_on_its_page_with_alt_text_and_small(site, results):
    count = 0
    for (path, section_name), includes in results.includes.items():
        page = page_html(site, includes[0].page)
        for index, figure in enumerate(
            results.results[path].section(section_name).figures, start=1
        ):
            name = f"{section_name if section_name != '__file__' else 'script'}-{index}.{figure.suffix}"
            tag = re.search(rf'<img[^>]*src="[^"]*/{re.escape(name)}"[^>]*>', page)
            assert tag, f"{path}:{section_name} figure {index} is not on {includes[0].page}"
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


def test_every_exercise_notebook_downloads_with_its_outputs(site, results):
    assert results.notebooks, "the site has exercise notebooks"
    for uri in results.notebooks:
        name = uri.removeprefix("exercises/").removesuffix(".ipynb")
        page = (site / "exercises" / name / "index.html").read_text()
        download = site / "exercises" / name / f"{name}.ipynb"
        assert re.search(rf'href="[^"]*{re.escape(name)}\.ipynb"[^>]*download', page), (
            "no download link"
        )
        notebook = nbformat.read(download, as_version=4)
        nbformat.validate(notebook)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert code and all(c.execution_count for c in code)


def test_the_api_reference_documents_ptx(site):
    page = (site / "reference" / "index.html").read_text()
    for name in (
        "device.get_device",
        "seed.set_seed",
        "plotting.plot_decision_boundary",
        "checkpoint.load_checkpoint",
        "engine.fit",
    ):
        assert f'id="ptx.{name}"' in page, f"ptx.{name} is not documented"


def test_the_search_index_holds_every_page(site):
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for page in ("", "fundamentals/", "linear-regression/", "classification/binary/", "errors/"):
        assert page in locations
