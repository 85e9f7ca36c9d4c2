"""The site as readers meet it on a desktop: every page in Debian's Chromium, served from
127.0.0.1, one load per page with every check made on that load (network, images, text, links,
copy buttons, the palette, axe in both schemes, the page's weight). Screenshots go to
test-artifacts/screenshots/, page weights to test-artifacts/page-weights.json. The phone and the
search are in test_browser_phone.py (a file per worker: `make test` shares files out)."""

from __future__ import annotations

import contextlib
import gzip
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser_load import (
    DESKTOP,
    PAGES,
    Load,
    accessibility_problems,
    fetched,
    image_problems,
    load,
    network_problems,
    screenshot,
    server,
    settle,
    site,
    text_problems,
)
from tests.browser_support import (
    BUDGET_MEASURE,
    CALLOUT,
    built_pages,
    code_blocks,
    ids_in,
    page_budget,
    page_html,
    page_slug,
    record_page_weight,
    weight_summary,
)

# The site is built (or found built) once per test run, in a fixture: only the test itself is timed.
pytestmark = pytest.mark.timeout(120, func_only=True)
__all__ = ["fetched", "server", "site"]  # fixtures, used by name


# -- link targets ----------------------------------------------------------------------------------
def fetch(url: str, fetched: dict) -> tuple[int, str, set[str] | None]:
    if url not in fetched:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                kind = response.headers.get_content_type()
                body = response.read()
                ids = ids_in(body.decode("utf-8", "replace")) if kind == "text/html" else None
                fetched[url] = (response.status, kind, ids)
        except urllib.error.HTTPError as error:
            fetched[url] = (error.code, "", None)
    return fetched[url]


def link_problems(loaded: Load, fetched: dict) -> list[str]:
    """Every internal link resolves, and its #anchor is an id of the target page."""
    page = loaded.page
    here = urllib.parse.urldefrag(page.url).url
    links, live_ids = page.evaluate(
        """() => [
          [...new Set([...document.querySelectorAll('a[href]')].map((a) => a.href))],
          [...document.querySelectorAll('[id], [name]')].flatMap((e) => [e.id, e.getAttribute('name')]),
        ]"""
    )
    live_ids = set(live_ids)
    problems = []
    for link in links:
        if not link.startswith(loaded.origin + "/"):
            continue
        target, fragment = urllib.parse.urldefrag(link)
        anchor = urllib.parse.unquote(fragment)
        if target == here:
            # this page: its live DOM
            if anchor and anchor not in live_ids:
                problems.append(f"link to #{anchor}: no such id on this page")
            continue
        status, kind, ids = fetch(target, fetched)
        shown = link.removeprefix(loaded.origin)
        if status != 200:
            problems.append(f"broken link {shown}: HTTP {status}")
        elif anchor and (ids is None or anchor not in ids):
            problems.append(f"broken anchor {shown}: no id {anchor!r} in the target ({kind})")
    return problems


# -- page weight -----------------------------------------------------------------------------------
KINDS = (
    ("html", "text/html"),
    ("css", "text/css"),
    ("js", "javascript"),
    ("images", "image/"),
    ("fonts", "font"),
)


def page_weight(loaded: Load) -> dict[str, int]:
    """Bytes of every response body of this page load, by kind, and the total (the test server
    does not compress; `total_gzip` is the same bodies gzipped, for comparison)."""
    weight = {kind: 0 for kind, _ in KINDS} | {"other": 0}
    seen, compressed = set(), 0
    for response in loaded.responses:
        if (
            response.url in seen
            or response.url.startswith(("data:", "blob:"))
            or response.status >= 300
        ):
            continue
        seen.add(response.url)
        content_type = response.headers.get("content-type", "")
        kind = next((name for name, marker in KINDS if marker in content_type), "other")
        body = response.body()
        weight[kind] += len(body)
        compressed += len(gzip.compress(body, compresslevel=6))
    weight["total"] = sum(weight.values())
    weight["total_gzip"] = compressed  # what a server that compresses (GitHub Pages) would send
    return weight


# -- copy buttons ----------------------------------------------------------------------------------
SENTINEL = "(clipboard not written)"


def copy_sample(blocks, page: Page) -> list:
    """Visible code blocks (not in a closed tab or collapsed details): the first snippet include,
    the first with a note's marker, the first inline block and the last one."""
    highlight = page.locator("div.highlight")
    code = [
        block for block in blocks if block.is_code and highlight.nth(block.position).is_visible()
    ]
    picks = [
        next((b for b in code if b.is_snippet), None),
        next((b for b in code if CALLOUT.search(b.code)), None),
        next((b for b in code if not b.is_snippet), None),
        code[-1] if code else None,
    ]
    return [block for n, block in enumerate(picks) if block is not None and block not in picks[:n]]


def copy_problems(loaded: Load, blocks) -> list[str]:
    """Material's copy button puts exactly the block's code on the clipboard."""
    page = loaded.page
    highlight = page.locator("div.highlight")
    if highlight.count() != len(blocks):
        return [
            f"copy: the page has {highlight.count()} div.highlight blocks live, {len(blocks)} in its HTML"
        ]
    sample = copy_sample(blocks, page)
    problems = []
    if any(b.is_code and b.is_snippet for b in blocks) and not any(b.is_snippet for b in sample):
        problems.append("copy: no snippet include block is visible on the page")
    for block in sample:
        element = highlight.nth(block.position)
        element.scroll_into_view_if_needed()  # Material adds the button as the block comes into view
        button = element.locator("button[data-clipboard-target]")
        with contextlib.suppress(PlaywrightTimeout):
            button.wait_for(timeout=5000)
        if button.count() != 1:
            problems.append(f"copy: {block.describe()} has {button.count()} copy buttons")
            continue
        page.evaluate("(text) => navigator.clipboard.writeText(text)", SENTINEL)
        element.hover()
        button.click()
        clipboard = page.evaluate("() => navigator.clipboard.readText()")
        # trailing spaces are not compared: editors and clipboards differ on them
        lines = [line.rstrip() for line in clipboard.splitlines()]
        if lines != [line.rstrip() for line in block.copied_code.splitlines()]:
            problems.append(
                f"copy: {block.describe()} put on the clipboard:\n{clipboard}\n--- instead of:\n{block.copied_code}"
            )
    return problems


# -- palette ---------------------------------------------------------------------------------------
SCHEME = "() => [document.body.getAttribute('data-md-color-scheme'), getComputedStyle(document.body).backgroundColor]"


def palette_problems(page: Page) -> list[str]:
    scheme, background = page.evaluate(SCHEME)
    if scheme != "default":
        return [f"palette: the page starts in scheme {scheme!r}, not 'default'"]
    toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
    if toggle.count() != 1:
        return [f"palette: {toggle.count()} visible palette toggles"]
    toggle.click()
    page.wait_for_function(
        "() => document.body.getAttribute('data-md-color-scheme') !== 'default'", timeout=5000
    )
    dark, dark_background = page.evaluate(SCHEME)
    problems = []
    if dark != "slate":
        problems.append(f"palette: the toggle switched to {dark!r}, not 'slate'")
    if dark_background == background:
        problems.append(f"palette: the background stays {background} in the dark scheme")
    return problems


# -- the tests -------------------------------------------------------------------------------------
def test_the_tests_visit_every_page_of_the_site(site):
    built = built_pages(site)
    assert sorted(built) == sorted(PAGES), (
        "pages built that the nav does not list, or listed and not built"
    )
    assert len(built) >= 8


@pytest.mark.parametrize("url", PAGES, ids=page_slug)
def test_page_on_a_desktop(url, site, server, browser, fetched):
    """Loads cleanly from 127.0.0.1 alone, images decoded with alt text, links and anchors resolve,
    copy buttons copy the code, the palette toggles, axe finds nothing serious in the light
    scheme (the phone test checks the dark one), and the page stays within its weight."""
    blocks = code_blocks(page_html(site, url))
    with load(browser, server, url, DESKTOP, clipboard=True) as loaded:
        images = settle(loaded)
        problems = image_problems(images)
        weight = page_weight(loaded)
        pages = record_page_weight(url, weight)
        print(f"{url or '/'}: {weight['total'] / 1024:.1f} KiB ({weight_summary(pages)})")
        if weight[BUDGET_MEASURE] > page_budget(url):
            kinds = ", ".join(f"{kind} {size / 1024:.1f}" for kind, size in weight.items())
            problems.append(
                f"weight: {BUDGET_MEASURE} {weight[BUDGET_MEASURE] / 1024:.1f} KiB > {page_budget(url) / 1024:.0f} KiB ({kinds} KiB)"
            )
        screenshot(loaded.page, f"{page_slug(url)}-desktop.png")
        problems += text_problems(loaded.page)
        problems += link_problems(loaded, fetched)
        if any(block.is_code for block in blocks):
            problems += copy_problems(loaded, blocks)
        problems += palette_problems(loaded.page)
        problems += accessibility_problems(loaded.page, "default")
        problems += network_problems(loaded)  # of the load and of everything clicked since
    assert not problems, f"{url or '/'}:\n" + "\n".join(problems)
