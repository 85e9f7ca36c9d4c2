"""The generated page "How this site is built": how the build works, and the latest benchmark
against its budgets (benchmarks/latest.json, written by `make bench`), each missed one marked."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import budgets

BENCH_URI = "build.md"

INTRO = """\
---
description: "How PyTorch Exercises is built and tested: every snippet run in its own process, cached by what it read, and the measured build, test and page budgets."
search:
  boost: 0.3
---

# How this site is built

Every page of this site is produced by running its code. Before MkDocs renders the pages, the
build runs each script under `snippets/` (and each exercise notebook) in its own process, forked
from one that has already imported torch: a fresh Python each time, in a scratch folder, with a
timeout, on every core at once. It captures what each section printed, the warnings it raised
and the figures it drew, and puts them on the page after the code, as HTML that nothing reads
again. A script that raises where it should not stops the build, with every problem listed by
file and line. Each result is cached under a key made of the script, every file it read, the
`ptx` package and the pinned versions, so a rebuild runs only what changed. Blocks that need a
GPU come from recorded runs on one, labelled with the machine that made them.

The figures below come from `benchmarks/latest.json`, written by `make bench` and read by the
build: nothing on this page is typed by hand. Times depend on the machine (described at the end);
each budget lives in `benchmarks/budgets.py`, and a missed one is marked **missed**.
"""

REPRODUCE = """\
## Reproduce these figures

```console
make bench      # the build, the serve loop, the test suite, the quick loop; Lighthouse too
```
"""


def bench_markdown(root: Path) -> str:
    """The page's Markdown, or a short note when no benchmark has been recorded yet."""
    file = root / "benchmarks" / "latest.json"
    if not file.exists():
        return INTRO + "\nNo benchmark has been recorded in this checkout yet.\n\n" + REPRODUCE
    data = json.loads(file.read_text())
    parts = [INTRO, f"Measured on {data.get('measured_on', '?')}.\n"]
    parts += _rows(data.get("rows", []))
    parts += _snippets(data.get("snippets", []))
    parts += _pages(data.get("pages", {}))
    machine = data.get("machine", {})
    if machine:
        parts.append("## Versions and machine\n")
        parts += [f"- {key}: `{value}`" for key, value in machine.items()]
        parts.append("")
    parts.append(REPRODUCE)
    return "\n".join(parts)


def _met(met: bool) -> str:
    return "met" if met else "**missed**"


def _rows(rows: list[dict]) -> list[str]:
    parts = []
    for group in dict.fromkeys(row["group"] for row in rows):
        parts.append(f"## {group}\n")
        parts.append("| measurement | median | budget | result |\n| --- | ---: | --- | --- |")
        parts += [
            f"| {row['label']} | {row['value']:.1f} {row['unit']} | {row['budget']} | "
            f"{_met(row['met'])} |"
            for row in rows
            if row["group"] == group
        ]
        parts.append("")
    return parts


def _snippets(snippets: list[dict]) -> list[str]:
    if not snippets:
        return []
    return [
        "## Each snippet and notebook, slowest first\n\nWall and CPU time of its run in the "
        f"build, after the one-off imports (budget: {budgets.SNIPPET_CPU_S:g} s of CPU each).\n",
        "| file | seconds | CPU seconds | result |\n| --- | ---: | ---: | --- |",
        *(
            f"| `{s['snippet']}` | {s['seconds']:.2f} | {s['cpu_seconds']:.2f} | {_met(s['met'])} |"
            for s in snippets
        ),
        "",
    ]


def _pages(pages: dict[str, dict]) -> list[str]:
    if not pages:
        return []
    parts = [
        "## Each page\n\nWhat one page load transfers, gzipped as GitHub Pages sends it "
        f"(KiB; budget: {budgets.PAGE_WEIGHT_GZIP_KIB}), and, where Lighthouse ran, its mobile "
        f"scores: performance (perf.; budget: {budgets.LIGHTHOUSE_MOBILE_PERFORMANCE:g}), "
        "accessibility (a11y) and total blocking time (TBT).\n",
        "| page | KiB | perf. | a11y | TBT ms |\n| --- | ---: | ---: | ---: | ---: |",
    ]
    for url, page in sorted(pages.items()):
        cells = [
            f"{page['gzip_kib']:.0f}" if "gzip_kib" in page else "",
            f"{page['performance']:.2f}" if "performance" in page else "",
            f"{page['accessibility']:.2f}" if "accessibility" in page else "",
            f"{page['tbt_ms']:.0f}" if page.get("tbt_ms") is not None else "",
        ]
        mark = "" if page.get("met", True) else " **missed**"
        parts.append(f"| `{url}`{mark} | {' | '.join(cells)} |")
    parts.append("")
    return parts
