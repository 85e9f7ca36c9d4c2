"""Read a source file into the sections the build runs: a snippet's named sections, or the cells of
an exercise notebook (a jupytext percent-format script). One reader for both, one `Section` type."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.markers import Limits, file_markers
from sitegen.results import AuthorError

START = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[start:(?P<name>[\w-]+)\]\s*$")
END = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[end:(?P<name>[\w-]+)\]\s*$")
RAISES = re.compile(r"#\s*raises\s+(?P<exc>[A-Za-z_][\w.]*)\s*$")
VARIES = re.compile(r"^\s*#\s*varies\b")
# a marker is a comment line of its own: `# timeout: 120`, `# memory: 8 GB`, `# needs: cuda`
CELL_MARKER = re.compile(r"^# %%")
WHOLE_FILE = "__file__"


@dataclass(frozen=True)
class Section:
    """One runnable piece of a source: a named section, or a notebook cell.

    Markdown cells of a notebook are sections too (kind "markdown"); they are shown, not run.
    """

    name: str
    first_line: int  # 1-based line of the first line of `code` in the file
    code: str
    kind: str = "code"  # "code" or "markdown"
    raises: str | None = None  # exception declared with `# raises X`
    raises_line: int | None = None
    varies: bool = False  # the output is a measurement (timings)
    tags: tuple[str, ...] = ()  # notebook cell tags, e.g. ("solution",)

    def padded_code(self) -> str:
        """The code preceded by blank lines, so compiled line numbers match the file."""
        return "\n" * (self.first_line - 1) + self.code


@dataclass(frozen=True)
class Source:
    """A file under snippets/: what kind it is, its sections and how long it may run."""

    path: Path
    relative: str  # "snippets/fundamentals/matmul_spellings.py"
    kind: str  # "snippet" or "notebook"
    sections: tuple[Section, ...]
    limits: Limits = Limits()
    needs: str | None = None  # "cuda" or "mps": only a machine that has one runs it
    text: str = field(default="", repr=False)  # decoded as Python decodes it
    data: bytes = field(default=b"", repr=False)  # the file's bytes: what the site publishes

    @property
    def timeout(self) -> float:
        return self.limits.timeout_s

    @property
    def code_sections(self) -> list[Section]:
        return [section for section in self.sections if section.kind == "code"]

    def section(self, name: str) -> Section:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(name)


def is_notebook(path: Path) -> bool:
    """Exercise notebooks are percent-format scripts named exercises*.py."""
    return path.name.startswith("exercises")


def read_source(path: Path, root: Path, text: str | None = None) -> Source:
    """Read a snippet or an exercise notebook.

    Raises:
        AuthorError: the file breaks the authoring contract (see AUTHORING.md), with its line.
    """
    relative = path.relative_to(root).as_posix()
    data = path.read_bytes() if text is None else text.encode()
    text = decode_source(relative, data) if text is None else text
    lines = text.splitlines()
    limits, needs = file_markers(relative, lines)
    if is_notebook(path):
        sections = _cells(relative, text)
        kind = "notebook"
    else:
        sections = _sections(relative, lines)
        kind = "snippet"
    return Source(path, relative, kind, tuple(sections), limits, needs, text, data)


def decode_source(relative: str, data: bytes) -> str:
    """The text of a source file as Python reads it: UTF-8, or the encoding a PEP 263 line
    declares, without a byte order mark.

    Raises:
        AuthorError: `path: ...` (no line: the file as a whole cannot be read).
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown encoding, or a BOM with another declaration
        if "invalid or missing encoding declaration" not in str(error):
            raise AuthorError(
                relative, None, f"cannot be read as Python reads it: {error}"
            ) from None
        encoding = "utf-8"  # the first lines are not UTF-8 and declare nothing: say where
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise AuthorError(
            relative,
            None,
            f"cannot be read as Python reads it: line {line} is not {encoding} (byte "
            f"{data[error.start]:#04x}); save the file as UTF-8, or declare its encoding on its "
            f"first line (`# -*- coding: latin-1 -*-`)",
        ) from None


def include_as_python_reads() -> None:
    """Have pymdownx.snippets read an included `.py` file as Python (and the run) reads it: in
    the encoding its PEP 263 line declares, without a BOM (it reads every file as UTF-8)."""
    from pymdownx.snippets import SnippetPreprocessor

    plain = SnippetPreprocessor.read_lines
    if getattr(plain, "as_python_reads", False):
        return

    def read_lines(self, path):
        if not str(path).endswith(".py"):
            return plain(self, path)
        try:
            text = decode_source(str(path), Path(path).read_bytes())
        except AuthorError:  # reported by the build as the file's problem
            return plain(self, path)
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # as text mode reads it
        return text.split("\n") if text else []

    read_lines.as_python_reads = True
    SnippetPreprocessor.read_lines = read_lines


# -- snippets: named sections ---------------------------------------------------------------------
def _sections(relative: str, lines: list[str]) -> list[Section]:
    has_sections = any(START.match(line) for line in lines)
    spans: list[tuple[str, int, int]] = []
    open_name, open_at = None, 0
    for number, line in enumerate(lines, start=1):
        if m := START.match(line):
            if open_name is not None:
                raise AuthorError(
                    relative, number, f"section {m['name']!r} starts inside {open_name!r}"
                )
            open_name, open_at = m["name"], number
        elif m := END.match(line):
            if m["name"] != open_name:
                raise AuthorError(
                    relative, number, f"[end:{m['name']}] does not close {open_name!r}"
                )
            spans.append((open_name, open_at + 1, number - 1))
            open_name = None
        elif (
            has_sections
            and open_name is None
            and line.strip()
            and not line.lstrip().startswith("#")
        ):
            raise AuthorError(
                relative, number, "code outside every named section; a page could not show it"
            )
    if open_name is not None:
        raise AuthorError(relative, open_at, f"section {open_name!r} is never closed")
    names = [name for name, _, _ in spans]
    for name in names:
        if names.count(name) > 1:
            first = next(start for n, start, _ in spans if n == name)
            raise AuthorError(relative, first - 1, f"two sections are named {name!r}")
    if not spans:
        spans = [(WHOLE_FILE, 1, len(lines))]
    return [
        _code_section(relative, name, lines[first - 1 : last], first) for name, first, last in spans
    ]


def _code_section(
    relative: str, name: str, body: list[str], first: int, tags: tuple[str, ...] = ()
) -> Section:
    code = "\n".join(body) + "\n"
    raises, raises_line = None, None
    for offset, line in enumerate(body):
        if m := RAISES.search(line):
            raises, raises_line = m["exc"], first + offset
    last_statement = _last_statement_line(relative, code, first)
    if raises_line is not None and last_statement != raises_line:
        raise AuthorError(
            relative,
            raises_line,
            f"a `# raises` line must be the last statement of {name!r} (code after it would never run)",
        )
    varies = any(VARIES.match(line) for line in body)
    return Section(name, first, code, "code", raises, raises_line, varies, tags)


def _last_statement_line(relative: str, code: str, first: int) -> int | None:
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        line = first - 1 + (error.lineno or 1)
        raise AuthorError(relative, line, f"SyntaxError: {error.msg}") from None
    if not tree.body:
        return None
    return first - 1 + tree.body[-1].end_lineno


# -- notebooks: jupytext percent cells ------------------------------------------------------------
def _cells(relative: str, text: str) -> list[Section]:
    import jupytext

    lines = text.splitlines()
    markers = [number for number, line in enumerate(lines, start=1) if CELL_MARKER.match(line)]
    stray = next(
        (n for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")),
        None,
    )
    if not markers or (stray is not None and stray < markers[0]):
        raise AuthorError(relative, stray or 1, "code before the first `# %%` cell marker")
    notebook = jupytext.reads(text, fmt="py:percent")
    cells = [cell for cell in notebook.cells if cell.source.strip() or cell.cell_type == "code"]
    if len(cells) != len(markers):
        raise AuthorError(
            relative,
            markers[0],
            f"jupytext reads {len(cells)} cells but the file has {len(markers)} `# %%` markers",
        )
    sections, code_index = [], 0
    for marker, cell in zip(markers, cells, strict=True):
        tags = tuple(cell.metadata.get("tags", ()))
        if cell.cell_type == "markdown":
            sections.append(
                Section(f"text-{marker}", marker + 1, cell.source, "markdown", tags=tags)
            )
            continue
        first = marker + 1
        while first <= len(lines) and not lines[first - 1].strip():
            first += 1
        body = cell.source.split("\n")
        if lines[first - 1 : first - 1 + len(body)] != body:
            raise AuthorError(relative, marker, "a cell whose code jupytext reads differently")
        sections.append(_code_section(relative, f"cell-{code_index}", body, first, tags))
        code_index += 1
    return sections
