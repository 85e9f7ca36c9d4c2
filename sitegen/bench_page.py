"""The generated page "How this site is built": how the build works, and the latest benchmark
against its budgets (benchmarks/latest.json, written by `make bench`), each missed one marked."""

from __future__ import annotations

import json
from pathlib import Path

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
    for group in dict.fromkeys(row["group"] for row in data.get("rows", [])):
        parts.append(f"## {group}\n")
        parts.append("| measurement | median | budget | result |\n| --- | ---: | --- | --- |")
        for row in (r for r in data["rows"] if r["group"] == group):
            parts.append(
                f"| {row['label']} | {row['value']:.1f} {row['unit']} | {row['budget']} | "
                f"{'met' if row['met'] else '**missed**'} |"
            )
        parts.append("")
    snippets = data.get("snippets", [])
    if snippets:
        parts.append(
            "## Each snippet and notebook, slowest first\n\nWall and CPU time of its run in the "
            "build, after the one-off imports (budget: 3 s of CPU each).\n"
        )
        parts.append("| file | seconds | CPU seconds | result |\n| --- | ---: | ---: | --- |")
        parts += [
            f"| `{s['snippet']}` | {s['seconds']:.2f} | {s['cpu_seconds']:.2f} | "
            f"{'met' if s['met'] else '**missed**'} |"
            for s in snippets
        ]
        parts.append("")
    pages = data.get("pages", {})
    if pages:
        parts.append(
            "## Each page\n\nWhat one page load transfers, gzipped as GitHub Pages sends it "
            "(KiB; budget: 600), and, where Lighthouse ran, its mobile scores: performance "
            "(perf.; budget: 0.9), accessibility (a11y) and total blocking time (TBT).\n"
        )
        parts.append("| page | KiB | perf. | a11y | TBT ms |\n| --- | ---: | ---: | ---: | ---: |")
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
    machine = data.get("machine", {})
    if machine:
        parts.append("## Versions and machine\n")
        parts += [f"- {key}: `{value}`" for key, value in machine.items()]
        parts.append("")
    parts.append(REPRODUCE)
    return "\n".join(parts)
