"""Markdown and HTML that put a snippet's results on a page."""

from __future__ import annotations

import html
import posixpath
import re

from sitegen.runner import SectionResult, SnippetResult

# A fence whose only line includes a snippet (or one section of it), e.g.
#   ```py title="matmul.py"
#   --8<-- "snippets/fundamentals/matmul.py:spellings"
#   ```
INCLUDE_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})py\b[^\n]*\n"
    r'(?P=indent)--8<-- "(?P<target>snippets/[^"]+)"[ \t]*\n'
    r"(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE,
)
HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.+?)(?:\s*\{[^}]*\})?\s*$")


def split_target(target: str) -> tuple[str, str | None]:
    """'snippets/a/b.py:sec' -> ('snippets/a/b.py', 'sec'); a whole file has no section."""
    path, _, section = target.partition(":")
    return path, section or None


def anchor_id(path: str, section: str) -> str:
    """A site-wide unique id for a section's output (the error index links to it)."""
    stem = path.removeprefix("snippets/").removesuffix(".py")
    return "out-" + re.sub(r"[^a-z0-9]+", "-", f"{stem}-{section}".lower()).strip("-")


def figure_uri(path: str, section: str, index: int, suffix: str) -> str:
    """Where a figure lives in the site, relative to the docs root."""
    stem = path.removeprefix("snippets/").removesuffix(".py")
    name = section if section != "__file__" else "script"
    return f"figures/{stem}/{name}-{index}.{suffix}"


def section_markdown(path: str, result: SectionResult, page_uri: str) -> str:
    """The output block and figures of one section, as Markdown to put after its code."""
    parts = []
    text = result.output
    if result.error:
        kind, message = result.error
        text += f"{kind}: {message}\n"
    if text:
        classes = ".text .ptx-output"
        title = "Output"
        if result.error:
            classes += " .ptx-error"
            title = f"Output: raises {result.error[0]}"
        if result.varies:
            classes += " .ptx-varies"
            title = "Output (measured in this build: it varies by machine)"
        fence = fence_for(text)
        anchor = f'<div class="ptx-anchor" id="{anchor_id(path, result.name)}"></div>'
        parts.append(
            f'{anchor}\n\n{fence} {{ {classes} title="{title}" }}\n{text.rstrip()}\n{fence}'
        )
    page_dir = posixpath.dirname(page_uri)
    for index, figure in enumerate(result.figures, start=1):
        uri = figure_uri(path, result.name, index, figure.suffix)
        link = posixpath.relpath(uri, page_dir or ".")
        parts.append(f"![{_escape_alt(figure.alt)}]({link}){{ loading=lazy .ptx-figure }}")
    return "\n\n".join(parts)


def fence_for(text: str) -> str:
    """A backtick fence longer than any run of backticks inside the text."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _escape_alt(alt: str) -> str:
    return re.sub(r"([\[\]\\*_`])", r"\\\1", alt.replace("\n", " "))


def indent_block(markdown: str, indent: str) -> str:
    """Indent every non-empty line (for includes inside tabs and admonitions)."""
    return "\n".join(indent + line if line else line for line in markdown.split("\n"))


def provenance_html(
    build_date: str, torch_version: str, device: str, runs: list[SnippetResult], cached: set[str]
) -> str:
    """The page footer: what built this page's outputs, when, and how long each snippet took."""
    parts = [
        f"Outputs built on {html.escape(build_date)} with torch {html.escape(torch_version)} "
        f"on <code>{html.escape(device)}</code>."
    ]
    if runs:
        timings = ", ".join(
            f"<code>{html.escape(run.path.removeprefix('snippets/'))}</code> {run.seconds:.2f}&nbsp;s"
            + (" (cached)" if run.path in cached else "")
            for run in runs
        )
        parts.append(f"Run time of the code on this page: {timings}.")
    return " ".join(parts)
