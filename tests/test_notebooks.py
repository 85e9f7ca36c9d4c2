"""Every exercise notebook the site offers, downloaded from the served site and run top to bottom
with nbclient (`jupyter execute`) on a kernel of a reader's environment: one set up by the Run page's commands but
for the helper package, which the notebook's own first cell has to install."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.support.browser_support import download_links, is_notebook_page, nav_pages, page_slug
from tests.support.reader_env import (
    base,
    extra_commands,
    installed_from,
    is_helper_install,
    page_commands,
    reader_python,
    server,
)
from tests.support.site_build import site_origin

pytestmark = pytest.mark.timeout(180, func_only=True)
__all__ = ["base", "server"]  # fixtures, used by name (`site` is conftest's)

NOTEBOOK_PAGES = [page for page in nav_pages() if is_notebook_page(page)]
NOTEBOOK_SECONDS = 120
JUPYTER_EXECUTE = Path(sys.executable).with_name("jupyter-execute")  # nbclient's command
HELPER = "pytorch-exercises-helpers"


@pytest.fixture(scope="session")
def notebook_reader(site, server, base, tmp_path_factory):
    """A reader who set up everything but the helper, and the notebook kernel: the notebooks'
    first cell has to install the helper itself."""
    commands = [line for line in page_commands(site) if not is_helper_install(line)]
    folder = tmp_path_factory.mktemp("notebook-reader")
    python = reader_python(folder, commands + extra_commands(site), base)
    kernels = folder / "kernels" / "reader"
    kernels.mkdir(parents=True)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "reader",
        "language": "python",
        "env": {"MPLBACKEND": "Agg", "PIP_RETRIES": "0", "OMP_NUM_THREADS": "1"},
    }
    (kernels / "kernel.json").write_text(json.dumps(spec))
    return python, folder / "kernels"


@pytest.mark.timeout(NOTEBOOK_SECONDS + 60, func_only=True)
@pytest.mark.parametrize("url", NOTEBOOK_PAGES, ids=page_slug)
def test_the_notebook_download_runs_top_to_bottom(url, server, notebook_reader, tmp_path):
    python, kernels = notebook_reader
    with urllib.request.urlopen(server.url(url), timeout=10) as response:
        links = [
            link for link in download_links(response.read().decode()) if link.endswith(".ipynb")
        ]
    solved = [link for link in links if not link.endswith("-blank.ipynb")]
    assert len(links) == 2 and len(solved) == 1, f"{url}: notebook downloads {links}"
    href = urllib.parse.urljoin(server.url(url), solved[0])
    with urllib.request.urlopen(href, timeout=10) as response:
        assert response.status == 200
        notebook = nbformat.reads(response.read().decode(), as_version=4)
    nbformat.validate(notebook)
    assert any(cell.cell_type == "code" for cell in notebook.cells), (
        f"{solved[0]} has no code cells"
    )
    had_helper = bool(installed_from(python, HELPER))
    # nbclient's own command, in a process of its own (its event loop would stay behind in this
    # one, where the browser tests' Playwright refuses to run beside it)
    file = tmp_path / "notebook.ipynb"
    nbformat.write(notebook, file)
    started = time.perf_counter()
    run = subprocess.run(
        [
            str(JUPYTER_EXECUTE),
            "--inplace",
            "--allow-errors",
            "--kernel_name=reader",
            f"--timeout={NOTEBOOK_SECONDS}",
            file.name,
        ],
        cwd=tmp_path,
        env={**os.environ, "JUPYTER_PATH": str(kernels.parent)},  # where the kernel "reader" is
        capture_output=True,
        text=True,
        timeout=NOTEBOOK_SECONDS * 2,
    )
    seconds = time.perf_counter() - started
    assert run.returncode == 0, run.stderr[-3000:]
    notebook = nbformat.read(file, as_version=4)
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert not errors, f"{solved[0]}: {errors[0].ename}: {errors[0].evalue}"
    setup = "".join(output.get("text", "") for output in notebook.cells[0].get("outputs", []))
    uses_helper = any("import ptx" in cell.source for cell in notebook.cells[1:])
    if uses_helper and not had_helper:
        assert "installing " in setup and site_origin() in setup, setup
    if uses_helper:
        assert site_origin() in installed_from(python, HELPER)
    print(f"\n{solved[0]} ran in {seconds:.1f} s; its setup cell printed {setup.strip()!r}")
