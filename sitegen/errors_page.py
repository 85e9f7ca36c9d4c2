"""The generated Error index: every error the site demonstrates, linked to where it is explained."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from sitegen import render

if TYPE_CHECKING:
    from sitegen.site import SiteBuild

ERRORS_URI = "errors.md"

INTRO = """\
# Error index

Every error this site demonstrates, exactly as torch {torch} raised it when this site was built.
Paste the message you got into the search box, or find it below, and follow the link to the place
that explains it.
"""


def error_index_markdown(build: SiteBuild) -> str:
    """Group the error demonstrations by exception type, each with its message and a link."""
    entries = []
    for path, result in sorted(build.results.items()):
        for section in result.sections:
            if not section.error:
                continue
            for include in build.includes.get((path, section.name), [])[:1]:
                kind, message = section.error
                link = posixpath.relpath(include.page, posixpath.dirname(ERRORS_URI) or ".")
                anchor = render.anchor_id(path, section.name)
                title = _page_title(build, include.page)
                where = f"{title} › {include.heading}" if include.heading else title
                entries.append((kind, message, f"{link}#{anchor}", where))
    lines = [INTRO.format(torch=build.torch_version)]
    if not entries:
        lines.append("No page demonstrates an error yet.\n")
    for kind in sorted({entry[0] for entry in entries}):
        lines.append(f"## {kind}\n")
        for _, message, target, where in sorted(e for e in entries if e[0] == kind):
            fence = render.fence_for(message)
            lines.append(f"{fence} {{ .text .ptx-error-message }}\n{kind}: {message}\n{fence}\n")
            lines.append(f"Explained in [{where}]({target}).\n")
    return "\n".join(lines)


def _page_title(build: SiteBuild, page: str) -> str:
    text = (build.docs_dir / page).read_text()
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.removesuffix(".md")
