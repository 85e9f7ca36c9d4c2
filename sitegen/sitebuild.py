"""One build of the site: run (or reuse) every source, check every page, and give each page its
outputs, figures and numbers. Everything wrong is reported at once, one line each.

The work itself is done by modules with one job each: `sources`, `runner` and `cache` run the
snippets, `pagescan` reads each page once, `page_checks` checks the pages against the sources,
`page_rewrite` fills them in, `render` turns results into HTML, `site_facts` says what the pages
quote about the build, and the generated pages have modules of their own."""

from __future__ import annotations

import logging
import os
import posixpath
import time
from collections import defaultdict
from pathlib import Path

from sitegen import glossary, notebooks, offscreen, pagescan, render
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
from sitegen.notebook_buttons import actions
from sitegen.page_checks import PageChecks, check_pages, section_shown
from sitegen.page_rewrite import Slots, rewrite, source_caption, url_dir, value_span
from sitegen.pagescan import Include, Reference, ScannedPage
from sitegen.recording import recorded_results
from sitegen.reference import reference_pages
from sitegen.results import AuthorError, FileResult
from sitegen.runner import available_devices, run_sources, start_server
from sitegen.settings import SETTINGS
from sitegen.site_facts import SiteFacts
from sitegen.sources import Source, read_source

log = logging.getLogger("mkdocs.sitegen")


class BuildFailure(Exception):
    """Everything wrong with the sources and pages, one `path:line: message` per line."""

    def __init__(self, errors: list[AuthorError]):
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors)
        super().__init__(f"{len(errors)} problem{'s' * (len(errors) > 1)} in the sources:\n{lines}")


class SiteBuild:
    """Runs the sources of one build and serves the pages their results."""

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        site_url: str = "http://127.0.0.1:8000/",
        repo_url: str | None = None,
    ):
        self.root = root  # the project: snippets/, ptx/ and build/ live here
        self.docs_dir = docs_dir
        self.cache = project_cache(root)
        self.sources: dict[str, Source] = {}
        self.results: dict[str, FileResult] = {}
        self.cached: set[str] = set()
        self.scans: dict[str, ScannedPage] = {}  # docs-relative page -> its one scan
        self.facts = SiteFacts.read(root, site_url, repo_url)
        self.facts.scans, self.facts.sources = self.scans, self.sources  # filled as they are read
        self.checks = PageChecks([], {}, {})
        self.page_runs: dict[str, list[str]] = defaultdict(list)
        self.slots = Slots()
        self.glossary: list[glossary.Entry] = []

    @property
    def site_url(self) -> str:
        return self.facts.site_url

    # -- running ------------------------------------------------------------------------------
    def prepare(self) -> list[Source]:
        """Read every source and find those whose cached result is stale; if any, start the fork
        server now, so that it imports torch while MkDocs gets ready. Returns the stale ones."""
        self.errors: list[AuthorError] = []
        snippets = self.root / SETTINGS.snippets_dir
        for path in sorted(snippets.rglob("*.py")):
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
        errors = list(self.errors)
        self.generated_pages = {
            notebooks.page_uri(source): notebooks.page_markdown(
                source, actions(source, self.facts.repo_url)
            )
            for source in self.notebook_sources()
        }
        recorded, recording_errors = recorded_results(self.root, list(self.sources.values()))
        self.results |= recorded
        errors += recording_errors
        errors += self._run_stale()
        self.cache.prune({s.relative for s in self.sources.values() if s.needs is None})
        self._scan_pages()
        failed = {e.path for e in errors} | {
            path for path, s in self.sources.items() if s.needs is None and path not in self.results
        }
        self.checks = check_pages(
            self.scans.values(), self.sources, self.value, self.facts.value, failed
        )
        errors += self.checks.errors
        if not errors:
            try:
                self.explanations = load_explanations(self.root)
                errors += file_under(self.explanations, self.errors_shown())
            except AuthorError as error:
                errors.append(error)
        if not errors:
            self.glossary, problems = glossary.load(self.root, self.scans)
            errors += problems
        if errors:
            raise BuildFailure(errors)
        return self._generated()

    def _run_stale(self) -> list[AuthorError]:
        stale, runnable = self.stale, [s for s in self.sources.values() if s.needs is None]
        if not stale:
            log.info(f"sitegen: all {len(runnable)} files cached")
            return []
        if device_error := self._check_device():
            return [device_error]
        started = time.perf_counter()
        outcomes = run_sources(stale, self.root, on_done=self._ran)
        log.info(
            f"sitegen: ran {len(stale)} of {len(runnable)} files in "
            f"{time.perf_counter() - started:.2f} s ({len(self.cached)} cached)"
        )
        errors = []
        for source in stale:
            outcome = outcomes[source.relative]
            if isinstance(outcome, AuthorError):
                errors.append(outcome)
            else:
                self.cache.store(source, outcome)
                self.results[source.relative] = outcome
        return errors

    def _ran(self, source: Source, outcome) -> None:
        if isinstance(outcome, FileResult):
            log.info(f"sitegen: ran    {source.relative} in {outcome.seconds:.2f} s")

    def _check_device(self) -> AuthorError | None:
        wanted = os.environ.get("PTX_DEVICE", "").strip().lower()
        available = available_devices() if wanted else []
        if wanted and wanted not in available:
            return AuthorError(
                "PTX_DEVICE",
                None,
                f"{wanted!r} is not a device this machine has; unset it or use one of: "
                f"{', '.join(available)}",
            )
        return None

    @property
    def device(self) -> str:
        """The device most of this build's results ran on."""
        devices = [r.device for r in self.results.values() if not r.recorded]
        return max(set(devices), key=devices.count) if devices else "cpu"

    # -- pages ----------------------------------------------------------------------------------
    def _scan_pages(self) -> None:
        """Read each page once, as MkDocs will hand it over (front matter removed)."""
        pages = {
            path.relative_to(self.docs_dir).as_posix(): path.read_text(
                encoding="utf-8-sig"
            )  # as MkDocs reads it
            for path in sorted(self.docs_dir.rglob("*.md"))
        }
        for uri, text in (pages | self.generated_pages).items():
            self.scans[uri] = pagescan.scan_page(text, uri)

    def notebook_sources(self) -> list[Source]:
        return [s for s in self.sources.values() if s.kind == "notebook"]

    def value(self, file: str, section: str | None, name: str):
        """A plain value a run left behind: after `section`, or at the end of the file."""
        path = f"{SETTINGS.snippets_dir}/{file}"
        result = self.results.get(path)
        if result is None:
            raise KeyError(f"{path} is not a file the build ran")
        values = result.final_values if section is None else result.section(section).values
        if name not in values:
            raise KeyError(f"{name!r} is not a number or short string there")
        return values[name]

    def page_markdown(self, text: str, page: str) -> str:
        """Fill in the numbers, label continued blocks, and mark where each output goes."""
        scan = self.scans.get(page)
        if scan is None or scan.text != text:  # a page generated after the checks
            scan = self.scans[page] = pagescan.scan(text, page)

        def value_html(ref: Reference) -> str:
            return value_span(ref, self.value(ref.file, ref.section, ref.name))

        def include_parts(include: Include, nth: int, count: int) -> tuple[str, str]:
            source = self.sources[include.path]
            above = (
                source_caption(source.relative, page, count)
                if source.kind == "snippet" and nth == 1
                else ""
            )
            return above, self._output(source, section_shown(source, include), page)

        return rewrite(
            scan, self.slots, self.facts.value, value_html, include_parts, self.checks.diagrams
        )

    def _output(self, source: Source, section_name: str, page: str) -> str:
        if source.needs is not None and source.relative not in self.results:
            return render.not_run_html(source.needs)
        result = self.results[source.relative]
        if source.relative not in self.page_runs[page]:
            self.page_runs[page].append(source.relative)
        provenance = ""
        if result.recorded:
            provenance = render.recorded_label(
                result.recorded, pinned_torch=self.facts.pinned("torch")
            )
        return render.output_html(
            source.relative, result.section(section_name), url_dir(page), provenance, source.needs
        )

    def page_html(self, html: str, page: str) -> tuple[str, set[str]]:
        """Put each marked output in its place; the page's HTML and the ids the outputs add."""
        html = render.breakable_table_code(render.slim_code(render.static_callouts(html)))
        if page == glossary.GLOSSARY_URI:
            html = glossary.without_tooltips(html)
        html, anchors = self.slots.fill(page, html)
        return offscreen.wrap_runs(html), anchors

    def provenance(self, page: str) -> str:
        runs = [self.results[p] for p in self.page_runs.get(page, [])]
        return render.provenance_html(
            self.facts.build_date, self.facts.torch_version, self.device, runs, self.cached
        )

    # -- generated files --------------------------------------------------------------------------
    def figures(self):
        """(docs-relative uri, bytes) of every figure of every result."""
        for path, result in self.results.items():
            for section in result.sections:
                for index, figure in enumerate(section.figures, start=1):
                    yield render.figure_uri(path, section.name, index, figure.suffix), figure.data

    def _generated(self) -> dict[str, str | bytes]:
        files: dict[str, str | bytes] = dict(self.figures())
        files |= self.generated_pages
        for source in self.notebook_sources():
            result = self.results[source.relative]
            for blank in (False, True):
                files[notebooks.download_uri(source, blank)] = notebooks.notebook(
                    source, result, self.site_url, self.facts.wheel_url, blank
                )
        for relative, source in self.sources.items():
            files[relative] = source.data  # each snippet, whole, to open or download
        files[f"downloads/{self.facts.wheel_name}"] = self.facts.wheel[1]
        files[ERRORS_URI] = error_index_markdown(
            self.explanations,
            self.facts.torch_version,
            lambda html: self.slots.add(ERRORS_URI, html),
        )
        files[BENCH_URI] = bench_markdown(self.root)
        files[glossary.GLOSSARY_URI] = glossary.page_markdown(self.glossary, self.scans)
        files |= reference_pages(self.root)
        return files

    def errors_shown(self) -> list[ErrorShown]:
        """Every error and warning a page shows, with the first place that shows it."""
        shown = []
        for path, result in sorted(self.results.items()):
            for section in result.sections:
                places = self.checks.shown.get((path, section.name), [])
                if not places:
                    continue
                place = places[0]
                title = self.scans[place.page].title or place.page
                where = f"{title} › {place.heading}" if place.heading else title
                link = posixpath.relpath(place.page, posixpath.dirname(ERRORS_URI) or ".")
                anchor = render.anchor_id(path, section.name)
                for kind, message in messages(result, section.name):
                    shown.append(ErrorShown(kind, message, f"{link}#{anchor}", where))
        return shown
