"""axe-core in a page that Playwright has loaded: offline, in both of Material's color schemes.

axe-core is the npm package pinned in tools/package.json (`npm ci --prefix tools`), injected from
tools/node_modules/axe-core/axe.min.js: no CDN, no request leaves the machine.

    from tests.support.axe_support import axe_scan, by_impact, describe

    page.goto(server.url("fundamentals/"), wait_until="load")
    found = axe_scan(page)  # {"default": [violation, ...], "slate": [...]}
    serious = [v for v in found["default"] if v["impact"] in ("serious", "critical")]
    assert not serious, describe(serious)

Each violation is a dict: id, impact, help, help_url, tags (the WCAG ones: wcag2aa, wcag143, ...)
and nodes, each with target (CSS selectors, one per frame / shadow root), html (the element's
markup, cut to 300 characters), summary (axe's failure summary) and data (what the check measured,
e.g. fgColor, bgColor, contrastRatio and expectedContrastRatio for color-contrast).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("default", "slate")  # Material's light and dark color schemes
IMPACTS = ("critical", "serious", "moderate", "minor")
# WCAG 2.x A and AA (2.0, 2.1, 2.2) and axe's best practices: axe.run's own default, made explicit
# so that a newer axe-core's experimental rules do not change the counts unannounced.
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
HTML_LIMIT = 300

# axe.run, reduced in the page to what the report needs (axe's full results are megabytes).
_RUN_AXE = """async ([options, htmlLimit]) => {
  const results = await axe.run(document, options);
  const data = (node) => {
    for (const check of [...node.any, ...node.all, ...node.none]) {
      if (check.data && typeof check.data === "object") return check.data;
    }
    return null;
  };
  const reduce = (items) => items.map((item) => ({
    id: item.id,
    impact: item.impact,
    help: item.help,
    help_url: item.helpUrl,
    tags: item.tags.filter((tag) => /^wcag|^best-practice$/.test(tag)),
    nodes: item.nodes.map((node) => ({
      target: node.target,
      html: node.html.length > htmlLimit ? node.html.slice(0, htmlLimit) + "…" : node.html,
      summary: node.failureSummary || "",
      impact: node.impact,
      data: data(node),
    })),
  }));
  return {
    violations: reduce(results.violations),
    incomplete: reduce(results.incomplete),
    version: results.testEngine.version,
  };
}"""

# The body's scheme once Material's palette toggle (or the fallback) has switched it, and the
# page's finite animations finished (a color transition halfway through skews the contrast).
_SETTLED = """async (scheme) => {
  if (document.body.getAttribute("data-md-color-scheme") !== scheme) return false;
  const finite = document.getAnimations().filter((animation) => {
    const end = animation.effect && animation.effect.getComputedTiming().endTime;
    return Number.isFinite(end) && animation.playState === "running";
  });
  await Promise.all(finite.map((animation) => animation.finished.catch(() => null)));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return true;
}"""

# Without a visible toggle (a page that has none): set the scheme as Material's palette
# component does, from the palette option's attributes, and remember it as Material does.
_FORCE_SCHEME = """(scheme) => {
  const inputs = [...document.querySelectorAll("input[name='__palette']")];
  const index = inputs.findIndex((input) => input.dataset.mdColorScheme === scheme);
  const color = index >= 0
    ? {
        media: inputs[index].dataset.mdColorMedia || "",
        scheme,
        primary: inputs[index].dataset.mdColorPrimary || "",
        accent: inputs[index].dataset.mdColorAccent || "",
      }
    : {scheme};
  if (index >= 0) inputs[index].checked = true;
  document.body.setAttribute("data-md-color-switching", "");
  for (const [key, value] of Object.entries(color)) {
    if (key !== "media" && value) document.body.setAttribute(`data-md-color-${key}`, value);
  }
  if (typeof __md_set === "function") __md_set("__palette", {index: Math.max(index, 0), color});
  requestAnimationFrame(() => document.body.removeAttribute("data-md-color-switching"));
}"""


@functools.cache
def axe_source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(
            f"{AXE_JS} is missing: install the tools with `npm ci --prefix tools`"
        )
    return AXE_JS.read_text(encoding="utf-8")


def inject_axe(page: Page) -> str:
    """Put axe-core into the page (once per document); axe-core's version."""
    if not page.evaluate("() => typeof window.axe === 'object' && !!window.axe.run"):
        page.add_script_tag(content=axe_source())
    return page.evaluate("() => window.axe.version")


def color_scheme(page: Page) -> str | None:
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


def set_color_scheme(page: Page, scheme: str, timeout: float = 5000) -> None:
    """Switch Material's color scheme ("default" or "slate") as a reader does: by clicking the
    palette toggle in the header (Material then sets `data-md-color-scheme` on <body> and keeps
    the choice in localStorage). A page without a visible toggle gets the same attributes and
    localStorage entry set directly. Returns once the scheme applies and transitions are over."""
    if color_scheme(page) != scheme:
        toggle = page.locator(
            "form[data-md-component='palette'] label.md-header__button:not([hidden])"
        )
        target = page.locator(f"input[name='__palette'][data-md-color-scheme='{scheme}']")
        if toggle.count() == 1 and toggle.is_visible() and target.count() == 1:
            # the visible toggle switches to the next option: click until ours is on
            for _ in range(page.locator("input[name='__palette']").count()):
                if color_scheme(page) == scheme:
                    break
                toggle.click()
                page.wait_for_timeout(50)
        if color_scheme(page) != scheme:
            page.evaluate(_FORCE_SCHEME, scheme)
    page.wait_for_function(_SETTLED, arg=scheme, timeout=timeout)


def run_axe(
    page: Page,
    *,
    tags: tuple[str, ...] | None = DEFAULT_TAGS,
    rules: dict[str, bool] | None = None,
    incomplete: bool = False,
) -> list[dict] | dict:
    """axe-core's violations on the page as it is now (whatever its color scheme).

    `tags` limits the rules to those tags (None: every rule axe enables by default); `rules`
    turns single rules on or off ({"region": False}). With `incomplete=True`, a dict with both
    "violations" and "incomplete" (what axe could not decide, e.g. text over an image)."""
    inject_axe(page)
    options: dict = {"resultTypes": ["violations", "incomplete"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": list(tags)}
    if rules:
        options["rules"] = {rule: {"enabled": on} for rule, on in rules.items()}
    results = page.evaluate(_RUN_AXE, [options, HTML_LIMIT])
    ordered = lambda items: sorted(  # noqa: E731 - worst first, then by rule
        items, key=lambda v: (IMPACTS.index(v["impact"]) if v["impact"] in IMPACTS else 9, v["id"])
    )
    if incomplete:
        return {
            "violations": ordered(results["violations"]),
            "incomplete": ordered(results["incomplete"]),
        }
    return ordered(results["violations"])


def axe_violations(page: Page, scheme: str | None = None, **options) -> list[dict]:
    """The violations of a loaded page in one color scheme ("default", "slate"; None: as is)."""
    if scheme is not None:
        set_color_scheme(page, scheme)
    return run_axe(page, **options)


def axe_scan(page: Page, schemes: tuple[str, ...] = SCHEMES, **options) -> dict[str, list[dict]]:
    """The violations of a loaded page in each color scheme, light first: {scheme: violations}.
    The page is left in the last scheme."""
    return {scheme: axe_violations(page, scheme, **options) for scheme in schemes}


def by_impact(violations: list[dict]) -> dict[str, int]:
    """How many violating elements per impact: {"critical": 0, "serious": 12, ...}."""
    counts = Counter()
    for violation in violations:
        counts[violation["impact"] or "unknown"] += len(violation["nodes"])
    return {impact: counts.get(impact, 0) for impact in IMPACTS} | {
        key: value for key, value in counts.items() if key not in IMPACTS
    }


def describe(violations: list[dict], nodes: int = 3) -> str:
    """A readable list of violations, for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['impact']}: {violation['id']} ({len(violation['nodes'])} elements): "
            f"{violation['help']}"
        )
        for node in violation["nodes"][:nodes]:
            extra = ""
            data = node.get("data") or {}
            if "contrastRatio" in data:
                extra = (
                    f"  [{data.get('fgColor')} on {data.get('bgColor')}: "
                    f"{data.get('contrastRatio')}:1, needs {data.get('expectedContrastRatio')}]"
                )
            lines.append(f"    {json.dumps(node['target'])}{extra}  {node['html'][:120]}")
        if len(violation["nodes"]) > nodes:
            lines.append(f"    ... and {len(violation['nodes']) - nodes} more")
    return "\n".join(lines)
