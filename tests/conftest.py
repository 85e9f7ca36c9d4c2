"""Shared test setup: draw with the Agg backend (no windows), close figures after each test,
and run the ptx unit tests on one torch thread.

Heavy imports (pyplot, torch) happen inside the fixtures, so the pytest-xdist controller
process, which runs no tests, does not pay for them.
"""

import sys

import matplotlib
import pytest

matplotlib.use("Agg")

MARKERS = {  # test file name prefix -> marker (pyproject.toml describes each)
    "test_ptx_": "unit",
    "test_sitegen_": "unit",
    "test_benchmarks": "unit",
    "test_chapter_": "chapter",
    "test_build": "site",
    "test_site": "site",
    "test_snippets": "site",
    "test_code_blocks": "site",
    "test_browser": "browser",  # test_browser_chapters, test_browser_pages
    "test_copy_paste": "reader",
    "test_notebooks": "reader",
}


# The order files are handed out in. pytest-xdist's loadfile gives them to the workers in collection
# order (with --no-loadscope-reorder): the chapter tests first, as their fresh runs fill the build's
# cache (tests/support/snippet_runs.py) and the site build the browser tests wait for reuses them; then
# the longest files (seconds in `make test`), so that no worker is left with a long file alone.
FIRST = (
    "test_chapter_classification.py",  # 17 s
    "test_chapter_linear_regression.py",  # 8 s
    "test_chapter_fundamentals.py",  # 2 s
    "test_browser_pages.py",  # 33 s
    "test_browser_chapters.py",  # 32 s
    "test_copy_paste.py",  # 27 s
    "test_notebooks.py",  # 25 s
    "test_build.py",  # 4 s
)


def _file_rank(item) -> int:
    name = item.path.name
    return FIRST.index(name) if name in FIRST else len(FIRST)


def pytest_collection_modifyitems(items):
    items.sort(key=_file_rank)  # stable: each file's tests keep their order
    for item in items:
        name = item.path.name
        marker = next((m for prefix, m in MARKERS.items() if name.startswith(prefix)), None)
        if marker:
            item.add_marker(marker)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened, so figures do not pile up across tests."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(autouse=True)
def _one_torch_thread_for_ptx_tests(request):
    """Run tests/test_ptx_*.py on one torch thread, then restore the thread count.

    Their tensors are tiny and pytest-xdist runs one worker per core: more threads per worker
    only fight each other (ten times slower on a busy 2-core machine).
    """
    if not request.path.name.startswith("test_ptx_"):
        yield
        return
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="session")
def site():
    """The built site (once per test run, shared by the workers; `PTX_SITE_DIR` names one built
    already)."""
    from tests.support.browser_support import site_dir

    return site_dir()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright: one per test worker (defined here, once: Playwright
    runs one sync session per process, and each module that imported a fixture would start one)."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser_support import CHROMIUM, CHROMIUM_ARGS

    # an installation error, not a reason to skip: `make browser` installs it
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium (`make browser`)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
