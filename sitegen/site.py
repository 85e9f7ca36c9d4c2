"""One build of the site: run (or reuse) every source, check every page, and give each page its
outputs, figures and numbers. Everything wrong is reported at once, one line each."""

from __future__ import annotations

import datetime
import logging
import os
import posixpath
import re
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sitegen import diagrams, markdown, notebooks, render
from sitegen.bench_page import BENCH_URI, bench_markdown
from sitegen.cache import project_cache
from sitegen.errors_page import (
    ERRORS_URI,
    ErrorShown,
    error_index_markdown,
    file_under,
    load_explanations,
    messages,
)
from sitegen.helper_wheel import wheel
from sitegen.recording import recorded_results
from sitegen.reference import reference_pages
from sitegen.results import AuthorError, FileResult
from sitegen.runner import available_devices, run_sources, start_server
from sitegen.sources import Source, read_source

log = logging.getLogger("mkdocs.sitegen")


class BuildFailure(Exception):
    """Everything wrong with the sources and pages, one `path:line: message` per line."""

    def __init__(self, errors: list[AuthorError]):
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors)
        super().__init__(f"{len(errors)} problem{'s' * (len(errors) > 1)} in the sources:\n{lines}")


@dataclass(frozen=True)
class Place:
    """Where a page shows a section of a source."""

    page: str  # docs-relative page, e.g. "fundamentals.md"
    heading: str  # the nearest heading above it
    position: int  # its order on the page


class SiteBuild:
    """Runs the sources of one build and serves the pages their results."""

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        site_url: str = "http://127.0.0.1:8000/",
        repo_url: str | None = None,
        jobs: int | None = None,
    ):
        self.root = root  # the project: snippets/, ptx/ and build/ live here
        self.docs_dir = docs_dir
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.repo_url = repo_url
        self.jobs = jobs
        self.cache = project_cache(root)
        self.sources: dict[str, Source] = {}
        self.results: dict[str, FileResult] = {}
        self.cached: set[str] = set()
        self.shown: dict[tuple[str, str], list[Place]] = defaultdict(list)
        self.page_runs: dict[str, list[str]] = defaultdict(list)
        self._slots: dict[str, dict[str, str]] = defaultdict(dict)  # page -> marker -> html
        self._nonce = secrets.token_hex(4)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        today = (
            datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
            if epoch
            else datetime.datetime.now(datetime.UTC)
        )
        self.build_date = today.date().isoformat()
        try:
            self.torch_version = version("torch")
        except PackageNotFoundError:
            self.torch_version = "(not installed)"

    # -- running ------------------------------------------------------------------------------
    def prepare(self) -> list[Source]:
        """Read every source and find those whose cached result is stale; if any, start the fork
        server now, so that it imports torch while MkDocs gets ready. Returns the stale ones."""
        self.errors: list[AuthorError] = []
        for path in sorted((self.root / "snippets").rglob("*.py")):
            relative = path.relative_to(self.root).as_posix()
            try:
                self.sources[relative] = read_source(path, self.root)
            except AuthorError as error:
                self.errors.append(error)
        self.stale = []
        for source in self.sources.values():
            if source.needs is not None:
                continue
            result = self.cache.load(source)
            if result is None:
                self.stale.append(source)
            else:
                self.results[source.relative] = result
                self.cached.add(source.relative)
        # the longest first, so no core waits on one long file at the end (by the last run's
        # time; with none, the longest text: the notebooks)
        self.stale.sort(key=lambda s: (self.cache.last_seconds(s), len(s.text)), reverse=True)
        if self.stale:
            start_server()
        return self.stale

    def run(self) -> dict[str, str | bytes]:
        """Run every stale source and check every page; raise one BuildFailure for all that is
        wrong. Returns the generated files: {docs-relative uri: content}."""
        if not hasattr(self, "stale"):
            self.prepare()
        errors, stale = self.errors, self.stale
        self.wheel_name, self.wheel_bytes = wheel(self.root)
        self.generated_pages = {
            notebooks.page_uri(source): notebooks.page_markdown(source, self._actions(source))
            for source in self.notebook_sources()
        }
        recorded, recording_errors = recorded_results(self.root, list(self.sources.values()))
        self.results |= recorded
        errors += recording_errors
        runnable = [s for s in self.sources.values() if s.needs is None]
        device_errors = self._check_device() if stale else []
        errors += device_errors
        if stale and not device_errors:
            started = time.perf_counter()
            outcomes = run_sources(stale, self.root, self.jobs, on_done=self._ran)
            log.info(
                f"sitegen: ran {len(stale)} of {len(runnable)} files in "
                f"{time.perf_counter() - started:.2f} s ({len(self.cached)} cached)"
            )
            for source in stale:
                outcome = outcomes[source.relative]
                if isinstance(outcome, AuthorError):
                    errors.append(outcome)
                else:
                    self.cache.store(source, outcome)
                    self.results[source.relative] = outcome
        elif not stale:
            log.info(f"sitegen: all {len(runnable)} files cached")
        self.cache.prune({s.relative for s in runnable})
        if not errors:
            errors += self.check_pages(self.generated_pages)
        if not errors:
            try:
                self.explanations = load_explanations(self.root)
                errors += file_under(self.explanations, self.errors_shown())
            except AuthorError as error:
                errors.append(error)
        if errors:
            raise BuildFailure(errors)
        return self._generated()

    def _ran(self, source: Source, outcome) -> None:
        if isinstance(outcome, FileResult):
            log.info(f"sitegen: ran    {source.relative} in {outcome.seconds:.2f} s")

    def _check_device(self) -> list[AuthorError]:
        wanted = os.environ.get("PTX_DEVICE", "").strip().lower()
        available = available_devices() if wanted else []
        if wanted and wanted not in available:
            return [
                AuthorError(
                    "PTX_DEVICE",
                    None,
                    f"{wanted!r} is not a device this machine has; unset it or use one of: "
                    f"{', '.join(available)}",
                )
            ]
        return []

    @property
    def device(self) -> str:
        """The device most of this build's results ran on."""
        devices = [r.device for r in self.results.values() if not r.recorded]
        return max(set(devices), key=devices.count) if devices else "cpu"

    # -- pages ----------------------------------------------------------------------------------
    def page_sources(self, extra_pages: dict[str, str]) -> dict[str, str]:
        pages = {
            page.relative_to(self.docs_dir).as_posix(): page.read_text()
            for page in sorted(self.docs_dir.rglob("*.md"))
        }
        return pages | extra_pages

    def check_pages(self, extra_pages: dict[str, str]) -> list[AuthorError]:
        """Every include and value reference resolves; every section is shown once, in file order."""
        errors = []
        self.shown.clear()
        for page, text in self.page_sources(extra_pages).items():
            for position, include in enumerate(markdown.includes(text)):
                where = f"docs/{page}" if page in extra_pages else f"docs/{page}"
                source = self.sources.get(include.path)
                if source is None:
                    errors.append(
                        AuthorError(
                            where,
                            include.line,
                            f"includes {include.path}, which is not a file under snippets/",
                        )
                    )
                    continue
                name = self._section_name(source, include.section)
                if name is None:
                    errors.append(
                        AuthorError(
                            where,
                            include.line,
                            f"includes {include.path}:{include.section}, which has no such section",
                        )
                    )
                    continue
                self.shown[(include.path, name)].append(Place(page, include.heading, position))
            for line, reason in diagrams.diagram_problems(text):
                errors.append(AuthorError(f"docs/{page}", line, f"diagram: {reason}"))
            for match in markdown.SITE_REF.finditer(text):
                try:
                    self.site_value(match["name"])
                except AuthorError as error:
                    line = text.count("\n", 0, match.start()) + 1
                    errors.append(AuthorError(f"docs/{page}", line, error.message))
            for match, line in _refs_with_lines(text):
                try:
                    self.value(match["file"], match["section"], match["name"])
                except KeyError as error:
                    errors.append(
                        AuthorError(f"docs/{page}", line, f"{match.group(0)}: {error.args[0]}")
                    )
        for source in self.sources.values():
            names = [s.name for s in source.code_sections]
            places = [self.shown.get((source.relative, name), []) for name in names]
            missing = [name for name, where in zip(names, places, strict=True) if not where]
            if missing:
                errors.append(
                    AuthorError(source.relative, None, f"sections never shown on a page: {missing}")
                )
                continue
            pages = {where[0].page for where in places}
            order = [where[0].position for where in places]
            if len(pages) > 1:
                errors.append(
                    AuthorError(
                        source.relative,
                        None,
                        f"sections are spread over several pages {sorted(pages)}",
                    )
                )
            elif order != sorted(order):
                errors.append(
                    AuthorError(
                        source.relative, None, f"sections are included out of file order ({names})"
                    )
                )
        return errors

    @staticmethod
    def _section_name(source: Source, section: str) -> str | None:
        """The section an include shows: a section by name, or a notebook cell by its line range."""
        if source.kind == "notebook":
            first = section.split(":")[0]
            return next(
                (
                    u.name
                    for u in source.code_sections
                    if first.isdigit() and u.first_line == int(first)
                ),
                None,
            )
        return section if any(u.name == section for u in source.code_sections) else None

    def value(self, file: str, section: str | None, name: str):
        """A plain value a run left behind: after `section`, or at the end of the file."""
        path = f"snippets/{file}"
        result = self.results.get(path)
        if result is None:
            raise KeyError(f"{path} is not a file the build ran")
        values = result.final_values if section is None else result.section(section).values
        if name not in values:
            raise KeyError(f"{name!r} is not a number or short string there")
        return values[name]

    def page_markdown(self, text: str, page: str) -> str:
        """Fill in the numbers, label continued blocks, and mark where each output goes."""
        text = diagrams.render_diagrams(text, lambda svg: self.add_html(page, svg))
        text = markdown.SITE_REF.sub(lambda match: self.site_value(match["name"]), text)
        text = markdown.in_prose(text, markdown.VALUE_REF, lambda match: self._formatted(match))
        found = markdown.includes(text)
        counts = defaultdict(int)
        for include in found:
            counts[include.path] += 1
        seen = defaultdict(int)
        pieces, last = [], 0
        for include in found:
            source = self.sources[include.path]
            section_name = self._section_name(source, include.section)
            seen[include.path] += 1
            fence = text[include.start : include.end]
            before = ""
            if source.kind == "snippet" and seen[include.path] == 1:
                link = posixpath.relpath(source.relative, url_dir(page))
                blocks = counts[include.path]
                caption = (
                    f'<p class="ptx-source">From <a href="{link}"><code>'
                    f"{source.relative.removeprefix('snippets/')}</code></a>"
                    + (f": {blocks} blocks, to run in order in one Python" if blocks > 1 else "")
                    + "</p>"
                )
                before = f"{include.indent}{self.add_html(page, caption)}\n\n"  # the fence has its indent
            elif include.title and seen[include.path] > 1:
                fence = fence.replace(
                    f'title="{include.title}"', f'title="{include.title} (continued)"', 1
                )
            end = markdown.after_annotations(text, include.end, include.indent)
            pieces.append(text[last : include.start] + before + fence + text[include.end : end])
            html = self._output(source, section_name, page)
            if html:
                marker = self.add_html(page, html)
                pieces.append(f"\n\n{include.indent}{marker}\n")
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def _output(self, source: Source, section_name: str, page: str) -> str:
        if source.needs is not None and source.relative not in self.results:
            return render.not_run_html(source.needs)
        result = self.results[source.relative]
        if source.relative not in self.page_runs[page]:
            self.page_runs[page].append(source.relative)
        provenance = ""
        if result.recorded:
            provenance = render.recorded_label(result.recorded, pinned_torch=self.pinned("torch"))
        return render.output_html(
            source.relative, result.section(section_name), url_dir(page), provenance, source.needs
        )

    def site_value(self, name: str) -> str:
        """What `{{ site:name }}` stands for on a page (in code blocks too: they are commands)."""
        if name == "install_helper":
            return self._install_helper()
        values = {
            "site_url": self.site_url,
            "wheel_url": self.wheel_url,
            "wheel_name": self.wheel_name,
            "helper": self.helper_distribution,
            "torch": self.pinned("torch"),
            "repo_url": self.repo_url or "",
        }
        if name not in values:
            raise AuthorError("docs", None, f"{{{{ site:{name} }}}} is not a site value")
        return values[name]

    @property
    def helper_distribution(self) -> str:
        import tomllib

        return tomllib.loads((self.root / "pyproject.toml").read_text())["project"]["name"]

    def pinned(self, name: str) -> str:
        """The version the lock file pins for a package."""
        for line in (self.root / "constraints.txt").read_text().splitlines():
            if line.lower().startswith(f"{name}=="):
                return line.split("==", 1)[1].strip()
        raise AuthorError("constraints.txt", None, f"{name} is not pinned")

    def _install_helper(self) -> str:
        """Where the site has a source repository: installing the helper from it instead."""
        if not self.repo_url:
            return ""
        return (
            "The helper package can also be installed from the site's source repository; it is "
            "the same package:\n\n```shell\n"
            f'pip install "{self.helper_distribution} @ git+{self.repo_url.rstrip("/")}"\n```'
        )

    def _formatted(self, match) -> str:
        value = self.value(match["file"], match["section"], match["name"])
        spec = match["format"] or ""
        text = format(value, spec)
        where = f"{match['file']}:{match['section']}" if match["section"] else match["file"]
        return f'<span class="ptx-value" data-source="{where} {match["name"]}">{text}</span>'

    def add_html(self, page: str, html: str) -> str:
        """A marker paragraph to put in a page's Markdown; `page_html` puts `html` in its place."""
        marker = f"ptxslot{self._nonce}x{len(self._slots[page])}"
        self._slots[page][marker] = html
        return marker

    def page_html(self, html: str, page: str) -> tuple[str, set[str]]:
        """Put each marked output in its place; the page's HTML and the ids the outputs add."""
        html = render.slim_code(render.static_callouts(html))
        anchors = set()
        for marker, block in self._slots.pop(page, {}).items():
            wrapped = f"<p>{marker}</p>"
            if wrapped not in html:
                raise AuthorError(
                    f"docs/{page}",
                    None,
                    "an output's place was lost in the Markdown (an include inside an unclosed block?)",
                )
            html = html.replace(wrapped, block)
            anchors |= set(re.findall(r'\bid="([^"]+)"', block))
        return html, anchors

    def provenance(self, page: str) -> str:
        runs = [self.results[p] for p in self.page_runs.get(page, [])]
        return render.provenance_html(
            self.build_date, self.torch_version, self.device, runs, self.cached
        )

    # -- generated files --------------------------------------------------------------------------
    def figures(self):
        """(docs-relative uri, bytes) of every figure of every result."""
        for path, result in self.results.items():
            for section in result.sections:
                for index, figure in enumerate(section.figures, start=1):
                    yield render.figure_uri(path, section.name, index, figure.suffix), figure.data

    def notebook_sources(self) -> list[Source]:
        return [s for s in self.sources.values() if s.kind == "notebook"]

    @property
    def wheel_url(self) -> str:
        return f"{self.site_url}downloads/{self.wheel_name}"

    def _actions(self, source: Source) -> str:
        """The buttons at the top of a notebook's page: the two downloads, and Colab."""
        here = posixpath.dirname(notebooks.page_uri(source))
        solved, blank = (
            posixpath.relpath(notebooks.download_uri(source, b), here) for b in (False, True)
        )
        buttons = [
            f'[Download the exercises (.ipynb)]({blank}){{ .md-button .md-button--primary download="{blank}" }}',
            f'[Download with solutions and outputs (.ipynb)]({solved}){{ .md-button download="{solved}" }}',
        ]
        if colab := self._colab_url(source):
            buttons.append(f"[Open in Colab]({colab}){{ .md-button }}")
        run = posixpath.relpath("run.md", here)
        return (
            " ".join(buttons) + "\n\nThe first cell of each installs what the notebook needs if it "
            f"is missing; [Run it yourself]({run}) has the rest."
        )

    def _colab_url(self, source: Source) -> str | None:
        """Colab opens notebooks from GitHub: the published ones live on the `notebooks` branch."""
        if not self.repo_url or "github.com/" not in self.repo_url:
            return None
        repository = self.repo_url.rstrip("/").split("github.com/", 1)[1].removesuffix(".git")
        return (
            f"https://colab.research.google.com/github/{repository}/blob/notebooks/"
            f"{notebooks.download_uri(source)}"
        )

    def _generated(self) -> dict[str, str | bytes]:
        files: dict[str, str | bytes] = dict(self.figures())
        files |= self.generated_pages
        for source in self.notebook_sources():
            result = self.results[source.relative]
            for blank in (False, True):
                files[notebooks.download_uri(source, blank)] = notebooks.notebook(
                    source, result, self.site_url, self.wheel_url, blank
                )
        for relative, source in self.sources.items():
            files[relative] = source.text  # each snippet, whole, to open or download
        files[f"downloads/{self.wheel_name}"] = self.wheel_bytes
        files[ERRORS_URI] = error_index_markdown(
            self.explanations, self.torch_version, lambda html: self.add_html(ERRORS_URI, html)
        )
        files[BENCH_URI] = bench_markdown(self.root)
        files |= reference_pages(self.root)
        return files

    def errors_shown(self) -> list[ErrorShown]:
        """Every error and warning a page shows, with the first place that shows it."""
        shown = []
        pages = self.page_sources(self.generated_pages)
        for path, result in sorted(self.results.items()):
            for section in result.sections:
                places = self.shown.get((path, section.name), [])
                if not places:
                    continue
                place = places[0]
                title = markdown.first_heading(pages[place.page]) or place.page
                where = f"{title} › {place.heading}" if place.heading else title
                link = posixpath.relpath(place.page, posixpath.dirname(ERRORS_URI) or ".")
                anchor = render.anchor_id(path, section.name)
                for kind, message in messages(result, section.name):
                    shown.append(ErrorShown(kind, message, f"{link}#{anchor}", where))
        return shown


def url_dir(page: str) -> str:
    """The folder a page is served from (directory URLs): the base of the links in the HTML the
    build puts on it. 'classification/binary.md' -> 'classification/binary', 'index.md' -> '.'"""
    if page == "index.md" or page.endswith("/index.md"):
        return posixpath.dirname(page) or "."
    return page.removesuffix(".md")


def _refs_with_lines(text: str):
    """Each value reference in the prose, with its line on the page."""
    offset = 0
    for is_prose, piece in markdown.prose_pieces(text):
        if is_prose:
            for match in markdown.VALUE_REF.finditer(piece):
                yield match, text.count("\n", 0, offset + match.start()) + 1
        offset += len(piece)
