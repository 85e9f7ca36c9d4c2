"""One build of the site: run (or reuse) every snippet and notebook, then serve pages their results."""

from __future__ import annotations

import datetime
import json
import logging
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import nbformat

from sitegen import cache, notebooks, render
from sitegen.runner import SnippetFailure, SnippetResult, imported_modules, run_snippet, warm_up
from sitegen.sections import SnippetError

log = logging.getLogger("mkdocs.sitegen")


class BuildFailure(Exception):
    """One or more snippets failed; the message names each file, line and exception."""


@dataclass
class Include:
    """Where a page includes a snippet section."""

    page: str  # docs-relative path of the page, e.g. "fundamentals.md"
    heading: str  # the nearest heading above the include
    position: int  # order on the page


def is_notebook(path: Path) -> bool:
    """Exercise notebooks are percent-format scripts named exercises*.py."""
    return path.name.startswith("exercises")


def notebook_uri(path: Path) -> str:
    """snippets/classification/exercises_moons.py -> exercises/classification-moons.ipynb"""
    chapter = path.parent.name.replace("_", "-")
    suffix = path.stem.removeprefix("exercises").strip("_").replace("_", "-")
    return f"exercises/{chapter}{'-' + suffix if suffix else ''}.ipynb"


class SiteBuild:
    """Runs the snippets of one build and remembers their results for the pages."""

    def __init__(self, root: Path, docs_dir: Path):
        self.root = root  # the project: snippets/ and build/ live here
        self.build_dir = root / "build"
        self.docs_dir = docs_dir
        self.environment = cache.environment_digest()
        self.results: dict[str, SnippetResult] = {}
        self.cached: set[str] = set()
        self.notebooks: dict[str, SnippetResult] = {}  # notebook uri -> result
        self.includes: dict[tuple[str, str], list[Include]] = defaultdict(list)
        self.page_runs: dict[str, list[str]] = defaultdict(list)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        today = (
            datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
            if epoch
            else datetime.datetime.now(datetime.UTC)
        )
        self.build_date = today.date().isoformat()
        self.torch_version = version("torch")
        self._imported: set[str] = set()

    def _warm_up(self, path: Path) -> None:
        """Import what the snippet imports before its clock starts (torch once per build)."""
        try:
            modules = imported_modules(path.read_text()) - self._imported
        except SyntaxError:
            return  # the run reports it with its line
        if modules:
            started = time.perf_counter()
            warm_up(modules)
            self._imported |= modules
            log.info(
                f"sitegen: imported {', '.join(sorted(modules))} in {time.perf_counter() - started:.2f} s"
            )

    # -- running ---------------------------------------------------------------------------
    def run_all(self) -> None:
        """Run every snippet and notebook whose cached result is stale; fail with all errors."""
        failures = []
        for path in sorted((self.root / "snippets").rglob("*.py")):
            try:
                if is_notebook(path):
                    self._run_notebook(path)
                else:
                    self._run_snippet(path)
            except (SnippetFailure, SnippetError, ValueError) as error:
                failures.append(str(error))
        if failures:
            raise BuildFailure("snippet failed:\n" + "\n\n".join(failures))

    def _run_snippet(self, path: Path) -> None:
        relative = path.relative_to(self.root).as_posix()
        key = cache.snippet_key(path, self.environment)
        result = cache.load(self.build_dir, relative, key)
        if result is not None:
            self.cached.add(relative)
            log.info(f"sitegen: cached {relative} (ran in {result.seconds:.2f} s)")
        else:
            self._warm_up(path)
            started = time.perf_counter()
            result = run_snippet(path)
            result.path = relative  # as the pages name it
            cache.store(self.build_dir, relative, key, result)
            log.info(f"sitegen: ran    {relative} in {time.perf_counter() - started:.2f} s")
        self.results[relative] = result

    def _run_notebook(self, path: Path) -> None:
        relative = path.relative_to(self.root).as_posix()
        uri = notebook_uri(path)
        target = self.build_dir / "notebooks" / uri
        key = cache.snippet_key(path, self.environment)
        meta = _notebook_meta(target)
        if meta.get("key") == key:
            self.cached.add(relative)
            result = SnippetResult(
                relative, [], meta["seconds"], meta["device"], meta["cpu_seconds"]
            )
            log.info(f"sitegen: cached {relative} (ran in {result.seconds:.2f} s)")
        else:
            self._warm_up(path)
            result, notebook = notebooks.execute(path)
            result.path = relative
            notebook.metadata["ptx"] = {
                "key": key,
                "seconds": result.seconds,
                "cpu_seconds": result.cpu_seconds,
                "device": result.device,
            }
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(".tmp")
            nbformat.write(notebook, temporary)
            os.replace(temporary, target)
            log.info(f"sitegen: ran    {relative} in {result.seconds:.2f} s (notebook {uri})")
        self.notebooks[uri] = result

    @property
    def device(self) -> str:
        devices = [
            r.device
            for r in [*self.results.values(), *self.notebooks.values()]
            if r.device != "none"
        ]
        return max(set(devices), key=devices.count) if devices else "cpu"

    # -- pages -----------------------------------------------------------------------------
    def scan_pages(self) -> list[str]:
        """Find every include in docs/ and return the problems: unknown, missing or out of order."""
        problems = []
        for page in sorted(self.docs_dir.rglob("*.md")):
            uri = page.relative_to(self.docs_dir).as_posix()
            text = page.read_text()
            for position, match in enumerate(render.INCLUDE_FENCE.finditer(text)):
                path, section = render.split_target(match["target"])
                heading = _heading_above(text, match.start())
                self.includes[(path, section or "__file__")].append(Include(uri, heading, position))
        for path, result in self.results.items():
            names = [s.name for s in result.sections]
            places = [self.includes.get((path, name), []) for name in names]
            missing = [name for name, where in zip(names, places, strict=True) if not where]
            if missing:
                problems.append(f"{path}: sections never shown on a page: {missing}")
                continue
            pages = {where[0].page for where in places}
            order = [where[0].position for where in places]
            if len(pages) > 1:
                problems.append(f"{path}: sections are spread over several pages {sorted(pages)}")
            elif order != sorted(order):
                problems.append(f"{path}: sections are included out of file order ({names})")
        for path, section in self.includes:
            if path not in self.results:
                problems.append(f"a page includes {path}, which is not a snippet the build runs")
            elif section not in {s.name for s in self.results[path].sections}:
                problems.append(f"a page includes {path}:{section}, which has no such section")
        return problems

    def expand(self, markdown: str, page_uri: str) -> str:
        """Put each included section's output and figures right after its code on the page."""
        pieces, last = [], 0
        for match in render.INCLUDE_FENCE.finditer(markdown):
            path, section = render.split_target(match["target"])
            result = self.results[path].section(section or "__file__")
            if path not in self.page_runs[page_uri]:
                self.page_runs[page_uri].append(path)
            end = _after_annotations(markdown, match.end(), match["indent"])
            block = render.section_markdown(path, result, page_uri)
            pieces.append(markdown[last:end])
            if block:
                pieces.append("\n\n" + render.indent_block(block, match["indent"]) + "\n")
            last = end
        pieces.append(markdown[last:])
        return "".join(pieces)

    def provenance(self, page_uri: str) -> str:
        runs = [self.results[p] for p in self.page_runs.get(page_uri, [])]
        if page_uri in self.notebooks:
            runs.append(self.notebooks[page_uri])
        return render.provenance_html(
            self.build_date, self.torch_version, self.device, runs, self.cached
        )

    # -- generated files -------------------------------------------------------------------
    def figures(self):
        """(docs-relative uri, bytes) of every figure drawn in this build."""
        for path, result in self.results.items():
            for section in result.sections:
                for index, figure in enumerate(section.figures, start=1):
                    yield render.figure_uri(path, section.name, index, figure.suffix), figure.data

    def notebook_files(self):
        """(docs-relative uri, folder it is relative to) of every executed notebook."""
        for uri in self.notebooks:
            yield uri, self.build_dir / "notebooks"

    def error_index(self) -> str:
        """The Markdown of the error index page: every error demonstration and where it is explained."""
        from sitegen.errors_page import error_index_markdown

        return error_index_markdown(self)


def _notebook_meta(target: Path) -> dict:
    try:
        return json.loads(target.read_text())["metadata"].get("ptx", {})
    except (OSError, ValueError, KeyError):
        return {}


def _heading_above(text: str, offset: int) -> str:
    for line in reversed(text[:offset].splitlines()):
        if match := render.HEADING.match(line.strip()):
            return match["text"].strip()
    return ""


def _after_annotations(markdown: str, end: int, indent: str) -> int:
    """Skip a code-annotation list that follows a fence: Material needs it right after the code."""
    rest = markdown[end:]
    lines = rest.split("\n")
    # lines[0] is what follows the closing fence on its own line ("")
    index, consumed, in_list = 1, len(lines[0]), False
    while index < len(lines):
        line = lines[index]
        stripped = line[len(indent) :] if line.startswith(indent) else line
        if not line.strip():
            index += 1
            consumed += 1 + len(line)
            continue
        if (
            stripped[:1].isdigit()
            and ". " in stripped[:5]
            or (in_list and stripped.startswith("    "))
        ):
            in_list = True
            index += 1
            consumed += 1 + len(line)
            continue
        break
    if not in_list:
        return end
    # do not swallow the blank lines after the list
    text = markdown[end : end + consumed]
    return end + len(text.rstrip("\n"))
