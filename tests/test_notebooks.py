"""Every exercise notebook the site offers, downloaded from the served site and run top to bottom
with nbclient (`jupyter execute`) on a kernel of a reader's environment: one set up by the Run
page's commands but for the helper package, which the notebook's own first cell has to install.
Each blank notebook runs twice: as downloaded (every check says "not attempted", nothing raises)
and with the solutions pasted in (every check passes). And the Run page's install command
upgrades a helper installed before it changed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from sitegen.notebooks import BLANK, wheel_version
from tests.support.browser_support import download_links, is_notebook_page, nav_pages, page_slug
from tests.support.reader_env import (
    base,
    extra_commands,
    installed_from,
    is_helper_install,
    page_commands,
    reader_environment,
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
CHECK = re.compile(r"^\w+\.q(?P<label>\w+)\.check\(\)$")


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


def _downloads(url: str, server) -> dict[str, nbformat.NotebookNode]:
    """The page's two notebooks, {"solved": ..., "blank": ...}, downloaded from the served site."""
    with urllib.request.urlopen(server.url(url), timeout=10) as response:
        links = [
            link for link in download_links(response.read().decode()) if link.endswith(".ipynb")
        ]
    blank = [link for link in links if link.endswith("-blank.ipynb")]
    assert len(links) == 2 and len(blank) == 1, f"{url}: notebook downloads {links}"
    books = {}
    for kind, link in (("blank", blank[0]), ("solved", next(x for x in links if x not in blank))):
        with urllib.request.urlopen(urllib.parse.urljoin(server.url(url), link), timeout=10) as r:
            assert r.status == 200
            books[kind] = nbformat.reads(r.read().decode(), as_version=4)
        nbformat.validate(books[kind])
    return books


def with_solutions_pasted(blank, solved):
    """The blank notebook with each "# Your solution here" cell replaced by the solved notebook's
    solution, in order: what a reader who did every exercise has."""
    solutions = iter(
        c.source for c in solved.cells if "solution" in c.get("metadata", {}).get("tags", [])
    )
    pasted = nbformat.from_dict(json.loads(json.dumps(blank)))
    for cell in pasted.cells:
        if cell.cell_type == "code" and cell.source.strip() == BLANK:
            cell.source = next(solutions)
    assert next(solutions, None) is None, "the blank notebook has fewer places than solutions"
    return pasted


def run_in_reader_kernel(notebook, kernels: Path, tmp_path: Path) -> tuple[list, float]:
    """Run a notebook top to bottom in the reader's kernel; (its code cells, seconds)."""
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
    cells = [c for c in nbformat.read(file, as_version=4).cells if c.cell_type == "code"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"{errors[0].ename}: {errors[0].evalue}"
    return cells, seconds


def check_outputs(cells) -> dict[str, str]:
    """What each check cell printed, by its exercise."""
    said = {}
    for cell in cells:
        if match := CHECK.match(cell.source.strip()):
            said[match["label"]] = "".join(o.get("text", "") for o in cell.get("outputs", []))
    return said


@pytest.mark.timeout(NOTEBOOK_SECONDS * 2 + 60, func_only=True)
@pytest.mark.parametrize("url", NOTEBOOK_PAGES, ids=page_slug)
def test_the_blank_notebook_runs_top_to_bottom_and_every_check_says_not_attempted(
    url, server, notebook_reader, tmp_path
):
    python, kernels = notebook_reader
    books = _downloads(url, server)
    had_helper = bool(installed_from(python, HELPER))
    cells, seconds = run_in_reader_kernel(books["blank"], kernels, tmp_path)
    setup = "".join(output.get("text", "") for output in cells[0].get("outputs", []))
    if not had_helper:
        assert f"installing {HELPER} " in setup, setup
    assert site_origin() in installed_from(python, HELPER)
    said = check_outputs(cells)
    assert said, f"{url}: the blank notebook has no check cells"
    for label, text in said.items():
        assert text.startswith(f"Exercise {label}: not attempted yet."), text
    print(f"\n{url} blank: {len(said)} checks say not attempted; ran in {seconds:.1f} s")


@pytest.mark.timeout(NOTEBOOK_SECONDS * 2 + 60, func_only=True)
@pytest.mark.parametrize("url", NOTEBOOK_PAGES, ids=page_slug)
def test_the_blank_notebook_with_the_solutions_pasted_in_passes_every_check(
    url, server, notebook_reader, tmp_path
):
    """The solved download is the blank one with the solutions in: running that, every check
    passes, as the solved notebook's own outputs (the build's run) show too."""
    python, kernels = notebook_reader
    books = _downloads(url, server)
    pasted = with_solutions_pasted(books["blank"], books["solved"])
    assert [c.source for c in pasted.cells] == [c.source for c in books["solved"].cells]
    built = check_outputs([c for c in books["solved"].cells if c.cell_type == "code"])
    cells, seconds = run_in_reader_kernel(pasted, kernels, tmp_path)
    said = check_outputs(cells)
    assert said and said.keys() == built.keys()
    for label, text in said.items():
        assert text.startswith(f"Exercise {label}: correct."), text
        assert built[label].startswith(f"Exercise {label}: correct."), built[label]
    uses_helper = any("import ptx" in cell.source for cell in pasted.cells[1:])
    if uses_helper:
        assert site_origin() in installed_from(python, HELPER)
    print(f"\n{url} with solutions: {len(said)} checks pass; ran in {seconds:.1f} s")


def test_the_run_pages_install_command_upgrades_an_older_helper(site, server, base, tmp_path):
    """A reader who installed the helper before it changed runs the Run page's command again
    and gets the helper the site serves now (pip installs a wheel whose version differs)."""
    commands = page_commands(site)
    line = next(line for line in commands if is_helper_install(line))
    python = reader_python(tmp_path, [c for c in commands if not is_helper_install(c)], base)
    old = _older_wheel(tmp_path)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(old)],
        check=True,
        env=reader_environment(),
        capture_output=True,
    )
    assert "0.0.1+older" in _version(python)
    subprocess.run(
        ["bash", "-c", f"source .venv/bin/activate && {line}"],
        cwd=tmp_path,
        check=True,
        env=reader_environment(),
        capture_output=True,
    )
    assert site_origin() in installed_from(python, HELPER)
    assert _version(python) == wheel_version(line.split()[-1])


def _version(python: Path) -> str:
    run = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({HELPER!r}))"],
        capture_output=True,
        text=True,
        env=reader_environment(),
        cwd=python.parents[2],
    )
    return run.stdout.strip()


def _older_wheel(folder: Path) -> Path:
    """A wheel of the helper as an older release: another version, a module less."""
    name = "pytorch_exercises_helpers-0.0.1+older-py3-none-any.whl"
    info = "pytorch_exercises_helpers-0.0.1+older.dist-info"
    files = {
        "ptx/__init__.py": "__version__ = '0.0.1+older'\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {HELPER}\nVersion: 0.0.1+older\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{info}/RECORD"])
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for file, text in files.items():
            archive.writestr(file, text)
    return path
