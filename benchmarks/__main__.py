"""`python -m benchmarks`: time the build, the serve loop, the snippets and the tests, against the
budgets of benchmarks/budgets.py; with --lighthouse, score every page on a phone too.

Writes benchmarks/latest.json, which the build turns into the page "How this site is built".
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from benchmarks import budgets, site_times

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "benchmarks" / "latest.json"


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "torch": version("torch"),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "cpu cores": os.cpu_count(),
        "platform": platform.platform(terse=True),
    }


def row(
    group: str, label: str, value: float, unit: str, budget: float, at_most: bool = True
) -> dict:
    met = value <= budget if at_most else value >= budget
    return {
        "group": group,
        "label": label,
        "value": value,
        "unit": unit,
        "budget": f"{'≤' if at_most else '≥'} {budget:g}{' ' + unit if unit else ''}",
        "met": met,
    }


def add_lighthouse(pages: dict, scored: dict) -> None:
    """Put each page's Lighthouse scores (`benchmarks.lighthouse` JSON: out of 100) into `pages`
    as 0-1, as the budget is, with its blocking time; a page below the budget is not met."""
    for url, scores in scored.items():
        page = pages.setdefault(url, {})
        page["performance"] = scores["performance"] / 100
        page["accessibility"] = scores["accessibility"] / 100
        page["tbt_ms"] = scores["metrics"].get("tbt_ms")
        page["met"] = (
            page.get("met", True) and page["performance"] >= budgets.LIGHTHOUSE_MOBILE_PERFORMANCE
        )


def lighthouse(repeats: int) -> dict:
    """Lighthouse mobile scores of every page of a fresh build (needs `npm ci --prefix tools`)."""
    with tempfile.TemporaryDirectory() as scratch:
        site, out = Path(scratch) / "site", Path(scratch) / "lighthouse.json"
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
            cwd=ROOT,
            env=site_times.ENV,
            check=True,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.lighthouse",
                str(site),
                "--out",
                str(out),
                "--runs",
                str(repeats),
            ],
            cwd=ROOT,
            check=True,
        )
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each kind (median)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (mobile)")
    args = parser.parse_args()

    build = site_times.build_times(args.repeats)
    tests = site_times.test_suite_time()
    quick = site_times.quick_loop_time()
    edited = f"`mkdocs serve` rebuild after editing `{build['edited_snippet']}`"
    measured = [  # (group, what, seconds, budget)
        ("Build", "cold full build (nothing cached)", build["cold_build_s"], budgets.COLD_BUILD_S),
        ("Build", "`mkdocs build`, nothing changed", build["unchanged_rebuild_s"],
         budgets.BUILD_UNCHANGED_S),
        ("Build", "`mkdocs serve` rebuild, nothing changed", build["serve_unchanged_s"],
         budgets.SERVE_UNCHANGED_S),
        ("Build", edited, build["serve_one_snippet_s"], budgets.SERVE_ONE_SNIPPET_S),
        ("Tests", f"the whole test suite ({tests['test_summary']})", tests["test_suite_s"],
         budgets.TEST_SUITE_S),
        ("Tests", f"`make quick` ({quick['quick_summary']})", quick["quick_loop_s"],
         budgets.QUICK_LOOP_S),
    ]  # fmt: skip
    rows = [row(group, what, seconds, "s", budget) for group, what, seconds, budget in measured]
    snippets = site_times.snippet_times()
    for snippet in snippets:
        snippet["met"] = snippet["cpu_seconds"] <= budgets.SNIPPET_CPU_S
    pages = {
        url: {
            "gzip_kib": weight["total_gzip"] / 1024,
            "met": weight["total_gzip"] / 1024 <= budgets.PAGE_WEIGHT_GZIP_KIB,
        }
        for url, weight in site_times.page_weights().items()
    }
    if args.lighthouse:
        add_lighthouse(pages, lighthouse(args.repeats)["pages"])
    data = {
        "measured_on": datetime.date.today().isoformat(),
        "machine": machine(),
        "rows": rows,
        "snippets": snippets,
        "pages": pages,
        "runs": build["runs"],
    }
    OUTPUT.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    for item in rows:
        mark = "ok    " if item["met"] else "MISSED"
        print(f"{mark} {item['value']:8.2f} {item['unit']:2} {item['budget']:>9}  {item['label']}")
    print(f"\nwritten to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
