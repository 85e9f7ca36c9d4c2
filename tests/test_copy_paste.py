"""The copy-paste guarantee: a page's code blocks, taken from the rendered HTML and pasted in page
order into one fresh Python (as into a notebook), run and print what the page shows under them;
and every exercise notebook the site offers for download runs top to bottom.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import nbformat
import pytest
from nbclient import NotebookClient

from tests.browser_support import (
    VENV_PYTHON,
    StaticServer,
    download_links,
    driver_script,
    is_notebook_page,
    nav_pages,
    normalize_output,
    page_html,
    page_slug,
    parse_driver_output,
    reader_steps,
    same_output,
    site_dir,
)
from tests.site_build import ROOT

# The site is built (or found built) once per test run, in a fixture: only the test itself is timed.
pytestmark = pytest.mark.timeout(120, func_only=True)

PAGES = nav_pages()
NOTEBOOK_PAGES = [page for page in PAGES if is_notebook_page(page)]
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable)
READER_SECONDS = 120
NOTEBOOK_SECONDS = 120


@pytest.fixture(scope="session")
def site():
    return site_dir()


@pytest.fixture(scope="session")
def server(site):
    server = StaticServer(site)
    yield server
    server.close()


def reader_environment() -> dict[str, str]:
    """A reader's fresh Python: figures off screen, and a new interpreter's warning filters (the
    build shows what those let through: a library's DeprecationWarning is hidden, as in a notebook).

    Torch gets one thread: two test workers on two cores with two threads each run ten times
    slower (the tiny tensors of the site print the same either way).

    The project root goes on the path, as an installed `ptx` would be (this venv's editable install
    was made before ptx/ existed and maps `ptx` to an empty namespace package)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "COV_")) and key != "PYTHONWARNINGS"
    }
    path = [str(ROOT), *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    return environment | {
        "MPLBACKEND": "Agg",
        "PYTHONPATH": os.pathsep.join(path),
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def diff(expected: str, actual: str) -> str:
    expected, actual = normalize_output(expected), normalize_output(actual)
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "the page shows", "it printed", lineterm=""
    )
    return "\n".join(list(lines)[:40])


def test_the_site_has_code_to_paste(site):
    counts = {url: len(reader_steps(page_html(site, url))) for url in PAGES}
    print(
        f"\n{sum(counts.values())} code blocks on {sum(1 for n in counts.values() if n)} pages: {counts}"
    )
    assert sum(counts.values()) > 0


@pytest.mark.timeout(READER_SECONDS + 30, func_only=True)
@pytest.mark.parametrize("url", PAGES, ids=page_slug)
def test_a_pages_code_runs_as_pasted_and_prints_what_the_page_shows(url, site, tmp_path):
    steps = reader_steps(page_html(site, url))
    if not steps:
        return  # nothing to paste on this page (the notebook pages are run below)
    script = tmp_path / "reader.py"
    script.write_text(driver_script(steps))
    started = time.perf_counter()
    environment = reader_environment()
    try:
        run = subprocess.run(
            [PYTHON, script.name],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=READER_SECONDS,
        )
        stdout = run.stdout
        stopped = f"exit {run.returncode}:\n{run.stderr[-3000:]}" if run.returncode else ""
    except subprocess.TimeoutExpired as timeout:
        stdout = (
            timeout.stdout.decode() if isinstance(timeout.stdout, bytes) else timeout.stdout or ""
        )
        stopped = f"still running after {READER_SECONDS} s"
    seconds = time.perf_counter() - started
    runs, finished = parse_driver_output(stdout, len(steps))
    problems = []
    if stopped or not finished:
        last = max((n for n, ran in enumerate(runs) if ran.started), default=0)
        problems.append(f"the reader's Python stopped at {steps[last].block.describe()}: {stopped}")
    for step, ran in zip(steps, runs, strict=True):
        where = step.block.describe()
        shown = step.output
        if ran.skipped:
            continue
        if shown is not None and shown.is_error:
            if ran.error is None:
                problems.append(f"{where}: the page shows it raising, and it ran without an error")
                continue
        elif ran.error is not None:
            problems.append(f"{where}: raised {ran.error[0]}: {ran.error[1]}\n{ran.traceback}")
            continue
        printed = ran.output + (f"{ran.error[0]}: {ran.error[1]}\n" if ran.error else "")
        if shown is None:
            if normalize_output(printed):
                problems.append(f"{where}: printed output that the page does not show:\n{printed}")
        elif shown.varies:
            if not normalize_output(printed):
                problems.append(f"{where}: printed nothing; the page shows a (varying) output")
        elif not same_output(printed, shown.code):
            problems.append(
                f"{where}: prints something else than the page shows:\n{diff(shown.code, printed)}"
            )
    ran_blocks = sum(1 for ran in runs if not ran.skipped)
    slowest = max(zip(runs, steps, strict=True), key=lambda pair: pair[0].seconds)
    print(
        f"\n{url or '/'}: {ran_blocks} code blocks run ({len(steps) - ran_blocks} skipped) in {seconds:.1f} s;"
        f" the slowest: {slowest[1].block.describe()} {slowest[0].seconds:.1f} s"
    )
    assert not problems, f"{url or '/'}: pasted in order into one Python:\n\n" + "\n\n".join(
        problems
    )


@pytest.mark.timeout(NOTEBOOK_SECONDS + 60, func_only=True)
@pytest.mark.parametrize("url", NOTEBOOK_PAGES, ids=page_slug)
def test_the_notebook_download_runs_top_to_bottom(url, server, tmp_path):
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
    client = NotebookClient(
        notebook,
        timeout=NOTEBOOK_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    started = time.perf_counter()
    client.execute(env=reader_environment())
    seconds = time.perf_counter() - started
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert not errors, f"{solved[0]}: {errors[0].ename}: {errors[0].evalue}"
    print(f"\n{solved[0]} ran in {seconds:.1f} s")
