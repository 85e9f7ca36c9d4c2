"""The site on a phone (375 px: nothing scrolls sideways but code and tables) and its search (code
names, concepts and a pasted error find the page that teaches them)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page

from tests.browser_load import (
    DESKTOP,
    ERROR_MESSAGE,
    PAGES,
    PHONE,
    WIDE_ELEMENTS,
    accessibility_problems,
    image_problems,
    load,
    network_problems,
    screenshot,
    server,
    settle,
    site,
)
from tests.browser_support import (
    page_html,
    page_slug,
)

pytestmark = pytest.mark.timeout(120, func_only=True)
__all__ = ["server", "site"]  # fixtures, used by name


@pytest.mark.parametrize("url", PAGES, ids=page_slug)
def test_page_on_a_phone(url, server, browser):
    """At 375 px nothing but code blocks and tables scrolls sideways; full-page screenshot; and
    axe finds nothing serious in the dark scheme."""
    with load(browser, server, url, PHONE) as loaded:
        images = settle(loaded)
        problems = network_problems(loaded) + image_problems(images)
        layout = loaded.page.evaluate(WIDE_ELEMENTS)
        screenshot(loaded.page, f"{page_slug(url)}-phone.png")
        problems += accessibility_problems(loaded.page, "slate")
    if layout["scrollWidth"] > layout["innerWidth"]:
        problems.append(
            f"the page scrolls sideways: {layout['scrollWidth']} px wide in a {layout['innerWidth']} px viewport"
        )
    problems += [f"wider than the viewport: {element}" for element in layout["wide"]]
    assert not problems, f"{url or '/'} at {PHONE['width']} px:\n" + "\n".join(problems)


SEARCHES = {  # query -> the page that teaches it
    "inference_mode": "linear-regression/",
    "state_dict": "linear-regression/",
    "BCEWithLogitsLoss": "classification/binary/",
    "eval": "linear-regression/",
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
