"""A page's Markdown, made ready for MkDocs: numbers from the runs filled in, site facts filled in,
diagrams drawn, later blocks of a file titled "(continued)", and a marker where each output goes.

Everything a run produced (outputs, figures, values) and every drawn diagram goes into the page
as HTML after Markdown has run, through `Slots`: the Markdown only holds a marker, so nothing a
snippet printed or left in a variable is ever read as Markdown or HTML (a value
`<img onerror=...>` shows as that text, a printed `--8<-- "file"` includes nothing)."""

from __future__ import annotations

import html
import posixpath
import re
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sitegen import diagrams
from sitegen.pagescan import Include, Reference, ScannedPage
from sitegen.results import AuthorError


class Slots:
    """HTML waiting for its place in a page: a marker goes into the Markdown, and `fill` puts the
    HTML where the marker ended up (a paragraph of its own is replaced whole)."""

    def __init__(self):
        self._nonce = secrets.token_hex(4)
        self._html: dict[str, dict[str, str]] = defaultdict(dict)  # page -> marker -> html

    def add(self, page: str, block: str) -> str:
        # the closing letter keeps marker 1 from being the start of marker 10
        marker = f"ptxslot{self._nonce}x{len(self._html[page])}e"
        self._html[page][marker] = block
        return marker

    def fill(self, page: str, rendered: str) -> tuple[str, set[str]]:
        """The page's HTML with every marker replaced, and the ids the new HTML brings."""
        anchors = set()
        for marker, block in self._html.pop(page, {}).items():
            if f"<p>{marker}</p>" in rendered:
                rendered = rendered.replace(f"<p>{marker}</p>", block)
            elif marker in rendered:
                rendered = rendered.replace(marker, block)
            else:
                raise AuthorError(
                    f"docs/{page}",
                    None,
                    "an output's place was lost in the Markdown (an include inside an unclosed "
                    "block?)",
                )
            anchors |= set(re.findall(r'\bid="([^"]+)"', block))
        return rendered, anchors


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def rewrite(
    page: ScannedPage,
    slots: Slots,
    site_value: Callable[[str], str],
    value_html: Callable[[Reference], str],
    include_parts: Callable[[Include, int, int], tuple[str, str]],
    parsed: dict[tuple[str, int], diagrams.Diagram],
) -> str:
    """The page's Markdown for MkDocs.

    `include_parts(include, n, count)` gives the HTML to put above the n-th (1-based) include of a
    file that the page includes `count` times, and the HTML of its output (either may be "")."""
    text, uri = page.text, page.uri
    edits = [_Edit(r.start, r.end, site_value(r.name)) for r in page.site_refs]
    edits += [_Edit(r.start, r.end, slots.add(uri, value_html(r))) for r in page.value_refs]
    for fence in page.diagrams:
        diagram = parsed.get((uri, fence.start)) or diagrams.parse(fence.body, fence.line + 1)
        marker = slots.add(uri, diagrams.draw(diagram))
        edits.append(_Edit(fence.start, fence.end, f"\n{fence.indent}{marker}\n"))
    counts: dict[str, int] = defaultdict(int)
    for include in page.includes:
        counts[include.path] += 1
    seen: dict[str, int] = defaultdict(int)
    for include in page.includes:
        seen[include.path] += 1
        above, output = include_parts(include, seen[include.path], counts[include.path])
        indent = include.fence.indent
        if above:
            edits.append(
                _Edit(
                    include.fence.start, include.fence.start, f"{indent}{slots.add(uri, above)}\n\n"
                )
            )
        if include.title and seen[include.path] > 1:
            first_line_end = text.index("\n", include.fence.start)
            opening = text[include.fence.start : first_line_end]
            titled = opening.replace(
                f'title="{include.title}"', f'title="{include.title} (continued)"', 1
            )
            edits.append(_Edit(include.fence.start, first_line_end, titled))
        if output:
            marker = slots.add(uri, output)
            edits.append(_Edit(include.output_at, include.output_at, f"\n\n{indent}{marker}\n"))
    return _apply(text, edits)


def _apply(text: str, edits: list[_Edit]) -> str:
    pieces, last = [], 0
    # insertions before replacements at the same place: a caption goes above its fence's title
    for edit in sorted(edits, key=lambda e: (e.start, e.end > e.start)):
        if edit.start < last:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        pieces += [text[last : edit.start], edit.text]
        last = edit.end
    pieces.append(text[last:])
    return "".join(pieces)


def value_span(ref: Reference, value: object) -> str:
    """A run's value as it appears in prose: plain text, formatted as the reference asks."""
    shown = format(value, ref.format)
    where = f"{ref.file}:{ref.section}" if ref.section else ref.file
    return (
        f'<span class="ptx-value" data-source="{html.escape(f"{where} {ref.name}")}">'
        f"{html.escape(shown)}</span>"
    )


def source_caption(relative: str, page: str, blocks: int) -> str:
    """Above a file's first block on a page: where the whole file is, and how to run its blocks."""
    link = posixpath.relpath(relative, url_dir(page))
    return (
        f'<p class="ptx-source">From <a href="{html.escape(link)}"><code>'
        f"{html.escape(relative.removeprefix('snippets/'))}</code></a>"
        + (f": {blocks} blocks, to run in order in one Python" if blocks > 1 else "")
        + "</p>"
    )


def url_dir(page: str) -> str:
    """The folder a page is served from (directory URLs): the base of the links in the HTML the
    build puts on it. 'classification/binary.md' -> 'classification/binary', 'index.md' -> '.'"""
    if page == "index.md" or page.endswith("/index.md"):
        return posixpath.dirname(page) or "."
    return page.removesuffix(".md")
