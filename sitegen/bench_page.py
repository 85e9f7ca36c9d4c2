"""The generated page "How this site is built": the latest benchmark figures, from their JSON."""

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
build runs each script under `snippets/` in one Python process (torch is imported once), section
by section, with matplotlib's Agg backend in a scratch folder. It captures what each section
printed, the warnings it raised and the figures it drew, and puts them on the page right after the
code. A script that raises where it should not stops the build with its file and line. Results are
cached under a key made of the script's source, the `ptx` package, the build machinery and the
pinned versions, so a rebuild runs only what changed.

The figures below come from `benchmarks/latest.json`, written by `make bench` and read by the
build; nothing on this page is typed by hand. Times depend on the machine: they were measured on
the machine described at the end.
"""

REPRODUCE = """\
## Reproduce these figures

```console
make bench      # about ten minutes: three cold builds, the lessons, the test suite
```

It prints the same tables and rewrites `benchmarks/latest.json`; the next build shows them here.
"""


def bench_markdown(root: Path) -> str:
    """The page's Markdown, or a short note when no benchmark has been recorded yet."""
    file = root / "benchmarks" / "latest.json"
    if not file.exists():
        return INTRO + "\nNo benchmark has been recorded in this checkout yet.\n\n" + REPRODUCE
    data = json.loads(file.read_text())
    parts = [INTRO]
    build = data.get("build", {})
    if build:
        cold = build["cold_build_s"]
        parts.append("## The build\n")
        parts.append(
            "`mkdocs build` runs in a new process each time, so it pays for importing MkDocs, its "
            "plugins and torch (about 2 s and 3 s); `mkdocs serve`, the author's loop, keeps one "
            "process and rebuilds in it.\n"
        )
        parts.append("| measurement | median of 3 | budget |\n| --- | ---: | --- |")
        parts.append(f"| cold full build (nothing cached) | {cold:.1f} s | |")
        parts.append(
            f"| `mkdocs build`, nothing changed | {build['unchanged_rebuild_s']:.1f} s | under 3 s |"
        )
        parts.append(
            f"| `mkdocs build` after editing `{build['edited_snippet']}` | {build['one_snippet_rebuild_s']:.1f} s "
            f"({build['one_snippet_rebuild_s'] / cold:.2f} of cold) | at most 0.15 of cold |"
        )
        if "serve_unchanged_s" in build:
            parts.append(
                f"| `mkdocs serve` rebuild, nothing changed | {build['serve_unchanged_s']:.1f} s | under 3 s |"
            )
            parts.append(
                f"| `mkdocs serve` rebuild after editing that snippet | {build['serve_one_snippet_s']:.1f} s "
                f"({build['serve_one_snippet_s'] / cold:.2f} of cold) | at most 0.15 of cold |"
            )
        if "test_suite_s" in data:
            parts.append(
                f"| the whole test suite | {data['test_suite_s']:.0f} s | under 2 minutes |"
            )
        parts.append("")
    snippets = data.get("snippets", [])
    if snippets:
        parts.append(
            "## Each snippet, slowest first\n\nRun time in the build, after the one-off imports.\n"
        )
        parts.append("| snippet | seconds |\n| --- | ---: |")
        parts += [f"| `{row['snippet']}` | {row['seconds']:.2f} |" for row in snippets]
        parts.append("")
    lessons = data.get("lessons", [])
    if lessons:
        parts.append("## The lessons: time to the course's target\n")
        parts.append(
            "Each exercise trained to its target with the original notebook's settings and with this "
            "site's, in the same run, on the same data.\n"
        )
        parts.append(
            "| lesson | target | original: epochs | original: seconds | ours: epochs | ours: seconds | ours / original |\n"
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
        )
        for row in lessons:
            parts.append(
                f"| {row['lesson']} | {row['target']} | {_epochs(row['original'])} | {row['original']['seconds']:.2f} "
                f"| {_epochs(row['ours'])} | {row['ours']['seconds']:.2f} | {row['ratio']:.2f} |"
            )
        parts.append("")
        parts += [f"- **{row['lesson']}**: {row['why']}" for row in lessons if row.get("why")]
        parts.append("")
    weights = data.get("page_weights", {})
    if weights:
        parts.append(
            "## Page weight\n\nBytes a browser transfers for each page (HTML, CSS, JS, images), from the browser tests.\n"
        )
        parts.append("| page | KB |\n| --- | ---: |")
        for page, row in sorted(weights.items(), key=lambda item: -_total(item[1])):
            parts.append(f"| `{page}` | {_total(row) / 1000:.0f} |")
        parts.append("")
    machine = data.get("machine", {})
    if machine:
        parts.append("## Versions and machine\n")
        parts += [f"- {key}: `{value}`" for key, value in machine.items()]
        parts.append("")
    parts.append(REPRODUCE)
    return "\n".join(parts)


def _epochs(run: dict) -> str:
    return str(run["epochs"]) if run.get("reached") else f"not reached in {run['epochs']}"


def _total(row) -> float:
    return row["total"] if isinstance(row, dict) else float(row)
