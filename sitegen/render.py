"""HTML that puts a run's results on a page: output blocks, figures and the provenance footer.

Outputs are turned into HTML here, after Markdown has run, so that nothing a snippet prints is
ever read again as Markdown (a printed `--8<-- "file"` stays that text)."""

from __future__ import annotations

import html
import posixpath
import re
import struct

from sitegen.figures import Figure
from sitegen.results import FileResult, SectionResult

# Material's code annotations (`# (1)!`) are drawn by its script: a tooltip per marker, costly on a
# phone (about 20 ms of blocking time each) and links without a name for a screen reader. The
# site shows them as they read in a book instead: the comment keeps its number, `# (1)`, and the
# numbered list under the block is the notes.
ANNOTATION = re.compile(r'<span class="c1"># \((\d+)\)!</span>')


def static_callouts(page: str) -> str:
    """`# (1)!` in code becomes the plain comment `# (1)`, marked for the stylesheet."""
    return ANNOTATION.sub(r'<span class="c1 ptx-callout"># (\1)</span>', page)


# Pygments wraps every name, operator, punctuation mark and space of a code block in a span of its
# own: two thirds of a chapter's elements, and most of a phone's time laying the page out. Their
# colour is the code's own colour (docs/assets/site.css), so plain text shows the same.
PLAIN_TOKENS = re.compile(r'<span class="(?:n|p|o|w)">([^<]*)</span>')


def slim_code(page: str) -> str:
    """Code without the spans of tokens that are drawn in the plain code colour anyway; and each
    block reachable by keyboard, to scroll it (Material does that itself only for the blocks it
    has seen overflow, and with `content.lazy` it sees them as they scroll into view)."""
    page = page.replace("<pre><span></span><code>", '<pre><span></span><code tabindex="0">')
    return PLAIN_TOKENS.sub(r"\1", page)


TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
CODE_TEXT = re.compile(r"<code>([^<]*)</code>")
# where an identifier may break across lines: after . (not in a number) _ ( , = and at a
# camel-case hump
BREAK_AFTER = re.compile(r"((?<!\d)\.|[_(,=])(?=\w)|(?<=[a-z])(?=[A-Z][a-z])")


def breakable_table_code(page: str) -> str:
    """Code in a table breaks at its natural joints on a narrow screen (`nn.BCEWith|Logits|Loss`,
    `in_|features`), never in the middle of a word: a `<wbr>` at each joint."""

    def in_table(table: re.Match) -> str:
        return CODE_TEXT.sub(
            lambda code: f"<code>{BREAK_AFTER.sub(_joint, code[1])}</code>", table[0]
        )

    return TABLE.sub(in_table, page)


def _joint(match: re.Match) -> str:
    return (match[1] or "") + "<wbr>"


# A line of aligned columns: text, two or more spaces or a " | ", more text.
COLUMNS = re.compile(r"\S(?: {2,}| \| )\S")


def is_columns(output: str) -> bool:
    """Output that prints a table (aligned columns, or `|`-separated fields on most lines): it
    keeps its lines whole and scrolls on a phone, where wrapping would scramble the columns."""
    lines = [line for line in output.splitlines() if line.strip()]
    aligned = sum(1 for line in lines if COLUMNS.search(line))
    return len(lines) >= 2 and aligned >= 0.6 * len(lines)


def anchor_id(path: str, section: str) -> str:
    """A site-wide unique id for a section's output (the error index links to it)."""
    stem = path.removeprefix("snippets/").removesuffix(".py")
    return "out-" + re.sub(r"[^a-z0-9]+", "-", f"{stem}-{section}".lower()).strip("-")


def figure_uri(path: str, section: str, index: int, suffix: str) -> str:
    """Where a figure lives in the site, relative to the docs root."""
    stem = path.removeprefix("snippets/").removesuffix(".py")
    name = section if section != "__file__" else "script"
    return f"figures/{stem}/{name}-{index}.{suffix}"


def output_html(
    path: str, section: SectionResult, page_dir: str, provenance: str = "", needs: str | None = None
) -> str:
    """The output block and figures of one section, placed right after its code.

    `needs` names the hardware a recorded output came from (its code does not run here)."""
    parts = []
    if section.output or section.error:
        # no copy button: one per output would double a page's script work on a phone, and an
        # output is for reading (selecting it still copies it)
        classes = ["language-text", "highlight", "ptx-output", "no-copy"]
        if needs:
            classes.append("ptx-recorded")
        title = "Output"
        if section.error:
            classes.append("ptx-error")
            title = f"Output: raises {section.error[0]}"
        elif is_columns(section.output):
            classes.append("ptx-columns")
        if section.varies:
            classes.append("ptx-varies")
            title = "Output (measured in this build: it varies by machine)"
        if provenance:
            title += f" · {provenance}"
        body = html.escape(section.output.rstrip("\n"))
        if section.error:
            kind, message = section.error
            exception = html.escape(f"{kind}: {message}".rstrip("\n"))
            body = (body + "\n" if body else "") + f'<span class="ptx-exception">{exception}</span>'
        data = f' data-needs="{html.escape(needs)}"' if needs else ""
        parts.append(
            f'<div class="ptx-anchor" id="{anchor_id(path, section.name)}"></div>'
            f'<div class="{" ".join(classes)}"{data}>'
            f'<span class="filename">{html.escape(title)}</span>'
            f'<pre><span></span><code tabindex="0">{body}</code></pre></div>'
        )
    for index, figure in enumerate(section.figures, start=1):
        uri = figure_uri(path, section.name, index, figure.suffix)
        parts.append(figure_html(figure, posixpath.relpath(uri, page_dir)))
    return "\n".join(parts)


def figure_html(figure: Figure, src: str) -> str:
    size = figure_size(figure)
    dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return (
        f'<p class="ptx-figure"><img src="{html.escape(src)}" alt="{html.escape(figure.alt)}"'
        f'{dimensions} loading="lazy" decoding="async"></p>'
    )


def figure_size(figure: Figure) -> tuple[int, int] | None:
    """The figure's size in CSS pixels (from the SVG's pt size or the PNG header)."""
    if figure.suffix == "png" and figure.data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", figure.data[16:24])
    head = figure.data[:2000].decode("utf-8", "replace")
    width = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', head)
    height = re.search(r'<svg[^>]*\bheight="([\d.]+)pt"', head)
    if width and height:
        return round(float(width[1]) * 4 / 3), round(float(height[1]) * 4 / 3)
    return None


def not_run_html(needs: str) -> str:
    """Under the code of a file that needs hardware this build does not have."""
    device = {"cuda": "an NVIDIA GPU", "mps": "an Apple silicon GPU (MPS)"}.get(needs, needs)
    return (
        f'<div class="admonition warning ptx-not-run" data-needs="{html.escape(needs)}">'
        '<p class="admonition-title">Not yet run on '
        f"{html.escape(device)}</p><p>This block needs {html.escape(device)}. The machine that "
        "built this page has none, and no recorded run of it exists yet, so no output is shown "
        "here: nothing on this site is typed by hand.</p></div>"
    )


def provenance_html(
    build_date: str, torch_version: str, device: str, runs: list[FileResult], cached: set[str]
) -> str:
    """The page footer: what built this page's outputs, when, and how long each snippet took."""
    parts = [
        f"Outputs built on {html.escape(build_date)} with torch {html.escape(torch_version)} "
        f"on <code>{html.escape(device)}</code>."
    ]
    local = [run for run in runs if not run.recorded]
    if local:
        timings = ", ".join(
            f"<code>{html.escape(run.path.removeprefix('snippets/'))}</code> {run.seconds:.2f}&nbsp;s"
            + (" (cached)" if run.path in cached else "")
            for run in local
        )
        parts.append(f"Run time of the code on this page: {timings}.")
    for run in runs:
        if run.recorded:
            parts.append(
                f"<code>{html.escape(run.path.removeprefix('snippets/'))}</code>: "
                f"{html.escape(recorded_label(run.recorded))}."
            )
    return " ".join(parts)


def recorded_label(recorded: dict, pinned_torch: str | None = None) -> str:
    """'recorded on NVIDIA H200 (driver 570.1, CUDA 12.8) with torch 2.13.0 on 2026-12-01', and
    which torch made it when that is not the one the site pins."""
    device = recorded.get("device_name", recorded.get("device", "?"))
    extra = ", ".join(
        f"{label} {recorded[key]}"
        for key, label in (("driver", "driver"), ("cuda", "CUDA"))
        if recorded.get(key)
    )
    torch = recorded.get("torch", "?")
    label = (
        f"recorded on {device}{f' ({extra})' if extra else ''} with torch {torch} on "
        f"{recorded.get('date', '?')}"
    )
    if pinned_torch and not torch.startswith(pinned_torch):
        label += f", not the torch {pinned_torch} of the rest of the page"
    return label
