"""What keeps a long chapter light on a phone, used as a reader uses it, in Debian's Chromium:
the glossary's tooltips (docs/assets/glossary-tooltips.js) on a tap and on hover, the runs of
blocks laid out only near the screen (sitegen/offscreen.py), and the navigation drawer, skipped
while closed (docs/assets/site.css). Lighthouse's numbers for them are in benchmarks/."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from playwright.sync_api import Page

from tests.support.browser_checks import NEXT_FRAMES
from tests.support.browser_load import DESKTOP, PHONE, server

pytestmark = pytest.mark.timeout(120, func_only=True)
__all__ = ["server"]  # a fixture, used by name

CHAPTER = "fundamentals/"
TOOLTIP = "[role=tooltip]"
# skipped: not rendered because of content-visibility (hidden, or auto and off screen)
RENDERED = "(element) => element.checkVisibility({contentVisibilityAuto: true})"
# The element's top once it has stayed put for three frames: a jump to an anchor, and the runs
# laid out on the way, have settled (waited for as a condition, not for a time).
SETTLED_TOP = """async (element) => {
  let top = NaN, still = 0;
  while (still < 3) {
    await new Promise((done) => requestAnimationFrame(done));
    const now = element.getBoundingClientRect().top;
    still = now === top ? still + 1 : 0;
    top = now;
  }
  return top;
}"""


@contextmanager
def opened(browser, server, url: str, viewport: dict, touch: bool = False):
    context = browser.new_context(
        viewport=viewport, has_touch=touch, is_mobile=touch, reduced_motion="reduce"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server.url(url), wait_until="load")
        page.wait_for_function("() => document.querySelector('.md-content') !== null")
        yield page
        assert not errors, f"script errors: {errors}"
    finally:
        context.close()


def first_term_in_a_run(page: Page):
    # a handle, not a locator: while its tooltip shows, the term has no title to be found by
    term = page.locator(".md-content .ptx-run abbr[title]").first.element_handle()
    term.scroll_into_view_if_needed()
    page.evaluate(NEXT_FRAMES)
    return term, term.get_attribute("title")


def tooltip_state(page: Page) -> list[dict]:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((tip) => {
             const box = tip.querySelector('.md-tooltip2__inner').getBoundingClientRect();
             return {id: tip.id, text: tip.innerText.trim(), active: tip.classList.contains('md-tooltip2--active'),
                     left: box.left, right: box.right, top: box.top, width: innerWidth};
           })""",
        TOOLTIP,
    )


def test_a_tapped_term_shows_its_definition_under_it_until_the_next_tap(browser, server):
    with opened(browser, server, CHAPTER, PHONE, touch=True) as page:
        term, definition = first_term_in_a_run(page)
        assert definition, "the chapter has a glossary term in a run"
        assert tooltip_state(page) == []
        term.tap()
        page.wait_for_selector(f"{TOOLTIP}.md-tooltip2--active")
        [tip] = tooltip_state(page)
        below = term.bounding_box()
        assert tip["text"] == definition
        assert tip["top"] >= below["y"] + below["height"], "the definition opens under the term"
        assert tip["left"] >= 0 and tip["right"] <= tip["width"], "and fits the phone's screen"
        assert term.get_attribute("aria-describedby") == tip["id"]
        assert term.get_attribute("title") is None, "no browser tooltip on top of it"

        page.locator(".md-content h1").tap()
        page.wait_for_function(f"() => !document.querySelector('{TOOLTIP}')")
        assert term.get_attribute("title") == definition
        assert term.get_attribute("aria-describedby") is None


def test_a_term_shows_its_definition_on_hover_and_hides_it_when_the_pointer_leaves(browser, server):
    with opened(browser, server, CHAPTER, DESKTOP) as page:
        term, definition = first_term_in_a_run(page)
        term.hover()
        page.wait_for_selector(f"{TOOLTIP}.md-tooltip2--active")
        assert [tip["text"] for tip in tooltip_state(page)] == [definition]
        page.mouse.move(5, 5)
        page.wait_for_function(f"() => !document.querySelector('{TOOLTIP}')")
        term.hover()
        page.keyboard.press("Escape")
        assert tooltip_state(page) == [] and term.get_attribute("title") == definition


def test_runs_off_screen_wait_and_a_link_to_a_deep_heading_lands_on_it(browser, server):
    with opened(browser, server, CHAPTER, PHONE, touch=True) as page:
        runs = page.locator(".md-content .ptx-run")
        assert runs.count() >= 10
        assert page.locator(".md-content__inner > p").first.evaluate(RENDERED), (
            "the opening is drawn"
        )
        last_block = runs.last.locator(":scope > *").first
        assert not last_block.evaluate(RENDERED), "the end of the chapter waits, off screen"

        heading = page.locator(".md-content__inner > h2:has(+ .ptx-run)").last
        target = heading.get_attribute("id")
        page.goto(server.url(f"{CHAPTER}#{target}"))
        page.wait_for_function(f"() => location.hash === '#{target}'")
        top = heading.evaluate(SETTLED_TOP)
        assert 0 <= top <= 120, f"the heading sits {top:.0f} px from the top, not under the header"
        after = page.locator(f"#{target} + .ptx-run > *").first
        assert after.evaluate(RENDERED), "what follows the heading is drawn"

        block = page.locator(".md-content .ptx-run > .highlight").last
        block.scroll_into_view_if_needed()
        box = block.bounding_box()
        assert (box["x"], box["x"] + box["width"]) == (0, PHONE["width"]), (
            "a code block in a run reaches the phone's edges, as one outside a run does"
        )


def test_the_closed_drawer_is_skipped_and_opens_to_a_working_table_of_contents(browser, server):
    with opened(browser, server, "linear-regression/", PHONE, touch=True) as page:
        chapter_link = page.locator(".md-sidebar--primary a.md-nav__link").first
        assert not chapter_link.evaluate(RENDERED), (
            "closed, the drawer is neither drawn nor tabbable"
        )

        page.locator(".md-header label[for=__drawer]").tap()
        page.wait_for_function(RENDERED, arg=chapter_link.element_handle())
        page.locator(".md-sidebar--primary label.md-nav__link[for=__toc]").first.tap()
        entry = page.locator(".md-sidebar--primary .md-nav--secondary a.md-nav__link").nth(12)
        entry.wait_for(state="visible")
        target = entry.get_attribute("href")
        entry.tap()
        page.wait_for_function(f"() => location.hash === '{target}'")
        # Material closes the drawer a moment after the jump: waited for, then asserted below
        page.wait_for_function(
            f"(element) => !({RENDERED})(element)", arg=chapter_link.element_handle()
        )
        top = page.locator(target).evaluate(SETTLED_TOP)
        assert 0 <= top <= 120, (
            f"the table of contents took the reader {top:.0f} px off the heading"
        )
        assert not chapter_link.evaluate(RENDERED), "the drawer closed behind the reader"
