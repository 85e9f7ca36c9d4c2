"""The glossary: glossary.yml read and checked, tooltips on every page where a term appears (the
first use of each term in each section: `FirstUses`), and the generated Glossary page.

Each entry names the page whose main path defines the term; there, the defining sentence has the
term in bold. The main path of a page is everything outside collapsed `??? ...` boxes. Pages are
read through their one scan (`sitegen.pagescan`): `words` gives a page's main-path prose with
link targets, value references, attribute lists and HTML left out, at the page's own offsets, so
that what `uses` and `definition` find can be named by its line. The teaching-order test and the
main-path benchmark read pages the same way."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as etree

import yaml
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

from sitegen.pagescan import Piece, ScannedPage
from sitegen.results import AuthorError

GLOSSARY_FILE = "glossary.yml"
GLOSSARY_URI = "glossary.md"
FIELDS = {"term": str, "page": str, "definition": str, "forms": list}
REQUIRED = ("term", "page", "definition")
HEADING_ID = re.compile(r"\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
# what prose holds that is not words: link targets, value references, attribute lists, HTML
NOT_WORDS = re.compile(
    r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # ](target "title")
    r"|\{\{.*?\}\}"  # {{ file.py:section name }}
    r"|\{\s*[#.:][^}]*\}"  # { #anchor } { .class }
    r"|<!--.*?-->"
    r"|<[^>\n]+>",
    re.DOTALL,
)


@dataclass(frozen=True)
class Entry:
    term: str
    page: str  # docs-relative: the page whose main path defines the term
    definition: str
    forms: tuple[str, ...] = ()
    line: int | None = None  # in glossary.yml

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.forms)

    @property
    def pattern(self) -> re.Pattern:
        """Any spelling as a whole word, in any case (longest first: "learning rate" before
        "learning"). Word boundaries are those of the tooltips (Python-Markdown's abbr)."""
        names = sorted(self.spellings, key=len, reverse=True)
        return re.compile(rf"\b(?:{'|'.join(re.escape(n) for n in names)})\b", re.IGNORECASE)

    @property
    def tooltip(self) -> str:
        """The definition as plain text on one line (a `title` attribute shows no Markdown)."""
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", self.definition)
        return " ".join(text.replace("`", "").replace("**", "").split())


# -- reading pages ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Words:
    """A stretch of a page's main-path prose: its offset in the page, and its text with what is
    not words blanked out (same length)."""

    start: int
    text: str


def words(scan: ScannedPage) -> list[Words]:
    """The page's main-path prose, code (fenced and inline) left out."""
    return [Words(piece.start, _words(piece)) for piece in scan.prose(main_path_only=True)]


def _words(piece: Piece) -> str:
    return NOT_WORDS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), piece.text)


def uses(entry: Entry, scan: ScannedPage) -> list[tuple[int, str]]:
    """(offset, as written) of every use of the term in the page's main-path prose."""
    return [
        (stretch.start + m.start(), m.group(0))
        for stretch in words(scan)
        for m in entry.pattern.finditer(stretch.text)
    ]


def definition(entry: Entry, scan: ScannedPage) -> tuple[int, int] | None:
    """(start, end) of the bold `**term**` (or a form) on the main path that defines the term."""
    names = "|".join(re.escape(n) for n in sorted(entry.spellings, key=len, reverse=True))
    bold = re.compile(rf"\*\*(?:{names})\*\*", re.IGNORECASE)
    for stretch in words(scan):
        if found := bold.search(stretch.text):
            return stretch.start + found.start(), stretch.start + found.end()
    return None


def heading_anchor(scan: ScannedPage, offset: int) -> tuple[str, str]:
    """(text, id) of the nearest section heading above `offset`; ("", "") above the first."""
    lines = scan.text.split("\n")
    above = [h for h in scan.headings if h.level > 1 and h.line < scan.line_at(offset)]
    if not above:
        return "", ""
    heading = above[-1]
    raw = lines[heading.line - scan.first_line].lstrip("#").strip()
    if match := HEADING_ID.search(raw):
        return raw[: match.start()].strip(), match["id"]
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    return raw, slugify(plain.replace("`", "").replace("*", ""), "-")


# -- reading glossary.yml -----------------------------------------------------------------------------
def load(root: Path, scans: dict[str, ScannedPage]) -> tuple[list[Entry], list[AuthorError]]:
    """The glossary's entries and what is wrong with them: a malformed entry, a duplicate term,
    a page that does not exist, a term its page does not define in bold on its main path.

    `scans` maps each docs-relative page to its scan. No glossary.yml: no entries."""
    path = root / GLOSSARY_FILE
    if not path.exists():
        return [], []
    try:
        node = yaml.compose(path.read_text())
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        return [], [AuthorError(GLOSSARY_FILE, None, f"not valid YAML: {error}")]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [AuthorError(GLOSSARY_FILE, None, "must be a list of entries (- term: ...)")]
    entries, errors = [], []
    seen: dict[str, str] = {}
    for index, item in enumerate(data):
        line = node.value[index].start_mark.line + 1
        entry, problem = _entry(item, line)
        if problem:
            errors.append(AuthorError(GLOSSARY_FILE, line, problem))
            continue
        taken = [s for s in entry.spellings if s.casefold() in seen]
        if taken:
            under = seen[taken[0].casefold()]
            message = f"{taken[0]!r} is already in the glossary (under {under!r})"
            errors.append(AuthorError(GLOSSARY_FILE, line, message))
            continue
        seen |= {spelling.casefold(): entry.term for spelling in entry.spellings}
        if entry.page not in scans:
            errors.append(
                AuthorError(
                    GLOSSARY_FILE, line, f"{entry.term!r}: {entry.page} is not a page under docs/"
                )
            )
        elif definition(entry, scans[entry.page]) is None:
            errors.append(
                AuthorError(
                    GLOSSARY_FILE,
                    line,
                    f"{entry.term!r} is not defined on {entry.page}: its main path has no "
                    f"**{entry.term}** (the term in bold in the sentence that defines it)",
                )
            )
        entries.append(entry)
    return entries, errors


def _entry(item, line: int) -> tuple[Entry | None, str | None]:
    if not isinstance(item, dict):
        return None, "an entry must be a mapping with term, page and definition"
    name = repr(item.get("term", f"entry at line {line}"))
    missing = [key for key in REQUIRED if key not in item]
    unknown = sorted(set(item) - set(FIELDS))
    if missing or unknown:
        return None, f"{name}: " + "; ".join(
            [f"missing {', '.join(missing)}"] * bool(missing)
            + [f"unknown key {', '.join(unknown)} (keys: {', '.join(FIELDS)})"] * bool(unknown)
        )
    for key, kind in FIELDS.items():
        if key in item and not isinstance(item[key], kind):
            return None, f"{name}: {key} must be a {kind.__name__}"
    forms = item.get("forms", [])
    if not all(isinstance(form, str) and form.strip() for form in forms):
        return None, f"{name}: forms must be a list of words"
    if not item["term"].strip() or not item["definition"].strip():
        return None, f"{name}: term and definition must not be empty"
    if "\n\n" in item["definition"].strip():
        return None, f"{name}: the definition must be one paragraph (one or two sentences)"
    return Entry(
        term=item["term"].strip(),
        page=item["page"].strip(),
        definition=" ".join(item["definition"].split()),
        forms=tuple(form.strip() for form in forms),
        line=line,
    ), None


# -- what the build makes of it -------------------------------------------------------------------------
def abbreviations(entries: Iterable[Entry], page: str) -> str:
    """Python-Markdown `abbr` lines to append to a page's Markdown: each spelling of each term
    (and its capitalised form, at the start of a sentence) gets its definition as a tooltip."""
    if page == GLOSSARY_URI:
        return ""  # the definitions are right there
    lines = []
    for entry in entries:
        for spelling in entry.spellings:
            for written in dict.fromkeys((spelling, spelling[0].upper() + spelling[1:])):
                lines.append(f"*[{written}]: {entry.tooltip}")
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def page_markdown(entries: Iterable[Entry], scans: dict[str, ScannedPage]) -> str:
    """The Glossary page: each term, its definition, and a link to where it is taught."""
    lines = [
        "---",
        "description: Every technical term the chapters use, each in a sentence or two, with a "
        "link to where it is taught.",
        "search:",
        "  boost: 0.5  # the chapters that teach a term come first",
        "---",
        "",
        "# Glossary",
        "",
        "Every technical term the chapters use, in a sentence or two, with a link to the place",
        "that teaches it. On every page, a term with a dotted underline shows this definition",
        "when you point at it (or tap it).",
        "",
    ]
    here = posixpath.dirname(GLOSSARY_URI)
    for entry in sorted(entries, key=lambda e: e.term.casefold()):
        scan = scans[entry.page]
        found = definition(entry, scan)
        heading, anchor = heading_anchor(scan, found[0]) if found else ("", "")
        title = scan.title or entry.page
        where = f"{title} › {heading}" if heading else title
        link = posixpath.relpath(entry.page, here or ".") + (f"#{anchor}" if anchor else "")
        also = f" (also: {', '.join(entry.forms)})" if entry.forms else ""
        lines += [f"## {entry.term}", "", f"{entry.definition}{also}", ""]
        lines += [f"Taught in [{where}]({link}).", ""]
    return "\n".join(lines)


# -- one tooltip per term and section ------------------------------------------------------------------
class FirstUses(Treeprocessor):
    """Keep a term's tooltip on its first use in each section (from one `h2` to the next) and
    unwrap the others, and those in headings: a page full of dotted underlines reads badly, and
    each tooltip is an element and a listener more for a phone to set up."""

    def run(self, root: etree.Element) -> None:
        seen: set[str] = set()
        for element, parent in list(_walk(root)):
            if element.tag == "h2":
                seen = set()
            if element.tag != "abbr" or parent is None:
                continue
            title = element.get("title", "")
            if title in seen or parent.tag in HEADINGS:
                _unwrap(element, parent)
            else:
                seen.add(title)


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _walk(element: etree.Element, parent: etree.Element | None = None):
    """Every element in document order, with its parent."""
    yield element, parent
    for child in element:
        yield from _walk(child, element)


def _unwrap(element: etree.Element, parent: etree.Element) -> None:
    """Replace an element by its text, joined to what comes before it."""
    index = list(parent).index(element)
    text = (element.text or "") + (element.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(element)


class GlossaryExtension(Extension):
    """One tooltip per term and section (the hooks add it to MkDocs' Markdown extensions)."""

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(FirstUses(md), "glossary_first_uses", 6)  # after abbr (7)
