"""The build machinery: failing snippets fail the build, includes are checked, builds repeat exactly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sitegen.site import BuildFailure, SiteBuild
from tests.site_build import ROOT, build, mini_project

HOME_SNIPPET = "snippets/home/first_model.py"
HOME_SOURCE = (ROOT / HOME_SNIPPET).read_text()
HOME_PAGE = (ROOT / "docs" / "index.md").read_text()


def _line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), start=1) if text in line)


def test_editing_a_snippet_to_raise_fails_the_build_naming_path_and_line(tmp_path):
    """End to end through `mkdocs build --strict`: no site, and the message says where."""
    source = HOME_SOURCE.replace("for epoch in range(300):", "for epoch in range(300 // 0):")
    project = mini_project(tmp_path, HOME_PAGE, {HOME_SNIPPET: source})
    run = build(project)
    assert run.returncode != 0
    line = _line_of(source, "range(300 // 0)")
    assert (
        f"{HOME_SNIPPET}:{line}: ZeroDivisionError: integer division or modulo by zero"
        in run.stderr
    )
    assert not (project / "site" / "index.html").exists()


def _run_all(tmp_path, source: str, page: str = HOME_PAGE) -> SiteBuild:
    project = mini_project(tmp_path, page, {HOME_SNIPPET: source})
    site = SiteBuild(project, project / "docs")
    site.run_all()
    return site


def test_a_declared_error_that_does_not_happen_fails(tmp_path):
    source = HOME_SOURCE.replace("model(torch.ones(3))  # raises", "model(torch.ones(1))  # raises")
    line = _line_of(source, "# raises RuntimeError")
    with pytest.raises(
        BuildFailure,
        match=rf"first_model.py:{line}: declared `# raises RuntimeError` but nothing was raised",
    ):
        _run_all(tmp_path, source)


def test_a_different_exception_than_declared_fails(tmp_path):
    source = HOME_SOURCE.replace("# raises RuntimeError", "# raises ValueError")
    with pytest.raises(
        BuildFailure,
        match=r"RuntimeError: mat1 and mat2 shapes cannot be multiplied.*\(expected `ValueError`",
    ):
        _run_all(tmp_path, source)


def test_a_declared_error_must_end_its_section(tmp_path):
    source = HOME_SOURCE.replace(
        "# raises RuntimeError\n", "# raises RuntimeError\nprint('never')\n"
    )
    with pytest.raises(BuildFailure, match=r"must be the last statement of section 'mistake'"):
        _run_all(tmp_path, source)


def test_an_untitled_figure_fails(tmp_path):
    source = HOME_SOURCE.replace('ax.set_title("A straight line learned in 300 steps")\n', "")
    with pytest.raises(BuildFailure, match=r"section 'plot': give the figure a suptitle"):
        _run_all(tmp_path, source)


def test_code_outside_sections_fails(tmp_path):
    source = HOME_SOURCE + "print('stray')\n"
    with pytest.raises(BuildFailure, match=r"code outside every named section"):
        _run_all(tmp_path, source)


@pytest.mark.parametrize(
    ("page_edit", "problem"),
    [
        (
            ("first_model.py:plot", "first_model.py:train"),
            "sections never shown on a page: ['plot']",
        ),
        (("first_model.py:plot", "first_model.py:nope"), "has no such section"),
        (("home/first_model.py:plot", "home/missing.py"), "which is not a snippet the build runs"),
    ],
)
def test_pages_that_do_not_show_every_section_are_reported(tmp_path, page_edit, problem):
    site = _run_all(tmp_path, HOME_SOURCE, HOME_PAGE.replace(*page_edit))
    assert any(problem in p for p in site.scan_pages())


VOLATILE = [
    re.compile(r'<aside class="ptx-provenance">.*?</aside>', re.S),  # build date and run times
    re.compile(r'<div class="language-text ptx-output[^"]*ptx-varies.*?</div>', re.S),  # timings
]


def _comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".html":
        text = data.decode()
        for pattern in VOLATILE:
            text = pattern.sub("", text)
        return text.encode()
    return data


def test_two_clean_builds_are_byte_identical_and_a_third_reuses_the_cache(tmp_path):
    """Figures and pages repeat exactly (less the sitemap and the provenance footer)."""
    project = mini_project(tmp_path, HOME_PAGE, {HOME_SNIPPET: HOME_SOURCE})
    sites = []
    for name in ("first", "second"):
        shutil.rmtree(project / "build", ignore_errors=True)  # cold: nothing cached
        run = build(project, site=name)
        assert run.returncode == 0, run.stderr
        assert "sitegen: ran    snippets/home/first_model.py" in run.stderr
        sites.append(project / name)
    first, second = ({p.relative_to(s): p for p in s.rglob("*") if p.is_file()} for s in sites)
    assert first.keys() == second.keys()
    compared = [p for p in first if not p.name.startswith("sitemap.xml")]
    figures = [p for p in compared if p.parts[0] == "figures"]
    assert figures, "the home page draws a figure"
    assert [str(p) for p in compared if _comparable(first[p]) != _comparable(second[p])] == []
    assert b"<dc:date>" not in first[figures[0]].read_bytes()

    again = build(project, site="third")
    assert again.returncode == 0, again.stderr
    assert "sitegen: cached snippets/home/first_model.py" in again.stderr
    assert "sitegen: imported" not in again.stderr  # nothing ran, so torch was never imported
