"""Every snippet and exercise notebook runs within its time budget and draws light, titled figures.

Budgets are checked on CPU time (one torch thread), which a busy machine barely changes; the
benchmark (`make bench`) reports wall time on a quiet one.

The strict site build runs every snippet (or reuses a result cached under a key made of the
snippet's source, `ptx`, the build machinery and the pinned versions, so a cached result is the
result of this exact code); these tests read those results instead of running everything again.
"""

from __future__ import annotations

import pytest

from benchmarks.budgets import SLOWEST_SNIPPET_CPU_S as SECONDS_SLOWEST
from benchmarks.budgets import SNIPPET_CPU_S as SECONDS_PER_SNIPPET
from sitegen.site import SiteBuild
from tests.site_build import ROOT, build_site
from tests.snippet_runs import all_snippets

FIGURE_BYTES = 250_000


@pytest.fixture(scope="module")
def build():
    build_site()
    site = SiteBuild(ROOT, ROOT / "docs")
    site.run()
    return site


@pytest.mark.parametrize("relative", all_snippets())
def test_snippet_ran_in_the_build_within_budget(build, relative):
    source = build.sources[relative]
    if source.needs:
        pytest.skip(f"needs {source.needs}: recorded on a machine that has one")
    result = build.results[relative]
    budget = SECONDS_SLOWEST if source.kind == "notebook" else SECONDS_PER_SNIPPET
    assert result.cpu_seconds < budget, (
        f"{relative} took {result.cpu_seconds:.2f} s of CPU (budget {budget} s)"
    )
    for section in result.sections:
        for figure in section.figures:
            assert figure.alt.strip()
            assert len(figure.data) < FIGURE_BYTES, (
                f"{relative}:{section.name} figure is {len(figure.data)} bytes"
            )


def test_the_slowest_snippet_is_within_budget(build):
    slowest = max(build.results.values(), key=lambda r: r.cpu_seconds)
    print(f"\nslowest snippet: {slowest.path} {slowest.cpu_seconds:.2f} s of CPU")
    assert slowest.cpu_seconds < SECONDS_SLOWEST
