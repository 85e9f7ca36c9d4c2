"""The generated Error index: every error and warning the pages show, grouped by the message as a
learner would paste it, each group with its cause, its fix, and links to where it is shown.

The messages come from the runs (never typed); their explanations from errors.yml."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sitegen.results import AuthorError, FileResult

ERRORS_URI = "errors.md"
EXPLANATIONS = "errors.yml"

INTRO = """\
---
description: Every PyTorch error and warning this site shows, as torch {torch} raised it, with its cause, its fix in one line, and where it is explained.
search:
  boost: 0.5
---

# Error index

Every error and warning these pages show, exactly as torch {torch} and its libraries raised them
when the site was built, grouped by the message you would paste into a search box. Search for any
distinctive part of yours (`mat1 and mat2`, `same device`, `requires grad`), or find it below:
each has its cause, its fix in one line, and links to the place that shows it happening.
"""


@dataclass(frozen=True)
class ErrorShown:
    """An error or warning a page shows, and where."""

    kind: str  # "RuntimeError", "UserWarning"
    message: str
    link: str  # docs-relative page with the output's anchor
    where: str  # "Page title › heading"

    @property
    def text(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class Explanation:
    title: str
    match: list[str]
    cause: str
    fix: str
    note: str = ""
    recorded: str | None = None  # its messages come from a recorded run on this device
    see: str | None = None  # where the page shows it, while no recording exists
    shown: list[ErrorShown] = field(default_factory=list)


def messages(result: FileResult, section: str) -> list[tuple[str, str]]:
    """The (type, message) of a section's declared error and of each warning it issued (the
    run records real warnings: a line a snippet prints that looks like one is not filed)."""
    found = result.section(section)
    shown = list(found.warnings)
    if found.error:
        shown.append(found.error)
    return shown


def load_explanations(root: Path) -> list[Explanation]:
    data = (
        yaml.safe_load((root / EXPLANATIONS).read_text()) if (root / EXPLANATIONS).exists() else []
    )
    try:
        return [Explanation(**entry) for entry in data or []]
    except TypeError as error:
        raise AuthorError(
            EXPLANATIONS, None, f"an entry does not fit the format: {error}"
        ) from None


def file_under(explanations: list[Explanation], shown: list[ErrorShown]) -> list[AuthorError]:
    """Put each message under its explanation; what is left unexplained, or explains nothing."""
    errors = []
    for item in shown:
        home = next((e for e in explanations if any(m in item.text for m in e.match)), None)
        if home is None:
            errors.append(
                AuthorError(
                    EXPLANATIONS,
                    None,
                    f"no entry explains {item.text.splitlines()[0][:100]!r} (shown in {item.where})",
                )
            )
        else:
            home.shown.append(item)
    for explanation in explanations:
        if not explanation.shown and not explanation.recorded:
            errors.append(
                AuthorError(
                    EXPLANATIONS, None, f"{explanation.title!r} explains no message a page shows"
                )
            )
    return errors


def error_index_markdown(
    explanations: list[Explanation], torch_version: str, html_slot: Callable[[str], str]
) -> str:
    """The page. The messages go in through `html_slot` (a marker the build replaces with the
    HTML after Markdown has run), so no message is ever read as Markdown."""
    lines = [INTRO.format(torch=torch_version)]
    for explanation in explanations:
        lines.append(f"## {_heading(explanation.title)}\n")
        texts = list(dict.fromkeys(item.text for item in explanation.shown))
        for text in texts:
            block = (
                '<div class="language-text highlight ptx-error-message"><pre><span></span>'
                f'<code tabindex="0">{html.escape(text)}</code></pre></div>'
            )
            places = {i.where: i.link for i in reversed(explanation.shown) if i.text == text}
            links = [f"[{where}]({link})" for where, link in reversed(places.items())]
            lines.append(html_slot(block) + "\n")
            lines.append(f"Shown in {', '.join(links)}.\n")
        if not explanation.shown:
            lines.append(
                f"This message comes from a run on a device this site's build machine does not "
                f"have ({explanation.recorded}); no such run has been recorded yet. The code that "
                f"raises it is shown [here]({explanation.see}).\n"
            )
        lines.append(f"**Cause.** {explanation.cause}\n")
        lines.append(f"**Fix.** `{explanation.fix}`\n")
        if explanation.note:
            lines.append(f"{explanation.note}\n")
    return "\n".join(lines)


def _heading(title: str) -> str:
    """A heading that Markdown reads as text: no emphasis from `*`, no code from backticks (a
    backslash escapes those), no tag from `<` (an entity: Markdown leaves `\\<` as it is)."""
    escaped = re.sub(r"([\\`*_\[\]#])", r"\\\1", title)
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
