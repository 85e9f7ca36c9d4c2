"""Loading the built site in Debian's Chromium: the browser, a served site, one page load with
everything it asked the network for, and the checks every load makes (network, images), plus
screenshots. Shared by the browser tests (tests/test_browser*.py); one browser per test worker."""

from __future__ import annotations

import base64
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, Request, Response

from tests.support.axe_support import axe_scan, describe
from tests.support.browser_support import (
    SCREENSHOTS,
    StaticServer,
    nav_pages,
)
from tests.support.reader_env import start_base_environment

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
def server(site):
    start_base_environment(site)  # for the reader tests, which come after the browser tests
    server = StaticServer(site)
    yield server
    server.close()


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


# -- screenshots -----------------------------------------------------------------------------------
def screenshot(page: Page, name: str) -> None:
    """A full-page PNG in test-artifacts/screenshots/, when PTX_SCREENSHOTS is set (`make
    screenshots`): a second of a long page's test each, to look at, not to check. Chromium's fast
    PNG encoder (through the DevTools protocol) takes half the time of page.screenshot's."""
    if not os.environ.get("PTX_SCREENSHOTS"):
        return
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


# -- accessibility ---------------------------------------------------------------------------------
def accessibility_problems(page: Page, scheme: str) -> list[str]:
    """axe-core (tools/, offline) in one of Material's schemes: no serious or critical violation
    of WCAG 2.2 A and AA or axe's best practices. (The desktop test checks the light scheme, the
    phone test the dark one: every page is checked in both.)"""
    violations = axe_scan(page, schemes=(scheme,))[scheme]
    severe = [v for v in violations if v["impact"] in ("serious", "critical")]
    return [f"axe, {scheme} scheme:\n{describe(severe)}"] if severe else []
