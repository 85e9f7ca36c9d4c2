"""Helpers of the browser and copy-paste tests: the site's pages, a static server, the code blocks
of a page as a reader copies them, and a driver script that runs them as one notebook would."""

from __future__ import annotations

import ast
import fcntl
import functools
import http.server
import json
import os
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from benchmarks.budgets import PAGE_WEIGHT_GZIP_KIB
from sitegen.terminal import as_shown
from tests.support.site_build import ROOT, SESSION, build_site

# The one setting that says which Chromium the tests and benchmarks drive: `make CHROMIUM=...`
# (exported as PTX_CHROMIUM); Debian's by default (`make browser` installs it).
CHROMIUM = Path(os.environ.get("PTX_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PAGE_WEIGHTS = ARTIFACTS / "page-weights.json"
# Transferred bytes of one page load (HTML, CSS, JS, images, the search index): the budget, the
# same for every page (the exercise pages are built like the chapters now).
PAGE_BUDGET = PAGE_WEIGHT_GZIP_KIB * 1024
# What the budget counts: "total_gzip", the bodies gzipped as GitHub Pages sends them over the
# wire ("total", the uncompressed bodies, is recorded too: Material's CSS, JS and search index
# alone are about 625 KiB uncompressed, 130 KiB gzipped).
BUDGET_MEASURE = "total_gzip"
# The interpreter a reader has: the project's virtual environment.
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


# -- the pages ------------------------------------------------------------------------------------
def site_dir() -> Path:
    """The built site: `PTX_SITE_DIR` names one that is already built, else the real build runs."""
    if prebuilt := os.environ.get("PTX_SITE_DIR"):
        return Path(prebuilt).resolve()
    return build_site()


def nav_pages(section: str | None = None) -> list[str]:
    """Every page of the nav (plus the generated error index), or of one nav section ("Chapters"),
    as its URL path: '' for the home page, 'fundamentals/', 'exercises/fundamentals/', ...
    Known at collection time, before any build; `built_pages` checks the built site against it."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_IgnoreTags)
    sources: list[str] = []

    def walk(entries, inside: bool):
        for entry in entries:
            if isinstance(entry, str) and inside:
                sources.append(entry)
            elif isinstance(entry, dict):
                for title, value in entry.items():
                    walk(value if isinstance(value, list) else [value], inside or title == section)

    walk(config["nav"], section is None)
    pages = []
    for source in sources + (["errors.md"] if section is None else []):
        if "://" in source:
            continue
        stem = re.sub(r"\.(md|ipynb)$", "", source)
        stem = "" if stem == "index" else stem.removesuffix("/index")
        url = f"{stem}/" if stem else ""
        if url not in pages:
            pages.append(url)
    return pages


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may use !!python/name and !ENV tags: read them as plain values."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def built_pages(site: Path) -> list[str]:
    """The pages of a built site, from site/**/index.html (the 404 page is not one)."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        folder = index.parent.relative_to(site).as_posix()
        pages.append("" if folder == "." else f"{folder}/")
    return pages


def is_notebook_page(url: str) -> bool:
    return url.startswith("exercises/")


def page_budget(url: str) -> int:
    return PAGE_BUDGET


def page_slug(url: str) -> str:
    """A file-name-safe name of a page: 'home', 'classification-binary', ..."""
    return url.strip("/").replace("/", "-") or "home"


def page_html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text()


# -- a static server ------------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _SharedPortServer(http.server.ThreadingHTTPServer):
    """Test workers that serve the same site at the same address each bind the port
    (SO_REUSEPORT): either answers."""

    allow_reuse_port = True


@dataclass
class StaticServer:
    """The built site served on 127.0.0.1 (a free port, or `port`) from a daemon thread."""

    directory: Path
    port: int = 0
    server: http.server.ThreadingHTTPServer = field(init=False)

    def __post_init__(self):
        handler = functools.partial(_QuietHandler, directory=str(self.directory))
        self.server = _SharedPortServer(("127.0.0.1", self.port), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def url(self, path: str) -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- anchors --------------------------------------------------------------------------------------
class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name in ("id", "name") and value)


def ids_in(document: str) -> set[str]:
    """Every id (and name, which anchors also target) in an HTML document."""
    parser = _Ids()
    parser.feed(document)
    parser.close()
    return parser.ids


# -- code blocks ----------------------------------------------------------------------------------
OUTPUT_CLASS = "ptx-output"
ERROR_CLASS = "ptx-error"
VARIES_CLASS = "ptx-varies"
PYTHON_LANGUAGES = {"py", "python", "python3"}
# code blocks that are not a reader's code: mkdocstrings' signatures and the helpers' source in
# the API reference, the error index's messages
NOT_READER_CODE = {"doc-signature", "mkdocstrings-source", "ptx-error-message"}
# the notes' markers in code: the comment `# (1)`, shown, copied and run as it is
CALLOUT = re.compile(r"#[ \t]*\(\d+\)[ \t]*$", re.MULTILINE)


@dataclass
class Block:
    """One code block (`div.highlight`) of a page, in page order."""

    position: int  # among the page's div.highlight blocks (the same index in the live DOM)
    classes: tuple[str, ...]
    title: str
    code: str  # the text of its <code>, as the page shows it
    marks: tuple[str, ...]  # HTML comments right before it: pytest-codeblocks' markers
    highlighted: bool  # Pygments made tokens of it (a language, not plain text)
    generic_tokens: bool = False  # Pygments' generic tokens: a console's prompts and output
    needs: str | None = None  # hardware its code needs ("cuda"): shown with a recorded output

    @property
    def language(self) -> str | None:
        """The fence's language: the `language-*` class (pymdownx.highlight's
        `pygments_lang_class: true`), or, without it, inferred: code that Pygments highlighted,
        that is no console session and that parses as Python is Python."""
        for name in self.classes:
            if name.startswith("language-"):
                return name.removeprefix("language-")
        if self.is_output or self.is_expected_output or not self.highlighted or self.generic_tokens:
            return "text"  # plain text, or a console session (prompts and output)
        try:
            ast.parse(self.code)
        except SyntaxError:
            return "text"  # e.g. a shell command
        return "python"

    @property
    def is_output(self) -> bool:
        return OUTPUT_CLASS in self.classes

    @property
    def is_error(self) -> bool:
        return ERROR_CLASS in self.classes

    @property
    def varies(self) -> bool:
        return VARIES_CLASS in self.classes

    @property
    def is_expected_output(self) -> bool:
        return "pytest-codeblocks:expected-output" in self.marks

    @property
    def is_code(self) -> bool:
        """A block a reader copies and runs: a Python fence, not an output."""
        return (
            self.language in PYTHON_LANGUAGES
            and not self.is_output
            and not self.is_expected_output
            and not NOT_READER_CODE & set(self.classes)
        )

    @property
    def is_snippet(self) -> bool:
        """A snippet include (a `py` fence titled with the snippet's file name)."""
        if any(name.startswith("language-") for name in self.classes):
            return self.language == "py"
        return self.title.endswith(".py")

    @property
    def skip_condition(self) -> str | None:
        """The Python condition under which a reader skips this block: it needs hardware the
        reader may lack, or it carries pytest's skip markers."""
        if self.needs == "cuda":
            return "not __import__('torch').cuda.is_available()"
        if self.needs == "mps":
            return "not __import__('torch').backends.mps.is_available()"
        for mark in self.marks:
            if mark in ("pytest-codeblocks:skip", "pytest.mark.skip") or mark.startswith(
                "pytest.mark.skip("
            ):
                return "True"
            if mark.startswith("pytest.mark.skipif("):
                call = ast.parse(mark, mode="eval").body
                assert isinstance(call, ast.Call) and call.args, f"unreadable marker <!--{mark}-->"
                return ast.unparse(call.args[0])
        return None

    @property
    def copied_code(self) -> str:
        """What Material's copy button should put on the clipboard: the code as shown (its
        notes' markers are plain comments), without the trailing newline."""
        return self.code.rstrip("\n")

    def describe(self) -> str:
        first = next((line for line in self.code.splitlines() if line.strip()), "")
        return f"block {self.position} ({self.title or self.language}: {first.strip()[:60]!r})"


class _BlockParser(HTMLParser):
    """Find every div.highlight: its classes, title, code text and the comments before it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.pending: list[str] = []  # comments not yet followed by content
        self.current: dict | None = None
        self.depth = 0  # nested divs inside the current block
        self.in_title = False
        self.in_code = False
        self.details: list[bool] = []  # open <details>: is each one mkdocstrings' source?

    def handle_starttag(self, tag, attrs):
        classes = tuple((dict(attrs).get("class") or "").split())
        if tag == "details":
            self.details.append("mkdocstrings-source" in classes)
        if self.current is None and any(self.details):
            classes = (*classes, "mkdocstrings-source")  # a helper's source, not a reader's code
        if self.current is None:
            if tag == "div" and "ptx-not-run" in classes and self.blocks:
                self.blocks[-1].needs = dict(attrs).get("data-needs")  # the code above it
            if tag == "div" and "highlight" in classes:
                self.current = {
                    "classes": classes,
                    "title": "",
                    "code": [],
                    "marks": tuple(self.pending),
                    "tokens": False,
                    "generic": False,
                    "needs": dict(attrs).get("data-needs"),
                }
                self.depth = 1
            elif tag != "p":
                self.pending = []
            return
        if tag == "div":
            self.depth += 1
        elif tag == "span" and "filename" in classes and not self.in_code:
            self.in_title = True
        elif tag == "code":
            self.in_code = True
        elif tag == "span" and self.in_code and classes:
            self.current["tokens"] = True
            self.current["generic"] |= any(re.fullmatch(r"g[a-z]?", name) for name in classes)

    def handle_endtag(self, tag):
        if tag == "details" and self.details:
            self.details.pop()
        if self.current is None:
            return
        if tag == "span" and self.in_title:
            self.in_title = False
        elif tag == "code":
            self.in_code = False
        elif tag == "div":
            self.depth -= 1
            if self.depth == 0:
                block = self.current
                self.blocks.append(
                    Block(
                        position=len(self.blocks),
                        classes=block["classes"],
                        title=block["title"].strip(),
                        code="".join(block["code"]),
                        marks=block["marks"],
                        highlighted=block["tokens"],
                        generic_tokens=block["generic"],
                        needs=block["needs"],
                    )
                )
                self.current = None
                self.pending = []

    def handle_data(self, data):
        if self.current is None:
            if data.strip():
                self.pending = []
        elif self.in_title:
            self.current["title"] += data
        elif self.in_code:
            self.current["code"].append(data)

    def handle_comment(self, data):
        if self.current is None:
            self.pending.append(data.strip())


def code_blocks(document: str) -> list[Block]:
    """Every div.highlight block of an HTML page, in page order."""
    parser = _BlockParser()
    parser.feed(document)
    parser.close()
    return parser.blocks


@dataclass
class Step:
    """A code block a reader runs, and the output the page shows for it."""

    block: Block
    # the output block under it: the build's (.ptx-output) or pytest-codeblocks' expected output
    output: Block | None = None

    @property
    def code(self) -> str:
        return self.block.code


def reader_steps(document: str) -> list[Step]:
    """The page's Python blocks in page order, each with the output block shown after it."""
    steps: list[Step] = []
    for block in code_blocks(document):
        if block.is_code:
            steps.append(Step(block))
        elif block.is_output or block.is_expected_output:
            assert steps, f"{block.describe()}: an output block with no code block above it"
            assert steps[-1].output is None, (
                f"{block.describe()}: a second output block for {steps[-1].block.describe()}"
            )
            steps[-1].output = block
            if block.needs:  # a recorded output: its code needs that hardware
                steps[-1].block.needs = block.needs
    return steps


# -- running a page's blocks as a reader does -------------------------------------------------------
RECORD = "\x1e"  # starts each record line of the driver's stdout (ASCII record separator)

DRIVER = r'''
"""Run a page's code blocks in order in one namespace, as a reader pasting them into a notebook."""
import json
import sys
import time
import traceback
import types
import warnings

BLOCKS = json.loads({blocks!r})
RECORD = {record!r}


def record(**fields):
    sys.stdout.flush()
    sys.stdout.write(RECORD + json.dumps(fields) + "\n")
    sys.stdout.flush()


def show_warning(message, category, filename, lineno, file=None, line=None):
    # the build's format: "UserWarning: message" (no path or line)
    sys.stdout.write(f"{{category.__name__}}: {{message}}\n")


warnings.showwarning = show_warning
sys.stderr = sys.stdout  # the build shows what a block writes to stderr too
reader = types.ModuleType("__main__")  # the reader's namespace, as in a notebook
reader.__dict__["__builtins__"] = __builtins__
sys.modules["__main__"] = reader

for index, block in enumerate(BLOCKS):
    record(block=index, event="start")
    started = time.perf_counter()
    if block["skip_if"] is not None and eval(block["skip_if"], {{}}):
        record(block=index, event="skipped")
        continue
    try:
        exec(compile(block["code"], f"<page block {{index}}>", "exec"), reader.__dict__)
    except BaseException as error:  # noqa: BLE001 - the test compares it with what the page shows
        record(
            block=index,
            event="raised",
            type=type(error).__name__,
            message=str(error),
            traceback="".join(traceback.format_exception(error)),
        )
    finally:
        if "matplotlib.pyplot" in sys.modules:  # a notebook shows each cell's figures, then closes them
            sys.modules["matplotlib.pyplot"].close("all")
    record(block=index, event="ran", seconds=time.perf_counter() - started)
record(block=len(BLOCKS), event="done")
'''


def driver_script(steps: list[Step]) -> str:
    """A Python script that runs the steps' code in order and reports each block's output."""
    blocks = [{"code": step.code, "skip_if": step.block.skip_condition} for step in steps]
    return DRIVER.format(blocks=json.dumps(blocks), record=RECORD)


@dataclass
class BlockRun:
    """What one block printed and raised when a reader ran it."""

    output: str = ""
    started: bool = False
    skipped: bool = False
    error: tuple[str, str] | None = None  # (type, message)
    traceback: str = ""
    seconds: float = 0.0


def parse_driver_output(stdout: str, count: int) -> tuple[list[BlockRun], bool]:
    """Split the driver's stdout into one BlockRun per block; the flag says it ran to the end."""
    runs = [BlockRun() for _ in range(count)]
    finished = False
    current: BlockRun | None = None
    for chunk in stdout.split(RECORD)[1:]:
        header, _, text = chunk.partition("\n")
        event = json.loads(header)
        if event["event"] == "done":
            finished = True
            current = None
            continue
        run = runs[event["block"]]
        if event["event"] == "start":
            current = run
            run.started = True
        elif event["event"] == "skipped":
            run.skipped = True
        elif event["event"] == "raised":
            run.error = (event["type"], event["message"])
            run.traceback = event["traceback"]
        elif event["event"] == "ran":
            run.seconds = event["seconds"]
            current = None
        if current is not None:
            current.output += text
    return runs, finished


def normalize_output(text: str, tabsize: int = 8) -> str:
    """Output as a page shows it: as the build cleans it (sitegen.terminal: no terminal escapes,
    tabs expanded as a terminal does, to 8 columns, where Python-Markdown would make 4 of them),
    without the leading blank lines Pygments drops and the trailing whitespace the build strips."""
    return as_shown(text, tabsize).lstrip("\n").rstrip()


def same_output(printed: str, shown: str) -> bool:
    """Whether what a block printed is what the page shows (a tab may be 8 or 4 columns)."""
    return any(normalize_output(printed, size) == normalize_output(shown) for size in (8, 4))


# -- page weights ---------------------------------------------------------------------------------
def record_page_weight(url: str, weight: dict[str, int]) -> dict[str, dict[str, int]]:
    """Add one page's weight to test-artifacts/page-weights.json, {page: {kind: bytes, ...,
    "total": bytes}}, shared by the test workers (a new test run starts it afresh), and return
    every page recorded so far."""
    ARTIFACTS.mkdir(exist_ok=True)
    stamp = ARTIFACTS / "page-weights.session"
    with (ARTIFACTS / "page-weights.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pages = {}
        if stamp.exists() and stamp.read_text() == SESSION:
            try:
                pages = json.loads(PAGE_WEIGHTS.read_text())
            except (OSError, ValueError):
                pages = {}
        pages[url or "/"] = weight
        pages = dict(sorted(pages.items()))
        temporary = PAGE_WEIGHTS.with_suffix(".tmp")
        temporary.write_text(json.dumps(pages, indent=2) + "\n")
        os.replace(temporary, PAGE_WEIGHTS)
        stamp.write_text(SESSION)
        return pages


def weight_summary(pages: dict[str, dict[str, int]]) -> str:
    """'12 pages, 2.1 MiB in all; the largest: exercises/x/ 512.0 KiB'."""
    total = sum(page["total"] for page in pages.values())
    largest = max(pages, key=lambda page: pages[page]["total"])
    return (
        f"{len(pages)} pages, {total / 1024:.1f} KiB in all; "
        f"the largest: {largest} {pages[largest]['total'] / 1024:.1f} KiB"
    )


# -- downloads ------------------------------------------------------------------------------------
class _DownloadLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "download" in attributes and attributes.get("href"):
            self.links.append(attributes["href"])


def download_links(document: str) -> list[str]:
    """The href of every <a ... download> of a page."""
    parser = _DownloadLinks()
    parser.feed(document)
    parser.close()
    return parser.links
