"""Run each snippet or notebook at most once per test process, fresh (never from the build cache)."""

from __future__ import annotations

import functools
from pathlib import Path

from sitegen.notebooks import execute
from sitegen.runner import SnippetResult, imported_modules, run_snippet, warm_up
from sitegen.site import is_notebook

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def run(relative: str) -> SnippetResult:
    """The result of running snippets/<relative> as the build does, with its final namespace."""
    path = ROOT / relative
    warm_up(imported_modules(path.read_text()))  # so the timing excludes the one-off imports
    if is_notebook(path):
        return execute(path, keep_namespace=True)[0]
    return run_snippet(path, keep_namespace=True)


def all_snippets() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets").rglob("*.py"))
