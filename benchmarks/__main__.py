"""`python -m benchmarks`: time the build, the snippets, the lessons and the tests; print and save.

Writes benchmarks/latest.json, which the site build turns into the page "How this site is built".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from importlib.metadata import version
from pathlib import Path

from benchmarks import lessons, site_times

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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--repeats", type=int, default=3, help="builds of each kind (median)")
    parser.add_argument("--skip-build", action="store_true", help="keep the previous build figures")
    parser.add_argument(
        "--skip-tests", action="store_true", help="keep the previous test-suite time"
    )
    args = parser.parse_args()

    previous = json.loads(OUTPUT.read_text()) if OUTPUT.exists() else {}
    data = {"machine": machine()}
    data["build"] = (
        previous.get("build", {}) if args.skip_build else site_times.build_times(args.repeats)
    )
    data["snippets"] = site_times.snippet_times()
    data["lessons"] = lessons.run_all()
    if args.skip_tests:
        data.update({k: previous[k] for k in ("test_suite_s", "test_summary") if k in previous})
    else:
        suite = site_times.test_suite_time()
        data.update({"test_suite_s": suite["test_suite_s"], "test_summary": suite["test_summary"]})
    data["page_weights"] = site_times.page_weights()
    OUTPUT.write_text(json.dumps(data, indent=2) + "\n")
    print_table(data)


def print_table(data: dict) -> None:
    build = data.get("build", {})
    if build:
        cold = build["cold_build_s"]
        print("\nthe site (median of runs)")
        print(f"  cold full build           {cold:7.1f} s")
        print(f"  rebuild, nothing changed  {build['unchanged_rebuild_s']:7.1f} s   budget < 3 s")
        ratio = build["one_snippet_rebuild_s"] / cold
        serve_ratio = build["serve_one_snippet_s"] / cold
        print(
            f"  rebuild, one snippet      {build['one_snippet_rebuild_s']:7.1f} s   {ratio:.2f} of cold, budget <= 0.15"
        )
        print("  as `mkdocs serve` rebuilds (one process, torch imported once):")
        print(f"  rebuild, nothing changed  {build['serve_unchanged_s']:7.1f} s   budget < 3 s")
        print(
            f"  rebuild, one snippet      {build['serve_one_snippet_s']:7.1f} s   {serve_ratio:.2f} of cold, budget <= 0.15"
        )
    if "test_suite_s" in data:
        print(
            f"  test suite                {data['test_suite_s']:7.1f} s   budget < 120 s  ({data.get('test_summary', '')})"
        )
    print("\nsnippets, slowest first (s, after imports; budget < 3 s each, slowest < 5 s)")
    for row in data["snippets"]:
        print(f"  {row['seconds']:6.2f}  {row['snippet']}")
    print("\nlessons: epochs and seconds to the target, original configuration vs this site's")
    for row in data["lessons"]:
        o, c = row["original"], row["ours"]
        print(
            f"  {row['lesson']:<18} {row['target']:<22} original {o['epochs']:>5} ep {o['seconds']:6.2f} s"
            f"{'' if o['reached'] else ' (not reached)'} | ours {c['epochs']:>5} ep {c['seconds']:6.2f} s"
            f"{'' if c['reached'] else ' (not reached)'} | ratio {row['ratio']:.2f} (budget <= 0.20)"
        )
    weights = data.get("page_weights", {})
    if weights:
        print("\npage weight (KiB gzipped / uncompressed)")
        for page, row in sorted(weights.items(), key=lambda item: -item[1]["total"]):
            print(f"  {row['total_gzip'] / 1024:6.0f} / {row['total'] / 1024:6.0f}  {page}")
    print(f"\nwritten to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
