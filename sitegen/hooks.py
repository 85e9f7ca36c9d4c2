"""MkDocs hooks: run the snippets before pages render, then put their results on the pages."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from sitegen.bench_page import BENCH_URI, bench_markdown  # noqa: E402
from sitegen.errors_page import ERRORS_URI  # noqa: E402
from sitegen.site import BuildFailure, SiteBuild, log  # noqa: E402

_build: SiteBuild | None = None


@event_priority(100)  # before mkdocs-jupyter looks for notebooks among the files
def on_files(files, config):
    global _build
    _build = SiteBuild(Path(config["config_file_path"]).resolve().parent, Path(config["docs_dir"]))
    try:
        _build.run_all()
    except BuildFailure as failure:
        raise PluginError(str(failure)) from None
    for problem in _build.scan_pages():
        log.warning(f"sitegen: {problem}")
    for uri, data in _build.figures():
        files.append(File.generated(config, uri, content=data))
    for uri, folder in _build.notebook_files():
        # a plain File (not File.generated): mkdocs-jupyter finds its path through src_dir
        files.append(File(uri, str(folder), config["site_dir"], config["use_directory_urls"]))
    files.append(File.generated(config, ERRORS_URI, content=_build.error_index()))
    files.append(File.generated(config, BENCH_URI, content=bench_markdown(_build.root)))
    return files


def on_page_markdown(markdown, page, config, files):
    return _build.expand(markdown, page.file.src_uri)


def on_page_context(context, page, config, nav):
    page.meta["ptx_provenance"] = _build.provenance(page.file.src_uri)
    return context


def on_page_content(html, page, config, files):
    if page.file.src_uri in _build.notebooks:
        # Search indexes the chapters, not the notebooks: the exercises are summarised there, and
        # parsing each notebook page's inlined Jupyter CSS cost the search plugin ~1 s per build.
        page.meta["search"] = {"exclude": True}
    return html
