"""The checks of the pages against the sources: every include names a section that exists, every
section of a source is shown once, on one page, in file order, every reference resolves, every
diagram is well formed. Each problem is an AuthorError naming the page and line; all are found in
one pass, so the build reports them together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sitegen import diagrams
from sitegen.pagescan import Include, ScannedPage
from sitegen.render import anchor_id
from sitegen.results import AuthorError
from sitegen.sources import Source


@dataclass(frozen=True)
class Place:
    """Where a page shows a section of a source."""

    page: str  # docs-relative page, e.g. "fundamentals.md"
    heading: str  # the nearest heading above it
    position: int  # its order on the page


@dataclass
class PageChecks:
    """What the checks found: the problems, where each section is shown, the parsed diagrams."""

    errors: list[AuthorError]
    shown: dict[tuple[str, str], list[Place]]  # (source path, section) -> places
    diagrams: dict[tuple[str, int], diagrams.Diagram]  # (page, fence offset) -> diagram


def section_shown(source: Source, include: Include) -> str | None:
    """The section an include shows: a section by name, or a notebook cell by its line range."""
    if source.kind == "notebook":
        first = include.section.split(":")[0]
        return next(
            (
                s.name
                for s in source.code_sections
                if first.isdigit() and s.first_line == int(first)
            ),
            None,
        )
    names = {s.name for s in source.code_sections}
    return include.section if include.section in names else None


def check_pages(
    pages: Iterable[ScannedPage],
    sources: dict[str, Source],
    value: Callable[[str, str | None, str], object],
    site_value: Callable[[str], str],
    failed: set[str],
) -> PageChecks:
    """Check every page against the sources. `value(file, section, name)` looks a run's value up
    (KeyError if there is none); references into a file in `failed` (which did not run) are not
    reported again."""
    found = PageChecks([], defaultdict(list), {})
    for page in pages:
        where = f"docs/{page.uri}"
        _check_includes(page, where, sources, found)
        _check_diagrams(page, where, found)
        _check_references(page, where, value, site_value, failed, found)
    found.errors += _check_sections_shown(sources, found.shown)
    found.errors += _check_anchors(sources)
    return found


def _check_includes(
    page: ScannedPage, where: str, sources: dict[str, Source], found: PageChecks
) -> None:
    for position, include in enumerate(page.includes):
        source = sources.get(include.path)
        if source is None:
            problem = f"includes {include.path}, which is not a file under snippets/"
        elif (name := section_shown(source, include)) is None:
            problem = f"includes {include.path}:{include.section}, which has no such section"
        else:
            found.shown[(include.path, name)].append(Place(page.uri, include.heading, position))
            continue
        found.errors.append(AuthorError(where, include.line, problem))


def _check_diagrams(page: ScannedPage, where: str, found: PageChecks) -> None:
    for fence in page.diagrams:
        try:
            found.diagrams[(page.uri, fence.start)] = diagrams.parse(fence.body, fence.line + 1)
        except diagrams.DiagramError as error:
            found.errors.append(AuthorError(where, error.line, f"diagram: {error.reason}"))


def _check_references(
    page: ScannedPage,
    where: str,
    value: Callable[[str, str | None, str], object],
    site_value: Callable[[str], str],
    failed: set[str],
    found: PageChecks,
) -> None:
    for ref in page.site_refs:
        try:
            site_value(ref.name)
        except AuthorError as error:
            found.errors.append(AuthorError(where, ref.line, error.message))
    heading_lines = {heading.line for heading in page.headings}
    for ref in page.value_refs:
        if ref.line in heading_lines:
            found.errors.append(
                AuthorError(where, ref.line, f"{ref.text} in a heading: put the number in the text")
            )
            continue
        if f"snippets/{ref.file}" in failed:
            continue  # the file's own error says why
        try:
            value(ref.file, ref.section, ref.name)
        except KeyError as error:
            found.errors.append(AuthorError(where, ref.line, f"{ref.text}: {error.args[0]}"))


def _check_sections_shown(
    sources: dict[str, Source], shown: dict[tuple[str, str], list[Place]]
) -> list[AuthorError]:
    """Each source's sections are all shown, on one page, in file order."""
    errors = []
    for source in sources.values():
        names = [s.name for s in source.code_sections]
        places = [shown.get((source.relative, name), []) for name in names]
        missing = [name for name, where in zip(names, places, strict=True) if not where]
        pages = {where[0].page for where in places if where}
        order = [where[0].position for where in places if where]
        if missing:
            problem = f"sections never shown on a page: {missing}"
        elif len(pages) > 1:
            problem = f"sections are spread over several pages {sorted(pages)}"
        elif order != sorted(order):
            problem = f"sections are included out of file order ({names})"
        else:
            continue
        errors.append(AuthorError(source.relative, None, problem))
    return errors


def _check_anchors(sources: dict[str, Source]) -> list[AuthorError]:
    """Each section's output has an id of its own on the site (the Error index links to it)."""
    owners: dict[str, str] = {}
    errors = []
    for source in sources.values():
        for section in source.code_sections:
            anchor = anchor_id(source.relative, section.name)
            if anchor in owners:
                errors.append(
                    AuthorError(
                        source.relative,
                        section.first_line,
                        f"section {section.name!r} gets the page id {anchor!r}, as "
                        f"{owners[anchor]} does: rename one",
                    )
                )
            owners.setdefault(anchor, f"{source.relative}:{section.name}")
    return errors
