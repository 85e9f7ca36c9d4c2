"""Split a snippet into the named sections that pages include."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

START = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[start:(?P<name>[\w-]+)\]\s*$")
END = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[end:(?P<name>[\w-]+)\]\s*$")
RAISES = re.compile(r"#\s*raises\s+(?P<exc>[A-Za-z_][\w.]*)\s*$")
VARIES = re.compile(r"^\s*#\s*varies\b")
WHOLE_FILE = "__file__"


class SnippetError(Exception):
    """A snippet breaks the authoring contract (see AUTHORING.md)."""


@dataclass(frozen=True)
class Section:
    """One named section of a snippet: its code and where it sits in the file."""

    name: str
    first_line: int  # 1-based line number of the first line of code
    code: str
    raises: str | None  # exception name declared with `# raises X`
    raises_line: int | None
    varies: bool  # output is a measurement (timings) and differs between builds

    def padded_code(self) -> str:
        """The code preceded by blank lines, so compiled line numbers match the file."""
        return "\n" * (self.first_line - 1) + self.code


def split_sections(path: Path, source: str | None = None) -> list[Section]:
    """Return the sections of a snippet in file order (one whole-file section if it has none).

    Raises:
        SnippetError: unbalanced markers, code outside sections, or a misplaced `# raises`.
    """
    source = path.read_text() if source is None else source
    lines = source.splitlines()
    has_sections = any(START.match(line) for line in lines)
    spans: list[tuple[str, int, int]] = []
    open_name, open_at = None, 0
    for number, line in enumerate(lines, start=1):
        if m := START.match(line):
            if open_name is not None:
                raise SnippetError(
                    f"{path}:{number}: section {m['name']!r} starts inside {open_name!r}"
                )
            open_name, open_at = m["name"], number
        elif m := END.match(line):
            if m["name"] != open_name:
                raise SnippetError(
                    f"{path}:{number}: [end:{m['name']}] does not close {open_name!r}"
                )
            spans.append((open_name, open_at + 1, number - 1))
            open_name = None
        elif (
            has_sections
            and open_name is None
            and line.strip()
            and not line.lstrip().startswith("#")
        ):
            raise SnippetError(
                f"{path}:{number}: code outside every named section; a page could not show it"
            )
    if open_name is not None:
        raise SnippetError(f"{path}:{open_at}: section {open_name!r} is never closed")
    names = [name for name, _, _ in spans]
    if len(set(names)) != len(names):
        raise SnippetError(f"{path}: duplicate section names in {names}")
    if not spans:
        spans = [(WHOLE_FILE, 1, len(lines))]
    return [_make_section(path, lines, *span) for span in spans]


def _make_section(path: Path, lines: list[str], name: str, first: int, last: int) -> Section:
    body = lines[first - 1 : last]
    code = "\n".join(body) + "\n"
    raises, raises_line = None, None
    for offset, line in enumerate(body):
        if m := RAISES.search(line):
            raises, raises_line = m["exc"], first + offset
    if raises_line is not None:
        last_statement = _last_statement_line(path, code, first)
        if last_statement != raises_line:
            raise SnippetError(
                f"{path}:{raises_line}: a `# raises` line must be the last statement of "
                f"section {name!r} (code after it would never run)"
            )
    varies = any(VARIES.match(line) for line in body)
    return Section(name, first, code, raises, raises_line, varies)


def _last_statement_line(path: Path, code: str, first: int) -> int | None:
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise SnippetError(f"{path}:{first - 1 + (error.lineno or 1)}: {error.msg}") from error
    if not tree.body:
        return None
    return first - 1 + tree.body[-1].end_lineno
