"""How long each chapter's main path is: the words of its prose and the lines of its code outside
collapsed `??? ...` boxes, with the snippets' sections expanded where a page includes them
(Deeper pages are not chapters, and are counted apart). For comparison, learnpytorch.io's
notebooks counted the same way: the words of their Markdown cells, the lines of their code cells.

    python -m benchmarks.main_path                       # this checkout
    python -m benchmarks.main_path --root /tmp/base      # another checkout (a git worktree)
    python -m benchmarks.main_path --learnpytorch DIR    # and learnpytorch's 00-02 notebooks

The Home page's reading times come from here too (`reading_minutes`: `{{ site:minutes_autograd }}`).

DIR is a checkout of mrdbourke/pytorch-deep-learning or its git directory. Pages and Markdown
cells are read through their scan (`sitegen.pagescan`), and words counted alike everywhere:
prose with link targets, HTML tags and admonition keywords taken out, inline code kept (a
reader reads it); code lines are the non-blank lines."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from sitegen.pagescan import ScannedPage, scan_page
from sitegen.sources import Source, read_source

ROOT = Path(__file__).resolve().parents[1]
LEARNPYTORCH = {
    "00_pytorch_fundamentals.ipynb": "fundamentals.md",
    "01_pytorch_workflow.ipynb": "linear-regression.md",
    "02_pytorch_classification.ipynb": "classification/*",
}
# A careful reader of technical prose: the Home page's reading times are the main path's words
# at this pace (code and outputs come on top, and say so there).
WORDS_PER_MINUTE = 200
CODE_FENCES = {"py", "python", "shell", "sh", "bash", "console", "powershell", "pycon"}
WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
NOT_READ = re.compile(
    r"!\[[^\]]*\]\([^)]*\)"  # images
    r"|\]\([^)]*\)"  # link targets
    r"|<[^>\n]+>"  # HTML tags
    r"|\{\{.*?\}\}|\{\s*[#.:][^}]*\}"  # value references, attribute lists
    r"|https?://\S+"
    r"|^[ \t]*(?:!!!|\?\?\?\+?|===)[ \t]*[\w-]*",  # admonition and tab keywords (not titles)
    re.MULTILINE | re.DOTALL,
)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml has tags (!ENV) that only MkDocs resolves: read them as nothing."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def nav_section(root: Path, name: str) -> list[str]:
    """The pages of one section of the nav ("Chapters", "Going deeper"), in order."""
    nav = yaml.load((root / "mkdocs.yml").read_text(), Loader=_Loader)["nav"]
    for item in nav:
        if isinstance(item, dict) and name in item:
            return [next(iter(p.values())) if isinstance(p, dict) else p for p in item[name]]
    return []


def chapters(root: Path = ROOT) -> list[str]:
    """The chapters' pages in reading order: the nav's "Chapters" section."""
    return nav_section(root, "Chapters")


def words(text: str) -> int:
    """Words a reader reads in a stretch of Markdown prose: no link targets, tags or keywords."""
    return len(WORD.findall(NOT_READ.sub(" ", text).replace("`", " ")))


def code_lines(code: str) -> int:
    return sum(1 for line in code.splitlines() if line.strip())


@dataclass
class Count:
    words: int = 0
    code_lines: int = 0
    blocks: int = 0

    def __iadd__(self, other: Count) -> Count:
        self.words += other.words
        self.code_lines += other.code_lines
        self.blocks += other.blocks
        return self


def count_page(
    root: Path, page: ScannedPage, sources: Mapping[str, Source] | None = None
) -> tuple[Count, Count]:
    """(main path, collapsed boxes) of one scanned page: prose words (inline code included),
    and the lines of its code blocks, an include's being the snippet section it shows (from
    `sources`, the build's, when it has read the file already)."""
    counts = {False: Count(), True: Count()}
    for piece in page.pieces:
        counts[piece.collapsed].words += words(piece.text)
    included = {include.fence.start: include for include in page.includes}
    for fence in page.fences:
        count = counts[fence.collapsed]
        if include := included.get(fence.start):
            source = (sources or {}).get(include.path) or read_source(root / include.path, root)
            name = include.section
            code = source.text if name == "__file__" else source.section(name).code
        elif fence.language in CODE_FENCES:
            code = fence.body
        else:
            continue
        count.code_lines += code_lines(code)
        count.blocks += 1
    return counts[False], counts[True]


def main_path_count(root: Path, page: str) -> Count:
    """What a reader reads on a chapter's main path (docs-relative `page`)."""
    return count_page(root, scan_page((root / "docs" / page).read_text(), page))[0]


def chapter_named(root: Path, name: str) -> str:
    """The chapter page a short name stands for: 'autograd' -> 'autograd.md',
    'linear_regression' -> 'linear-regression.md', 'binary' -> 'classification/binary.md'."""
    pages = {Path(page).stem.replace("-", "_"): page for page in chapters(root)}
    if name not in pages:
        raise KeyError(f"no chapter named {name!r} (chapters: {', '.join(pages)})")
    return pages[name]


def reading_minutes(
    root: Path,
    page: str,
    scan: ScannedPage | None = None,
    sources: Mapping[str, Source] | None = None,
) -> int:
    """Minutes to read a chapter's main path: its prose words at WORDS_PER_MINUTE (from the
    build's own scan and sources, when it passes them)."""
    scan = scan or scan_page((root / "docs" / page).read_text(), page)
    return max(1, round(count_page(root, scan, sources)[0].words / WORDS_PER_MINUTE))


def site_counts(root: Path) -> dict[str, dict]:
    """Every chapter's main path and boxes, and every Deeper page, of the checkout at `root`."""
    result = {}
    for page in chapters(root):
        main, boxed = count_page(root, scan_page((root / "docs" / page).read_text(), page))
        result[page] = {
            "main path": asdict(main),
            "collapsed boxes": asdict(boxed),
            "reading minutes": reading_minutes(root, page),
        }
    for page in nav_section(root, "Going deeper"):
        main, boxed = count_page(root, scan_page((root / "docs" / page).read_text(), page))
        main += boxed
        result[page] = {"deeper page": asdict(main)}
    return result


def notebook_counts(repository: Path) -> dict[str, dict]:
    """learnpytorch's notebooks: words of the Markdown cells, lines of the code cells."""
    result = {}
    for name in LEARNPYTORCH:
        if (repository / name).exists():
            notebook = json.loads((repository / name).read_text())
        else:
            shown = subprocess.run(
                ["git", "--git-dir", str(repository), "show", f"HEAD:{name}"],
                capture_output=True,
                text=True,
                check=True,
            )
            notebook = json.loads(shown.stdout)
        count = Count()
        for cell in notebook["cells"]:
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                for piece in scan_page(text).pieces:
                    count.words += words(piece.text)
            elif cell["cell_type"] == "code":
                count.code_lines += code_lines(text)
                count.blocks += 1
        result[name] = asdict(count)
    return result


def table(counts: dict[str, dict]) -> str:
    lines = ["| page | part | words | code lines | blocks |", "| --- | --- | ---: | ---: | ---: |"]
    for page, parts in counts.items():
        if "words" in parts:
            parts = {"notebook": parts}
        for part, count in parts.items():
            if not isinstance(count, dict):
                continue  # reading minutes: shown by --json, and on the Home page
            lines.append(
                f"| {page} | {part} | {count['words']:,} | {count['code_lines']:,} | "
                f"{count['blocks']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="a checkout of this project")
    parser.add_argument("--learnpytorch", type=Path, help="mrdbourke/pytorch-deep-learning")
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    arguments = parser.parse_args()
    counts = site_counts(arguments.root.resolve())
    if arguments.learnpytorch:
        counts |= notebook_counts(arguments.learnpytorch)
    print(json.dumps(counts, indent=2) if arguments.json else table(counts))


if __name__ == "__main__":
    main()
