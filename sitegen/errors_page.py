"""The generated Error index: every error the site demonstrates, linked to where it is shown."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

ERRORS_URI = "errors.md"

INTRO = """\
# Error index

Every error this site demonstrates, exactly as torch {torch} raised it when this site was built.
Paste the message you got into the search box, or find it below, and follow the link to the place
that explains it.
"""


@dataclass(frozen=True)
class ErrorShown:
    """An error demonstration and the place that shows it."""

    kind: str  # the exception type, e.g. "RuntimeError"
    message: str
    link: str  # relative to the error index, with the output's anchor
    where: str  # "Page title › heading"


def error_index_markdown(
    errors: list[ErrorShown], torch_version: str, html_slot: Callable[[str], str]
) -> str:
    """Group the demonstrations by exception type, each with its message and a link.

    The messages go in through `html_slot` (a marker the build replaces with the HTML after
    Markdown has run), so no message is ever read as Markdown.
    """
    lines = [INTRO.format(torch=torch_version)]
    if not errors:
        lines.append("No page demonstrates an error yet.\n")
    for kind in sorted({error.kind for error in errors}):
        lines.append(f"## {kind}\n")
        for error in sorted((e for e in errors if e.kind == kind), key=lambda e: e.message):
            message = html.escape(f"{error.kind}: {error.message}")
            block = (
                '<div class="language-text highlight ptx-error-message"><pre><span></span>'
                f"<code>{message}</code></pre></div>"
            )
            lines.append(html_slot(block) + "\n")
            lines.append(f"Shown in [{error.where}]({error.link}).\n")
    return "\n".join(lines)
