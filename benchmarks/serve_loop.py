"""Rebuild times as `mkdocs serve` sees them: one long-lived process, torch imported once.

Run as a script (a fresh process); prints a JSON line with the medians.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
EDITED = ROOT / "snippets" / "home" / "first_model.py"


def rebuild(site: str) -> float:
    started = time.perf_counter()
    build(
        load_config(str(ROOT / "mkdocs.yml"), site_dir=site, strict=True)
    )  # serve reloads the config too
    return time.perf_counter() - started


def main(repeats: int) -> None:
    logging.disable(logging.INFO)
    original = EDITED.read_text()
    unchanged, edited = [], []
    with tempfile.TemporaryDirectory() as site:
        rebuild(site)  # the first build of the session: imports, warm caches
        for _ in range(repeats):
            unchanged.append(rebuild(site))
            try:
                EDITED.write_text(original + f"# edited for the benchmark at {time.time()}\n")
                edited.append(rebuild(site))
            finally:
                EDITED.write_text(original)
        rebuild(site)
    print(
        json.dumps(
            {
                "serve_unchanged_s": statistics.median(unchanged),
                "serve_one_snippet_s": statistics.median(edited),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
