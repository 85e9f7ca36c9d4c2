"""Run each snippet or notebook at most once per test process, fresh, as the build runs it: in a
child process forked from the warm server, keeping its namespace. A run whose result the build
has not cached yet goes into the build's cache, as the build would have stored it, so the site
build of the same test session reuses it instead of running the file a second time."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from sitegen.cache import project_cache
from sitegen.results import AuthorError, FileResult
from sitegen.runner import run_sources
from sitegen.sources import read_source

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def run(relative: str) -> FileResult:
    """The result of running snippets/<relative> as the build does, with its final namespace
    (the globals that pickle: tensors, numbers, lists, dicts)."""
    source = read_source(ROOT / relative, ROOT)
    outcome = run_sources([source], ROOT, keep_namespace=True)[source.relative]
    if isinstance(outcome, AuthorError):
        raise AssertionError(str(outcome))
    cache = project_cache(ROOT)
    if cache.load(source) is None:
        cache.store(source, dataclasses.replace(outcome, namespace=None))
    return outcome


def all_snippets() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets").rglob("*.py"))
