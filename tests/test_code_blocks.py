"""Every Python fence in the docs and README is either run by pytest-codeblocks or a snippet include."""

from __future__ import annotations

import re
from pathlib import Path

from pytest_codeblocks import extract_from_file

from sitegen.markdown import INCLUDE_FENCE
from sitegen.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
PYTHON_INFO = re.compile(r"^(?:py|python|python3|pycon|ipython)\b")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")


def markdown_files() -> list[Path]:
    return sorted(ROOT.glob("docs/**/*.md")) + [ROOT / "README.md"]


def python_fences(path: Path) -> list[tuple[int, str, str]]:
    """(line, info string, text from the fence to its end) of every Python-looking fence."""
    lines = path.read_text().splitlines()
    found, index = [], 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        close = re.compile(
            rf"^{re.escape(match['indent'])}{match['fence'][0]}{{{len(match['fence'])},}}\s*$"
        )
        end = next(
            (j for j in range(index + 1, len(lines)) if close.match(lines[j])), len(lines) - 1
        )
        info = match["info"].strip()
        if PYTHON_INFO.match(info.lstrip("{ .")):
            found.append((index + 1, info, "\n".join(lines[index : end + 1])))
        index = end + 1
    return found


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
        for line, info, text in python_fences(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if info == "python":
                if line in collected and line not in skipped:
                    run_inline += 1
                else:
                    unrun.append(f"{where}: a python block that pytest-codeblocks does not run")
            elif (match := INCLUDE_FENCE.match(text + "\n")) is not None:
                snippet, _, section = match["target"].partition(":")
                if (snippet, section or "__file__") in sections:
                    included += 1
                else:
                    unrun.append(
                        f"{where}: includes {match['target']}, which the build does not run"
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
