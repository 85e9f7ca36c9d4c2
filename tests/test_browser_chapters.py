"""The home page, the Run page and the chapters in Debian's Chromium, served from 127.0.0.1: every
check of tests/support/browser_checks.py, desktop and phone, light and dark, on one load per page; and the
site's search (code names, concepts and a pasted error find the page that teaches them). The other
pages are in test_browser_pages.py: a file per test worker, as `make test` shares files out."""

from __future__ import annotations

import urllib.parse

import pytest
from playwright.sync_api import Page

from tests.support.browser_checks import page_problems
from tests.support.browser_load import (
    DESKTOP,
    ERROR_MESSAGE,
    PAGES,
    fetched,
    load,
    network_problems,
    server,
)
from tests.support.browser_support import page_html, page_slug

pytestmark = pytest.mark.timeout(120, func_only=True)
__all__ = ["fetched", "server"]  # fixtures, used by name (`site` is conftest's)

FRONT_AND_CHAPTERS = PAGES[: PAGES.index("classification/multiclass/") + 1]


@pytest.mark.parametrize("url", FRONT_AND_CHAPTERS, ids=page_slug)
def test_page_in_a_browser(url, site, server, browser, fetched):
    """Loads cleanly from 127.0.0.1 alone, images decoded with alt text, links and anchors resolve,
    copy buttons copy the code, the palette toggles, the page stays within its weight; at 375 px
    nothing but code and tables scrolls sideways; axe finds nothing serious, light or dark."""
    problems = page_problems(url, site, server, browser, fetched)
    assert not problems, f"{url or '/'}:\n" + "\n".join(problems)


SEARCHES = {  # query -> the page that teaches it
    "requires_grad": "autograd/",
    "state_dict": "linear-regression/",
    "BCEWithLogitsLoss": "classification/binary/",
    "eval": "linear-regression/",
    "inference_mode": "autograd/",  # Autograd turns tracking off first; eval mode is here
    "DataLoader": "linear-regression/",
    "device": "fundamentals/",
    ERROR_MESSAGE + " (7x7 and 1x7)": "fundamentals/",  # an error pasted as torch prints it
}


def search(page: Page, query: str) -> list[tuple[str, str]]:
    """Type a query into Material's search; the results' (page path, title) in rank order."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    # Material searches on keyup, once its worker has built the index: ask until it answers
    for _ in range(50):
        box.dispatch_event("keyup")
        page.wait_for_timeout(200)
        if "matching document" in page.locator(".md-search-result__meta").inner_text():
            break
    else:
        raise AssertionError(f"the search for {query!r} never answered")
    results = page.evaluate(
        """() => [...document.querySelectorAll('.md-search-result__item')].map((item) => {
             const link = item.querySelector('a.md-search-result__link');
             return [link.getAttribute('href'), link.innerText.trim().split('\\n')[0]];
           })"""
    )
    box.fill("")
    return [(urllib.parse.urlsplit(href).path.lstrip("/"), title) for href, title in results]


def test_search_finds_the_page_that_teaches_it(site, server, browser):
    """Code names (split where code splits them), concepts and a pasted error message: the first
    result is the chapter that teaches each, above the API reference and the Error index."""
    problems = []
    with load(browser, server, "", DESKTOP) as loaded:
        loaded.wait_for_quiet()  # the search worker has fetched its index
        for query, expected in SEARCHES.items():
            results = search(loaded.page, query)
            ranking = "; ".join(f"{n}. {path or '/'}" for n, (path, _) in enumerate(results[:5], 1))
            print(f"\n{query!r}: {ranking}")
            if not results or results[0][0] != expected:
                problems.append(
                    f"{query!r} lists first {results[0][0] if results else 'nothing'}, not {expected}: {ranking}"
                )
        problems += network_problems(loaded)
    assert ERROR_MESSAGE in page_html(site, "fundamentals/")
    assert not problems, "\n".join(problems)
