"""One pass over a page's Markdown: everything the build and the tests need to know about it.

`scan(text)` reads a page once, line by line, into a `ScannedPage`: its title and headings, its
code fences (snippet includes and ```diagram fences among them), its prose (with inline code set
apart, and each piece flagged when it sits in a collapsed `??? ...` box, off the main path), the
value references in its prose and the site references anywhere. The page checks, the Markdown
rewriting, the Error index and the tests all read this structure; nothing else parses pages.
Offsets are into `text`; lines are the page file's own (front matter counted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkdocs.utils.meta import get_data

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
INCLUDE_LINE = re.compile(r'^--8<-- "(?P<target>snippets/[^"]+)"[ \t]*$')
TITLE = re.compile(r'title="(?P<title>[^"]*)"')
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)(?:\s*\{[^}]*\})?\s*$")
# an admonition: `???` is collapsed (off the main path), `???+` and `!!!` are open
BOX = re.compile(r"^(?P<indent>[ \t]*)(?P<kind>\?\?\?\+?|!!!)\s")
INLINE_CODE = re.compile(r"(`+).+?\1", re.DOTALL)
# {{ linear_regression/workflow.py:train_and_test weight:.4f }}
VALUE_REF = re.compile(
    r"\{\{\s*(?P<file>[\w./-]+\.py)(?::(?P<section>[\w-]+))?\s+"
    r"(?P<name>[A-Za-z_]\w*)(?::(?P<format>[^\s}]+))?\s*\}\}"
)
# {{ site:wheel_url }}: a fact of this build of the site (in code blocks too: they are commands)
SITE_REF = re.compile(r"\{\{\s*site:(?P<name>\w+)\s*\}\}")
# a Markdown link or image target: [text](target) / ![alt](target)
LINK = re.compile(r"(?P<head>!?\[[^\]]*\]\()(?P<target>[^)\s]+)(?P<tail>[^)]*\))")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Fence:
    """A fenced code block, from its opening line to its closing one."""

    start: int  # offset of the opening line's first character
    end: int  # offset just after the closing fence (before its newline)
    line: int  # the opening line
    indent: str
    info: str  # what follows the backticks: `py title="x.py"`, `diagram`, ...
    body: str  # the lines between the fences, the fence's indent removed
    collapsed: bool  # inside a `??? ...` box

    @property
    def language(self) -> str:
        return self.info.strip().split(" ", 1)[0].lstrip("{.")


@dataclass(frozen=True)
class Include:
    """A fence whose only line includes a snippet, or a section of one."""

    fence: Fence
    path: str  # "snippets/fundamentals/matmul.py"
    section: str  # the section name, a notebook cell's "first:last" lines, or "__file__"
    title: str | None
    heading: str  # the nearest heading above it
    output_at: int  # where its output goes: after the fence and its code-annotation list

    @property
    def line(self) -> int:
        return self.fence.line


@dataclass(frozen=True)
class Piece:
    """A stretch of the page outside code fences: prose, or one inline code span."""

    start: int
    text: str
    is_code: bool  # an inline code span
    collapsed: bool  # inside a `??? ...` box


@dataclass(frozen=True)
class Reference:
    """`{{ file.py:section name:format }}` in prose, or `{{ site:name }}` anywhere."""

    start: int
    end: int
    line: int
    text: str
    name: str
    file: str | None = None  # None for a site reference
    section: str | None = None
    format: str = ""


@dataclass(frozen=True)
class ScannedPage:
    uri: str  # docs-relative, "classification/binary.md"
    text: str
    first_line: int  # the file's line number of `text`'s first line
    title: str | None  # the first level-1 heading outside code
    headings: tuple[Heading, ...]
    fences: tuple[Fence, ...]
    includes: tuple[Include, ...]
    pieces: tuple[Piece, ...]
    value_refs: tuple[Reference, ...]
    site_refs: tuple[Reference, ...]
    diagrams: tuple[Fence, ...]

    def line_at(self, offset: int) -> int:
        return self.first_line + self.text.count("\n", 0, offset)

    def prose(self, main_path_only: bool = False) -> list[Piece]:
        """The prose pieces (no code), optionally only those on the main path."""
        return [p for p in self.pieces if not p.is_code and not (main_path_only and p.collapsed)]


def scan_page(text: str, uri: str = "") -> ScannedPage:
    """Scan a page file's Markdown without its front matter, as MkDocs passes it to the hooks;
    lines stay the file's."""
    body, _ = get_data(text)
    first_line = text[: len(text) - len(body)].count("\n") + 1
    return scan(body, uri, first_line)


def scan(text: str, uri: str = "", first_line: int = 1) -> ScannedPage:
    """Read a page once. `first_line` is the file's line number of `text`'s first line (pages
    reach the build with their front matter removed)."""
    walk = _Walk(text, first_line)
    walk.run()

    def line_of(offset: int) -> int:
        return first_line + text.count("\n", 0, offset)

    value_refs = tuple(
        _reference(m, piece.start, line_of)
        for piece in walk.pieces
        if not piece.is_code
        for m in VALUE_REF.finditer(piece.text)
    )
    covered = [(f.start, f.end) for f in walk.fences if _include(f) or f.language == "diagram"]
    site_refs = tuple(
        _reference(m, 0, line_of)
        for m in SITE_REF.finditer(text)
        if not any(start <= m.start() < end for start, end in covered)
    )
    return ScannedPage(
        uri,
        text,
        first_line,
        next((h.text for h in walk.headings if h.level == 1), None),
        tuple(walk.headings),
        tuple(walk.fences),
        tuple(_includes(text, walk.fences, walk.headings)),
        tuple(walk.pieces),
        value_refs,
        site_refs,
        tuple(f for f in walk.fences if f.info.strip() == "diagram"),
    )


class _Walk:
    """The line-by-line pass: code fences, headings, and prose cut into pieces where inline code
    starts and ends and where a collapsed box opens or closes."""

    def __init__(self, text: str, first_line: int):
        self.text, self.first_line = text, first_line
        self.lines = text.split("\n")
        self.starts = [0]  # offset of each line
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.headings: list[Heading] = []
        self.fences: list[Fence] = []
        self.pieces: list[Piece] = []
        self.boxes: list[tuple[str, str]] = []  # (indent, kind) of each open admonition
        self.prose_from: int | None = None  # the first line of the current stretch of prose
        self.prose_collapsed = False

    def run(self) -> None:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if line.strip():  # a line indented no deeper than a box's marker closes the box
                width = len(line) - len(line.lstrip())
                while self.boxes and width <= len(self.boxes[-1][0]):
                    self.boxes.pop()
            collapsed = any(kind == "???" for _, kind in self.boxes)
            if self.prose_from is not None and collapsed != self.prose_collapsed:
                self._close_prose(index)
            opening = FENCE_OPEN.match(line)
            if opening and _is_fence(opening):
                self._close_prose(index)
                index = self._fence(index, opening, collapsed)
                continue
            if self.prose_from is None:
                self.prose_from, self.prose_collapsed = index, collapsed
            if box := BOX.match(line):
                self.boxes.append((box["indent"], box["kind"]))
            if heading := HEADING.match(line.strip()):
                level, words = len(heading["hashes"]), heading["text"].strip()
                self.headings.append(Heading(level, words, self.first_line + index))
            index += 1
        self._close_prose(len(self.lines))

    def _fence(self, index: int, opening: re.Match, collapsed: bool) -> int:
        """Record the fence opened on line `index`; the index of the line after it."""
        lines, indent, marker = self.lines, opening["indent"], opening["fence"]
        closing = re.compile(
            rf"^{re.escape(indent)}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$"
        )
        end = next((j for j in range(index + 1, len(lines)) if closing.match(lines[j])), len(lines))
        body = "\n".join(row.removeprefix(indent) for row in lines[index + 1 : end])
        last = min(end, len(lines) - 1)
        self.fences.append(
            Fence(
                self.starts[index],
                self.starts[last] + len(lines[last]),
                self.first_line + index,
                indent,
                opening["info"],
                body,
                collapsed,
            )
        )
        return end + 1

    def _close_prose(self, until: int) -> None:
        if self.prose_from is not None and until > self.prose_from:
            begin, stop = self.starts[self.prose_from], self.starts[until] - 1
            self.pieces += _inline_pieces(self.text[begin:stop], begin, self.prose_collapsed)
        self.prose_from = None


def _includes(text: str, fences: list[Fence], headings: list[Heading]) -> list[Include]:
    includes = []
    for fence in fences:
        if target := _include(fence):
            path, _, section = target.partition(":")
            title = TITLE.search(fence.info)
            above = [h.text for h in headings if h.line < fence.line]
            includes.append(
                Include(
                    fence,
                    path,
                    section or "__file__",
                    title["title"] if title else None,
                    above[-1] if above else "",
                    _after_annotations(text, fence.end, fence.indent),
                )
            )
    return includes


def _is_fence(opening: re.Match) -> bool:
    """Backtick fences may not have a backtick in their info string (CommonMark)."""
    return not (opening["fence"][0] == "`" and "`" in opening["info"])


def _include(fence: Fence) -> str | None:
    """The include target of a ```py fence whose only line is `--8<-- "snippets/..."`."""
    if not re.match(r"py\b", fence.info) or "\n" in fence.body:
        return None
    match = INCLUDE_LINE.match(fence.body)
    return match["target"] if match else None


def _inline_pieces(text: str, offset: int, collapsed: bool) -> list[Piece]:
    pieces, position = [], 0
    for match in INLINE_CODE.finditer(text):
        if match.start() > position:
            pieces.append(
                Piece(offset + position, text[position : match.start()], False, collapsed)
            )
        pieces.append(Piece(offset + match.start(), match.group(0), True, collapsed))
        position = match.end()
    if position < len(text):
        pieces.append(Piece(offset + position, text[position:], False, collapsed))
    return pieces


def _reference(match: re.Match, offset: int, line_of) -> Reference:
    start = offset + match.start()
    groups = match.groupdict()
    return Reference(
        start,
        offset + match.end(),
        line_of(start),
        match.group(0),
        groups["name"],
        groups.get("file"),
        groups.get("section"),
        groups.get("format") or "",
    )


def _after_annotations(text: str, end: int, indent: str) -> int:
    """Where a fence's code-annotation list ends (Material needs the list right after the code)."""
    lines = text[end:].split("\n")
    # lines[0] is what follows the closing fence on its own line ("")
    index, consumed, in_list = 1, len(lines[0]), False
    while index < len(lines):
        line = lines[index]
        stripped = line[len(indent) :] if line.startswith(indent) else line
        if not line.strip():
            index += 1
            consumed += 1 + len(line)
            continue
        if (stripped[:1].isdigit() and ". " in stripped[:5]) or (
            in_list and stripped.startswith("    ")
        ):
            in_list = True
            index += 1
            consumed += 1 + len(line)
            continue
        break
    if not in_list:
        return end
    return end + len(text[end : end + consumed].rstrip("\n"))
