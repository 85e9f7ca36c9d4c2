"""Reading the Markdown of the pages: snippet includes, headings, code fences, prose, value
references and links. The one place that knows the pages' syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A fence whose only line includes a snippet (or one section of it), e.g.
#   ```py title="matmul.py"
#   --8<-- "snippets/fundamentals/matmul.py:spellings"
#   ```
INCLUDE_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})py\b(?P<info>[^\n]*)\n"
    r'(?P=indent)--8<-- "(?P<target>snippets/[^"]+)"[ \t]*\n'
    r"(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE,
)
TITLE = re.compile(r'title="(?P<title>[^"]*)"')
HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.+?)(?:\s*\{[^}]*\})?\s*$")
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$", re.MULTILINE)
INLINE_CODE = re.compile(r"(`+).+?\1", re.DOTALL)
# {{ linear_regression/workflow.py:train_and_test weight:.4f }}
VALUE_REF = re.compile(
    r"\{\{\s*(?P<file>[\w./-]+\.py)(?::(?P<section>[\w-]+))?\s+"
    r"(?P<name>[A-Za-z_]\w*)(?::(?P<format>[^\s}]+))?\s*\}\}"
)
# {{ site:wheel_url }}: a fact of this build of the site (in code blocks too)
SITE_REF = re.compile(r"\{\{\s*site:(?P<name>\w+)\s*\}\}")
# a Markdown link or image target: [text](target) / ![alt](target)
LINK = re.compile(r"(?P<head>!?\[[^\]]*\]\()(?P<target>[^)\s]+)(?P<tail>[^)]*\))")


@dataclass(frozen=True)
class Include:
    """A snippet include on a page."""

    path: str  # "snippets/fundamentals/matmul.py"
    section: str  # the section name, or "__file__" for a whole file
    line: int  # 1-based line of the fence on the page
    start: int  # offsets of the fence in the page's Markdown
    end: int
    indent: str
    title: str | None
    heading: str  # the nearest heading above the include


def includes(markdown: str) -> list[Include]:
    """Every snippet include of a page, in page order (fences inside other fences don't count)."""
    found = []
    for match in INCLUDE_FENCE.finditer(markdown):
        path, _, section = match["target"].partition(":")
        title = TITLE.search(match["info"])
        found.append(
            Include(
                path=path,
                section=section or "__file__",
                line=markdown.count("\n", 0, match.start()) + 1,
                start=match.start(),
                end=match.end(),
                indent=match["indent"],
                title=title["title"] if title else None,
                heading=_heading_above(markdown, match.start()),
            )
        )
    return found


def _heading_above(text: str, offset: int) -> str:
    for line in reversed(text[:offset].splitlines()):
        if match := HEADING.match(line.strip()):
            return match["text"].strip()
    return ""


def first_heading(markdown: str) -> str | None:
    """The text of the page's first level-1 heading (its title), outside code fences."""
    for is_prose, text in prose_pieces(markdown):
        if not is_prose:
            continue
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return None


def after_annotations(markdown: str, end: int, indent: str) -> int:
    """Where a fence's code-annotation list ends (Material needs the list right after the code)."""
    lines = markdown[end:].split("\n")
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
    return end + len(markdown[end : end + consumed].rstrip("\n"))


def prose_pieces(markdown: str) -> list[tuple[bool, str]]:
    """Split Markdown into (is_prose, text) pieces: fenced and inline code are not prose."""
    pieces, position = [], 0
    for match in FENCE_OPEN.finditer(markdown):
        if match.start() < position:
            continue
        fence = match["fence"]
        closing = re.compile(
            rf"^{re.escape(match['indent'])}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$",
            re.MULTILINE,
        )
        after = match.end() + 1
        close = closing.search(markdown, after) if after <= len(markdown) else None
        end = close.end() if close else len(markdown)
        pieces += _inline_pieces(markdown[position : match.start()])
        pieces.append((False, markdown[match.start() : end]))
        position = end
    pieces += _inline_pieces(markdown[position:])
    return [piece for piece in pieces if piece[1]]


def _inline_pieces(text: str) -> list[tuple[bool, str]]:
    pieces, position = [], 0
    for match in INLINE_CODE.finditer(text):
        pieces.append((True, text[position : match.start()]))
        pieces.append((False, match.group(0)))
        position = match.end()
    pieces.append((True, text[position:]))
    return pieces


def in_prose(markdown: str, pattern: re.Pattern, replace) -> str:
    """Apply `pattern.sub(replace, ...)` to the prose of a page only."""
    return "".join(
        pattern.sub(replace, text) if is_prose else text
        for is_prose, text in prose_pieces(markdown)
    )


def value_refs(markdown: str) -> list[re.Match]:
    """Every value reference in the prose of a page."""
    return [
        m for is_prose, text in prose_pieces(markdown) if is_prose for m in VALUE_REF.finditer(text)
    ]
