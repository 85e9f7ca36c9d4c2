"""Every Python fence in the docs and README is either run by pytest-codeblocks or a snippet include."""

from __future__ import annotations

import re
from pathlib import Path

from pytest_codeblocks import extract_from_file

from sitegen.pagescan import scan
from sitegen.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
PYTHON_INFO = re.compile(r"^(?:py|python|python3|pycon|ipython)\b")


def markdown_files() -> list[Path]:
    return sorted(ROOT.glob("docs/**/*.md")) + [ROOT / "README.md"]


def python_fences(path: Path):
    """Every Python-looking fence of a Markdown file (pagescan: the build's one page reader)."""
    page = scan(path.read_text(encoding="utf-8-sig"))
    return [fence for fence in page.fences if PYTHON_INFO.match(fence.info.strip().lstrip("{ ."))]


def runnable_sections() -> set[tuple[str, str]]:
    """(snippet path, section) pairs that the build runs and the tests run."""
    pairs = set()
    for path in (ROOT / "snippets").rglob("*.py"):
        source = read_source(path, ROOT)
        if source.kind == "snippet":
            pairs |= {(source.relative, s.name) for s in source.code_sections}
    return pairs


def test_every_python_fence_is_run_somewhere():
    sections = runnable_sections()
    unrun, run_inline, included = [], 0, 0
    for path in markdown_files():
        collected = {block.lineno for block in extract_from_file(path) if block.syntax == "python"}
        skipped = {
            block.lineno
            for block in extract_from_file(path)
            if any(mark.startswith("pytest.mark.skip(") for mark in block.marks)
        }
        included_at = {include.line: include for include in scan(path.read_text()).includes}
        for fence in python_fences(path):
            info, line = fence.info.strip(), fence.line
            where = f"{path.relative_to(ROOT)}:{line}"
            if info == "python":
                if line in collected and line not in skipped:
                    run_inline += 1
                else:
                    unrun.append(f"{where}: a python block that pytest-codeblocks does not run")
            elif (include := included_at.get(line)) is not None:
                if (include.path, include.section) in sections:
                    included += 1
                else:
                    unrun.append(
                        f"{where}: includes {include.path}:{include.section}, which the build "
                        "does not run"
                    )
            else:
                unrun.append(
                    f"{where}: ```{info} is neither a plain ```python block nor a snippet include"
                )
    print(
        f"\n{run_inline + included} Python blocks: {run_inline} run by pytest-codeblocks, {included} snippet includes run by the build"
    )
    assert unrun == []
    assert run_inline + included > 0
