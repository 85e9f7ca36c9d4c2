"""MkDocs hooks: run the sources before the pages render, then give each page its results."""

from __future__ import annotations

import fcntl
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from sitegen.glossary import GlossaryExtension, tooltips  # noqa: E402
from sitegen.sitebuild import BuildFailure, SiteBuild  # noqa: E402
from sitegen.sources import include_as_python_reads  # noqa: E402

_build: SiteBuild | None = None
_generated: dict[str, str | bytes] = {}
_site_lock = None  # held from on_config to the end of the build


def _lock_site(site_dir: str) -> None:
    """One build at a time writes a given site/: MkDocs empties it first, under any other build
    that is writing it (two builds at once lost files, site/404.html among them)."""
    global _site_lock
    lock = Path(site_dir).resolve().with_name(f".{Path(site_dir).name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    _site_lock = open(lock, "w")  # noqa: SIM115 - held across hooks
    fcntl.flock(_site_lock, fcntl.LOCK_EX)


def _unlock_site() -> None:
    global _site_lock
    if _site_lock is not None:
        _site_lock.close()  # releases the lock
        _site_lock = None


def on_config(config):
    """Find what must run, and start the fork server importing torch while MkDocs sets up."""
    global _build
    include_as_python_reads()
    _lock_site(config["site_dir"])
    root = Path(config["config_file_path"]).resolve().parent
    _build = SiteBuild(
        root,
        Path(config["docs_dir"]),
        site_url=config.get("site_url") or "http://127.0.0.1:8000/",
        repo_url=config.get("repo_url"),
    )
    _build.prepare()
    config.markdown_extensions.append(GlossaryExtension())  # one tooltip per term and section
    return config


def on_pre_build(config):
    """Run the sources before MkDocs empties site/: a failure leaves the last good site alone."""
    global _generated
    try:
        _generated = _build.run()
    except BuildFailure as failure:
        raise PluginError(str(failure)) from None
    # the glossary's terms become tooltips on every page (Python-Markdown's abbr extension)
    config.mdx_configs.setdefault("abbr", {})["glossary"] = tooltips(_build.glossary)


@event_priority(100)
def on_files(files, config):
    for uri, content in _generated.items():
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    return _build.page_markdown(markdown, page.file.src_uri)


@event_priority(100)  # before any plugin reads the page's HTML
def on_page_content(html, page, config, files):
    html, anchors = _build.page_html(html, page.file.src_uri)
    page.present_anchor_ids = (page.present_anchor_ids or set()) | anchors  # links may target them
    return html


# Material's script, loaded at the end of the body without `defer`, holds up the first paint on a
# phone; deferred, it runs once the page is parsed, as it would anyway.
_SCRIPT = re.compile(
    r'<script src="([^"]*(?:assets/javascripts/bundle\.[0-9a-f]+\.min|assets/a11y)\.js)"></script>'
)


def on_post_page(output, page, config):
    return _SCRIPT.sub(r'<script defer src="\1"></script>', output)


def on_page_context(context, page, config, nav):
    page.meta["ptx_provenance"] = _build.provenance(page.file.src_uri)
    return context


def on_post_build(config):
    _unlock_site()


def on_build_error(error):
    _unlock_site()


def on_shutdown():
    _unlock_site()
