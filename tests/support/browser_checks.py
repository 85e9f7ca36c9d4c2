"""Every check the browser tests make on a page, in one load: at desktop width in the light scheme
(network, images, text, links, copy buttons, axe, the page's weight), then the palette toggle to
the dark scheme, then the same document at phone width (375 px: nothing but code and tables
scrolls sideways; axe in the dark scheme). Resizing the loaded page, rather than loading it again
at 375 px, halves the loads: Material lays a page out from media queries, live."""

from __future__ import annotations

import contextlib
import gzip
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.browser_load import (
    DESKTOP,
    PHONE,
    WIDE_ELEMENTS,
    Load,
    accessibility_problems,
    image_problems,
    load,
    network_problems,
    screenshot,
    settle,
    text_problems,
)
from tests.support.browser_support import (
    BUDGET_MEASURE,
    CALLOUT,
    StaticServer,
    code_blocks,
    ids_in,
    page_budget,
    page_html,
    page_slug,
    record_page_weight,
    weight_summary,
)


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


# -- layout on a phone ----------------------------------------------------------------------------
# Two frames after a resize, Material's scripts and the media queries have laid the page out anew.
NEXT_FRAMES = (
    "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
)


# The runs of blocks a browser lays out only near the screen (sitegen/offscreen.py), all laid out:
# the phone's checks see every part of the page as a reader who scrolled to it does. Otherwise a
# run skipped since the resize keeps what Material's script set at the desktop width (a code
# block that scrolls only at 375 px, not yet made focusable) until the reader gets near it.
EVERY_RUN_DRAWN = ".ptx-run { content-visibility: visible !important; }"


# Headings with a line that shows nothing: below the last line of their visible text, a line
# holding only something invisible (a permalink that wrapped), read as blank space.
BLANK_HEADING_LINES = """() => [...document.querySelectorAll('.md-content :is(h1, h2, h3, h4, h5, h6)')]
  .flatMap((heading) => {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    let bottom = -Infinity;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const style = getComputedStyle(node.parentElement);
      if (!node.textContent.trim() || style.opacity === '0' || style.visibility !== 'visible') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) bottom = Math.max(bottom, rect.bottom);
    }
    const style = getComputedStyle(heading), box = heading.getBoundingClientRect();
    const end = box.bottom - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth);
    const blank = end - bottom;
    return bottom > -Infinity && blank > parseFloat(style.lineHeight) / 2
      ? [`${heading.tagName.toLowerCase()} '${heading.textContent.trim().slice(0, 60)}' (${Math.round(blank)} px)`]
      : [];
  })"""


def layout_problems(page: Page) -> list[str]:
    layout = page.evaluate(WIDE_ELEMENTS)
    problems = [
        f"a blank line under a heading: {heading}" for heading in page.evaluate(BLANK_HEADING_LINES)
    ]
    if layout["scrollWidth"] > layout["innerWidth"]:
        problems.append(
            f"the page scrolls sideways: {layout['scrollWidth']} px wide in a {layout['innerWidth']} px viewport"
        )
    problems += [f"wider than the viewport: {element}" for element in layout["wide"]]
    return problems


# -- one page, every check -------------------------------------------------------------------------
def page_problems(url, site, server: StaticServer, browser: Browser, fetched: dict) -> list[str]:
    """Everything wrong with one page, desktop and phone, light and dark, from one load."""
    blocks = code_blocks(page_html(site, url))
    with load(browser, server, url, DESKTOP, clipboard=True) as loaded:
        page = loaded.page
        problems = image_problems(settle(loaded))
        weight = page_weight(loaded)
        pages = record_page_weight(url, weight)
        print(f"{url or '/'}: {weight['total'] / 1024:.1f} KiB ({weight_summary(pages)})")
        if weight[BUDGET_MEASURE] > page_budget(url):
            kinds = ", ".join(f"{kind} {size / 1024:.1f}" for kind, size in weight.items())
            problems.append(
                f"weight: {BUDGET_MEASURE} {weight[BUDGET_MEASURE] / 1024:.1f} KiB > {page_budget(url) / 1024:.0f} KiB ({kinds} KiB)"
            )
        screenshot(page, f"{page_slug(url)}-desktop.png")
        problems += text_problems(page)
        problems += link_problems(loaded, fetched)
        if any(block.is_code for block in blocks):
            problems += copy_problems(loaded, blocks)
        problems += accessibility_problems(page, "default")
        problems += palette_problems(page)  # leaves the page in the dark scheme
        page.set_viewport_size(PHONE)
        page.add_style_tag(content=EVERY_RUN_DRAWN)
        page.evaluate(NEXT_FRAMES)
        phone = [f"at {PHONE['width']} px: {problem}" for problem in layout_problems(page)]
        screenshot(page, f"{page_slug(url)}-phone.png")
        phone += [f"at {PHONE['width']} px: {p}" for p in accessibility_problems(page, "slate")]
        problems += phone
        problems += network_problems(loaded)  # of the load and of everything clicked since
    return problems
