"""The site as readers meet it: every page in Debian's Chromium, served from 127.0.0.1.

One browser per test worker; one page load per page and viewport, with every check of that page
made on that load. Screenshots go to test-artifacts/screenshots/, page weights to
test-artifacts/page-weights.json. The site is the one `build_site()` builds, or the already built
one that PTX_SITE_DIR names.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, Request, Response, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.axe_support import axe_scan, describe
from tests.browser_support import (
    BUDGET_MEASURE,
    CALLOUT,
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    StaticServer,
    built_pages,
    code_blocks,
    ids_in,
    nav_pages,
    page_budget,
    page_html,
    page_slug,
    record_page_weight,
    site_dir,
    weight_summary,
)

# The site is built (or found built) once per test run, in a fixture: only the test itself is timed.
pytestmark = pytest.mark.timeout(120, func_only=True)

PAGES = nav_pages()
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
ERROR_MESSAGE = "mat1 and mat2 shapes cannot be multiplied"
CHAPTERS = nav_pages("Chapters")

# Images, forced to load now (the figures are loading=lazy), then decoded.
LOAD_IMAGES = """async () => {
  const images = [...document.images];
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  return images.map((image) => ({
    src: (image.currentSrc || image.src).slice(0, 120),
    alt: image.getAttribute("alt"),
    width: image.naturalWidth,
  }));
}"""

# Everything that sticks out of the viewport sideways, unless it sits in something that scrolls
# (or clips) sideways: code blocks and tables scroll, the page must not.
WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  const scrolls = "pre, code, .highlight, .md-typeset__scrollwrap, .md-typeset__table, table";
  const clipped = (element) => {
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(parent).overflowX)) return true;
    }
    return false;
  };
  const name = (element) => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + [...element.classList].map((c) => "." + c).join("");
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;  // hidden, or an off-canvas drawer
    if (box.right <= width + 1 && box.left >= -1) continue;
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    if (element.closest(scrolls) || clipped(element)) continue;
    wide.push(`${name(element)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 10)};
}"""


# -- fixtures --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def site():
    return site_dir()


@pytest.fixture(scope="session")
def server(site):
    server = StaticServer(site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # an installation error, not a reason to skip: `make browser` installs it
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium (`make browser`)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def fetched() -> dict[str, tuple[int, str, set[str] | None]]:
    """Link targets fetched so far by this worker: url -> (status, content type, ids if HTML)."""
    return {}


# -- one page load ---------------------------------------------------------------------------------
@dataclass
class Load:
    """One page load in a fresh browser context, and everything it asked the network for."""

    page: Page
    origin: str
    requests: list[Request] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    done: int = 0  # requests finished or failed

    def wait_for_quiet(self, quiet: float = 0.25, limit: float = 15) -> None:
        """Until every request made has finished and none has started for `quiet` seconds
        (Playwright's networkidle waits for 0.5 s: twice as long)."""
        deadline = time.monotonic() + limit
        seen, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now = time.monotonic()
            if len(self.requests) != seen or self.done < len(self.requests):
                seen, since = len(self.requests), now
            elif now - since >= quiet:
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(
            f"the network never went quiet: {len(self.requests) - self.done} requests pending"
        )

    def outside(self) -> list[str]:
        return [
            request.url
            for request in self.requests
            if not request.url.startswith((self.origin + "/", "data:", "blob:"))
        ]


@contextmanager
def load(browser: Browser, server: StaticServer, url: str, viewport: dict, clipboard: bool = False):
    context = browser.new_context(viewport=viewport, color_scheme="light", reduced_motion="reduce")
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page = context.new_page()
    loaded = Load(page, server.origin)
    context.on("request", lambda request: loaded.requests.append(request))
    context.on("response", lambda response: loaded.responses.append(response))
    context.on("requestfinished", lambda request: setattr(loaded, "done", loaded.done + 1))
    context.on(
        "requestfailed", lambda request: loaded.failed.append(f"{request.url}: {request.failure}")
    )
    context.on("requestfailed", lambda request: setattr(loaded, "done", loaded.done + 1))
    page.on(
        "console", lambda message: message.type == "error" and loaded.console.append(message.text)
    )
    page.on("pageerror", lambda error: loaded.console.append(f"uncaught {error}"))
    # nothing leaves the machine: a request elsewhere fails at once (and is reported as outside)
    outside = re.compile(rf"^(?!{re.escape(server.origin)}/|data:|blob:)")
    context.route(outside, lambda route: route.abort())
    try:
        page.goto(server.url(url), wait_until="load")
        yield loaded
    finally:
        context.close()


def settle(loaded: Load) -> list[dict]:
    """Load every image (lazy ones too), wait for the network to go quiet; the images."""
    images = loaded.page.evaluate(LOAD_IMAGES)
    loaded.wait_for_quiet()
    return images


def network_problems(loaded: Load) -> list[str]:
    problems = [f"request outside 127.0.0.1: {url}" for url in loaded.outside()]
    problems += [f"failed request: {failure}" for failure in loaded.failed]
    problems += [f"HTTP {r.status}: {r.url}" for r in loaded.responses if r.status >= 400]
    problems += [f"console error: {text}" for text in loaded.console]
    return problems


def image_problems(images: list[dict]) -> list[str]:
    problems = []
    for image in images:
        if not image["width"]:
            problems.append(f"image not decoded: {image['src']}")
        if not (image["alt"] or "").strip():
            problems.append(f"image without alt text: {image['src']}")
    return problems


CONTROL = re.compile(r".{0,40}[\x00-\x08\x0b\x0c\x0e-\x1f\x7f].{0,40}")


def text_problems(page: Page) -> list[str]:
    """The text a reader sees has no control characters (a terminal's escape codes, say)."""
    text = page.evaluate("() => document.body.textContent")  # hidden tabs too
    return [f"control character in the text: {found!r}" for found in CONTROL.findall(text)[:5]]


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


# -- accessibility ---------------------------------------------------------------------------------
def accessibility_problems(page: Page) -> list[str]:
    """axe-core (tools/, offline) in the light and the dark scheme: no serious or critical
    violation of WCAG 2.2 A and AA or axe's best practices."""
    problems = []
    for scheme, violations in axe_scan(page).items():
        severe = [v for v in violations if v["impact"] in ("serious", "critical")]
        if severe:
            problems.append(f"axe, {scheme} scheme:\n{describe(severe)}")
    return problems


# -- screenshots -----------------------------------------------------------------------------------
def screenshot(page: Page, name: str) -> None:
    """A full-page PNG in test-artifacts/screenshots/. Chromium's fast PNG encoder (through the
    DevTools protocol) takes half the time of page.screenshot's on a long page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width, height = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    session = page.context.new_cdp_session(page)
    try:
        shot = session.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
    finally:
        session.detach()
    (SCREENSHOTS / name).write_bytes(base64.b64decode(shot["data"]))


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
    copy buttons copy the code, the palette toggles, axe finds nothing serious in either scheme,
    and the page stays within its weight."""
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
        problems += accessibility_problems(loaded.page)
        problems += network_problems(loaded)  # of the load and of everything clicked since
    assert not problems, f"{url or '/'}:\n" + "\n".join(problems)


@pytest.mark.parametrize("url", PAGES, ids=page_slug)
def test_page_on_a_phone(url, server, browser):
    """At 375 px nothing but code blocks and tables scrolls sideways; full-page screenshot."""
    with load(browser, server, url, PHONE) as loaded:
        images = settle(loaded)
        problems = network_problems(loaded) + image_problems(images)
        layout = loaded.page.evaluate(WIDE_ELEMENTS)
        screenshot(loaded.page, f"{page_slug(url)}-phone.png")
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
