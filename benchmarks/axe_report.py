"""axe-core over every page of a built site, light and dark: `python -m benchmarks.axe_report SITE_DIR
--out FILE.json`.

The site is served on 127.0.0.1 (it must be served at a root path, not opened from file://) and
each page loaded in Debian's Chromium at desktop width (1280 x 800); tests/support/axe_support.py runs
axe-core (tools/node_modules, `npm ci --prefix tools`) in Material's light scheme, then switches
to the dark one with the palette toggle and runs it again. Prints violating elements by impact
per page and scheme; the JSON has every violation with its elements.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.axe_support import (
    DEFAULT_TAGS,
    IMPACTS,
    SCHEMES,
    axe_scan,
    by_impact,
    inject_axe,
)
from tests.support.browser_support import CHROMIUM, CHROMIUM_ARGS, StaticServer, built_pages

VIEWPORT = {"width": 1280, "height": 800}


def scan_site(
    site: Path,
    pages: list[str] | None = None,
    schemes: tuple[str, ...] = SCHEMES,
    viewport: dict = VIEWPORT,
    tags: tuple[str, ...] | None = DEFAULT_TAGS,
) -> dict:
    """{"pages": {url: {scheme: {"counts": {...}, "violations": [...]}}}, "totals": ...}."""
    site = site.resolve()
    pages = built_pages(site) if pages is None else pages
    server = StaticServer(site)
    report: dict = {
        "site": str(site),
        "viewport": viewport,
        "tags": list(tags) if tags else None,
        "pages": {},
    }
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            report["chromium"] = browser.version
            for url in pages:
                context = browser.new_context(
                    viewport=viewport, color_scheme="light", reduced_motion="reduce"
                )
                # nothing leaves the machine
                outside = re.compile(rf"^(?!{re.escape(server.origin)}/|data:|blob:)")
                context.route(outside, lambda route: route.abort())
                page = context.new_page()
                started = time.perf_counter()
                page.goto(server.url(url), wait_until="load")
                page.wait_for_load_state("networkidle")
                report["axe-core"] = inject_axe(page)
                found = axe_scan(page, schemes, tags=tags)
                report["pages"][url or "/"] = {
                    scheme: {"counts": by_impact(violations), "violations": violations}
                    for scheme, violations in found.items()
                }
                context.close()
                line = "  ".join(
                    f"{scheme}: {_counts_text(by_impact(violations))}"
                    for scheme, violations in found.items()
                )
                print(
                    f"{url or '/':42} {line}  ({time.perf_counter() - started:.1f} s)", flush=True
                )
            browser.close()
    finally:
        server.close()
    report["totals"] = {
        scheme: {
            impact: sum(page[scheme]["counts"].get(impact, 0) for page in report["pages"].values())
            for impact in IMPACTS
        }
        for scheme in schemes
    }
    report["rules"] = _rules(report)
    return report


SHORT = {"critical": "crit", "serious": "ser", "moderate": "mod", "minor": "min"}


def _counts_text(counts: dict[str, int]) -> str:
    return " ".join(f"{SHORT[impact]} {counts.get(impact, 0)}" for impact in IMPACTS)


def _rules(report: dict) -> dict:
    """Per rule and scheme: its impact, help, and elements on how many pages."""
    rules: dict = {}
    for url, schemes in report["pages"].items():
        for scheme, result in schemes.items():
            for violation in result["violations"]:
                rule = rules.setdefault(
                    violation["id"],
                    {"impact": violation["impact"], "help": violation["help"], "schemes": {}},
                )
                entry = rule["schemes"].setdefault(scheme, {"elements": 0, "pages": []})
                entry["elements"] += len(violation["nodes"])
                entry["pages"].append(url)
    return dict(sorted(rules.items(), key=lambda item: (IMPACTS.index(item[1]["impact"]), item[0])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site directory (mkdocs build)")
    parser.add_argument("--out", type=Path, required=True, help="the JSON report to write")
    parser.add_argument("--page", action="append", help="only this page ('' home, 'errors/')")
    parser.add_argument(
        "--all-rules", action="store_true", help="every rule axe enables, not only WCAG A/AA + BP"
    )
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site} has no index.html: not a built site")
    report = scan_site(args.site, pages=args.page, tags=None if args.all_rules else DEFAULT_TAGS)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(
        "totals (violating elements by impact): "
        + "  ".join(f"{s}: {_counts_text(c)}" for s, c in report["totals"].items())
    )
    for rule, info in report["rules"].items():
        where = ", ".join(
            f"{scheme} {entry['elements']} on {len(entry['pages'])} pages"
            for scheme, entry in info["schemes"].items()
        )
        print(f"  {info['impact']:9} {rule:32} {where}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
