"""Time the site build (cold, unchanged, one snippet edited) and the test suite."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
EDITED_SNIPPET = ROOT / "snippets" / "home" / "first_model.py"
CACHES = [ROOT / "build" / "cache"]


def _build(site: Path) -> float:
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise RuntimeError(f"the build failed:\n{run.stderr[-3000:]}")
    return seconds


def _clear_caches() -> None:
    for folder in CACHES:
        shutil.rmtree(folder, ignore_errors=True)


def build_times(repeats: int = 3) -> dict:
    """Median seconds of a cold build, an unchanged rebuild and a rebuild after editing a snippet."""
    cold, unchanged, edited = [], [], []
    original = EDITED_SNIPPET.read_text()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        for _ in range(repeats):
            _clear_caches()
            cold.append(_build(site))
            unchanged.append(_build(site))
            try:
                EDITED_SNIPPET.write_text(
                    original + f"# edited for the benchmark at {time.time()}\n"
                )
                edited.append(_build(site))
            finally:
                EDITED_SNIPPET.write_text(original)
        _build(site)  # leave the cache matching the sources
    serve = subprocess.run(
        [sys.executable, "-m", "benchmarks.serve_loop", str(repeats)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        **json.loads(serve.stdout.strip().splitlines()[-1]),
        "cold_build_s": statistics.median(cold),
        "unchanged_rebuild_s": statistics.median(unchanged),
        "one_snippet_rebuild_s": statistics.median(edited),
        "edited_snippet": EDITED_SNIPPET.relative_to(ROOT).as_posix(),
        "runs": {"cold": cold, "unchanged": unchanged, "one_snippet": edited},
    }


def test_suite_time() -> dict:
    """Wall time of the README's test run (pytest part; lint and install are seconds)."""
    started = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--codeblocks",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "--no-loadscope-reorder",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests",
            "docs",
            "README.md",
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    summary = _pytest_summary(run)
    return {
        "test_suite_s": time.perf_counter() - started,
        "test_summary": summary,
        "test_rc": run.returncode,
    }


def quick_loop_time() -> dict:
    """Wall time of `make quick`: the unit tests and one chapter's tests."""
    started = time.perf_counter()
    run = subprocess.run(["make", "quick"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    return {"quick_loop_s": time.perf_counter() - started, "quick_summary": _pytest_summary(run)}


def _pytest_summary(run: subprocess.CompletedProcess) -> str:
    """pytest's last line ("N passed, M skipped in S s"), not make's own lines after it."""
    lines = [line for line in run.stdout.splitlines() if " passed" in line or " failed" in line]
    return lines[-1].strip("= ") if lines else f"exit status {run.returncode}"


def snippet_times() -> list[dict]:
    """Each snippet's and notebook's run in the last build (imports excluded), slowest first."""
    rows = []
    for file in (ROOT / "build" / "cache").glob("*.json"):
        result = json.loads(file.read_text())["result"]
        rows.append(
            {
                "snippet": result["path"],
                "seconds": result["seconds"],
                "cpu_seconds": result["cpu_seconds"],
            }
        )
    return sorted(rows, key=lambda row: -row["seconds"])


def page_weights() -> dict:
    """Page weights recorded by the browser tests, if they ran."""
    file = ROOT / "test-artifacts" / "page-weights.json"
    return json.loads(file.read_text()) if file.exists() else {}
