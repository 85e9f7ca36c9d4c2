"""Every snippet and exercise notebook ran in the build and drew light, titled figures.

How long each one takes is measured by the benchmark (`make bench`), which marks every snippet
over its budget on the build page: a pass/fail test never depends on time, which a busy machine
changes. That a file finishes at all is the runner's timeout's job (`# timeout:`).

The strict site build runs every snippet (or reuses a result cached under a key made of the
snippet's source, `ptx`, the build machinery and the pinned versions, so a cached result is the
result of this exact code); these tests read those results instead of running everything again.
"""

from __future__ import annotations

import pytest

from sitegen.sitebuild import SiteBuild
from tests.support.site_build import ROOT, build_site
from tests.support.snippet_runs import all_snippets

FIGURE_BYTES = 250_000


@pytest.fixture(scope="module")
def build():
    build_site()
    site = SiteBuild(ROOT, ROOT / "docs")
    site.run()
    return site


@pytest.mark.parametrize("relative", all_snippets())
def test_snippet_ran_in_the_build_and_its_figures_are_titled_and_light(build, relative):
    source = build.sources[relative]
    if source.needs:
        pytest.skip(f"needs {source.needs}: recorded on a machine that has one")
    result = build.results[relative]
    assert [s.name for s in result.sections] == [s.name for s in source.code_sections]
    for section in result.sections:
        for figure in section.figures:
            assert figure.alt.strip()
            assert len(figure.data) < FIGURE_BYTES, (
                f"{relative}:{section.name} figure is {len(figure.data)} bytes"
            )
