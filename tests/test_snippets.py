"""Every snippet and exercise notebook runs, as the build runs it, in a few seconds."""

from __future__ import annotations

import pytest

from tests.snippet_runs import all_snippets, run

# Budgets on the 2-core reference machine, after the one-off imports.
SECONDS_PER_SNIPPET = 5.0


@pytest.mark.parametrize("relative", all_snippets())
def test_snippet_runs(relative):
    result = run(relative)
    assert result.sections, f"{relative} has no code"
    assert result.seconds < SECONDS_PER_SNIPPET, f"{relative} took {result.seconds:.1f} s"
    for section in result.sections:
        for figure in section.figures:
            assert figure.alt.strip()
            assert len(figure.data) < 250_000, f"{relative}:{section.name} figure is {len(figure.data)} bytes"
