"""The exercise pages, the Error index, the API reference and the build report in Debian's
Chromium: every check of tests/support/browser_checks.py, desktop and phone, light and dark, on one load per
page. The home page, the Run page and the chapters are in test_browser_chapters.py."""

from __future__ import annotations

import pytest

from tests.support.browser_checks import page_problems
from tests.support.browser_load import PAGES, fetched, server
from tests.support.browser_support import built_pages, page_slug
from tests.test_browser_chapters import FRONT_AND_CHAPTERS

pytestmark = pytest.mark.timeout(120, func_only=True)
__all__ = ["fetched", "server"]  # fixtures, used by name (`site` is conftest's)

OTHER_PAGES = [url for url in PAGES if url not in FRONT_AND_CHAPTERS]


def test_the_tests_visit_every_page_of_the_site(site):
    built = built_pages(site)
    assert sorted(built) == sorted(PAGES), (
        "pages built that the nav does not list, or listed and not built"
    )
    assert sorted(FRONT_AND_CHAPTERS + OTHER_PAGES) == sorted(PAGES)
    assert len(built) >= 8


@pytest.mark.parametrize("url", OTHER_PAGES, ids=page_slug)
def test_page_in_a_browser(url, site, server, browser, fetched):
    """As test_browser_chapters.py checks the chapters: one load, desktop and phone, light and dark."""
    problems = page_problems(url, site, server, browser, fetched)
    assert not problems, f"{url or '/'}:\n" + "\n".join(problems)
