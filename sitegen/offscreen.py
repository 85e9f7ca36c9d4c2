"""Runs of a page's blocks between its headings, wrapped so that a phone lays out only the part
of a long page that is on screen (`content-visibility: auto`, docs/assets/site.css).

On load, Material's script reads styles and sizes (the header's colour, the viewport, each
heading's offset for the table of contents), and each read makes the browser style and lay out
the whole page first: on a chapter, about 1 s of a slow phone's main thread. A run that is off
screen is skipped by that work until the reader scrolls near it. The headings stay outside the
runs, so the table of contents reads their offsets without laying out what lies between."""

from __future__ import annotations

import re
from html.parser import HTMLParser

RUN_CLASS = "ptx-run"
HEADING = re.compile(r"h[1-6]")
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"}
    | {"track", "wbr"}
)

# A rough height for a run not yet laid out, so the scroll bar is about right before the reader
# gets there; once laid out, the browser remembers the real one (`auto` in the stylesheet).
LINE_PX, TEXT_LINE_CHARS, FIGURE_PX, BLOCK_PX = 22, 48, 300, 24
PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
BLOCK = re.compile(r"<(?:p|li|div|pre|table|tr|details)\b")


class _TopLevel(HTMLParser):
    """Where each top-level element of an HTML fragment starts and ends (character offsets)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.depth = 0
        self.elements: list[tuple[str, int, int]] = []  # (tag, start, end)
        self._open: tuple[str, int] | None = None
        self.stray_end_tags = 0
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return self.handle_startendtag(tag, attrs)
        if self.depth == 0:
            self._open = (tag, self._offset())
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            start = self._offset()
            self.elements.append((tag, start, start + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.depth == 0:
            self.stray_end_tags += 1
            return
        self.depth -= 1
        if self.depth == 0 and self._open is not None:
            name, start = self._open
            self.elements.append((name, start, self._offset() + len(f"</{tag}>")))
            self._open = None


def _balanced(html: str) -> bool:
    parsed = _TopLevel(html)
    return parsed.depth == 0 and not parsed.stray_end_tags


def estimated_height(run: str) -> int:
    """Pixels a run of blocks takes on a phone, roughly: its code lines, its text, its figures."""
    code_lines = sum(block.count("\n") for block in PRE.findall(run))
    text = TAG.sub("", PRE.sub("", run)).strip()
    lines = code_lines + len(text) // TEXT_LINE_CHARS
    blocks = len(BLOCK.findall(run))
    return lines * LINE_PX + blocks * BLOCK_PX + run.count("<img") * FIGURE_PX


def wrap_runs(html: str) -> str:
    """Each run of top-level blocks after the first `h2`, up to the next heading, in a
    `div.ptx-run`; what comes before it (the title and the opening, the first screen) as it is.
    The run that ends the page stays unwrapped: where its height is underestimated, a skipped run
    overflows onto the footer, and axe (Lighthouse's accessibility audit) then reads its links
    against the footer's dark background."""
    headings = [
        (start, end) for tag, start, end in _TopLevel(html).elements if HEADING.fullmatch(tag)
    ]
    first_h2 = next(
        (n for n, (start, _) in enumerate(headings) if html.startswith("<h2", start)), None
    )
    if first_h2 is None:
        return html
    pieces, position = [], 0
    bounds = headings[first_h2:]
    for n, (_, end) in enumerate(bounds):
        last = n + 1 == len(bounds)
        next_start = len(html) if last else bounds[n + 1][0]
        run = html[end:next_start]
        pieces.append(html[position:end])
        if run.strip() and not last and _balanced(run):
            body = run.strip("\n")
            pieces.append(
                f'\n<div class="{RUN_CLASS}" style="contain-intrinsic-size:auto '
                f'{estimated_height(body)}px">{body}</div>\n'
            )
        else:
            pieces.append(run)
        position = next_start
    pieces.append(html[position:])
    return "".join(pieces)
