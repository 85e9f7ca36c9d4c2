"""The copy-paste guarantee, in a reader's environment: a fresh virtual environment set up only by
the commands the "Run it yourself" page shows, with the helper installed from the served site
(tests/support/reader_env.py). In it, a page's code blocks, taken from the rendered HTML and pasted in
page order into one Python (as into a notebook), run and print what the page shows under them.
The notebooks are tests/test_notebooks.py.
"""

from __future__ import annotations

import difflib
import subprocess
import time

import pytest

from tests.support.browser_support import (
    driver_script,
    nav_pages,
    normalize_output,
    page_html,
    page_slug,
    parse_driver_output,
    reader_steps,
    same_output,
)
from tests.support.reader_env import (
    WarmReader,
    base,
    installed_from,
    page_commands,
    reader_environment,
    reader_python,
    server,
)
from tests.support.site_build import ROOT, site_origin

# One worker runs all of this file (`make test` distributes whole files: --dist loadfile), so it
# shares one reader environment. The site is built, and the environment is made, in fixtures:
# only the tests themselves are timed.
pytestmark = pytest.mark.timeout(180, func_only=True)
__all__ = ["base", "server"]  # fixtures, used by name (`site` is conftest's)

PAGES = nav_pages()
READER_SECONDS = 120
HELPER = "pytorch-exercises-helpers"


@pytest.fixture(scope="session")
def reader(site, server, base, tmp_path_factory):
    """The python of a reader who followed the Run page to the letter."""
    started = time.perf_counter()
    python = reader_python(tmp_path_factory.mktemp("reader"), page_commands(site), base)
    print(f"\nreader environment made in {time.perf_counter() - started:.1f} s")
    return python


@pytest.fixture(scope="session")
def warm_reader(reader):
    """The reader's Python, warm: each page's blocks run in a fresh process forked from it."""
    warm = WarmReader(reader)
    yield warm
    warm.close()


def test_the_run_page_commands_install_the_helper_from_the_served_site(reader, site):
    shown = installed_from(reader, HELPER)
    assert shown.startswith(str(reader.parents[1])), shown  # in the reader's own environment
    assert site_origin() in shown, f"{HELPER} was not installed from the served site: {shown}"
    check = next(
        block.code.strip()
        for block in reader_steps_of(site, "run/")
        if block.code.strip().startswith('python -c "import torch, ptx')
    )
    run = subprocess.run(
        ["bash", "-c", f"source {reader.parent}/activate && {check}"],
        capture_output=True,
        text=True,
        env=reader_environment(),
        cwd=reader.parents[2],
    )
    assert run.returncode == 0 and run.stdout.split() == ["2.13.0+cpu", "cpu"], run
    where = subprocess.run(
        [str(reader), "-c", "import ptx; print(ptx.__file__)"],
        capture_output=True,
        text=True,
        cwd=reader.parents[2],
    ).stdout
    assert str(ROOT) not in where, f"the reader imports this checkout's ptx: {where}"


def reader_steps_of(site, url):
    from tests.support.browser_support import code_blocks

    return code_blocks(page_html(site, url))


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
def test_a_pages_code_runs_as_pasted_and_prints_what_the_page_shows(
    url, site, warm_reader, tmp_path
):
    steps = reader_steps(page_html(site, url))
    if not steps:
        return  # nothing to paste on this page (the notebook pages are run below)
    script = tmp_path / "reader.py"
    script.write_text(driver_script(steps))
    started = time.perf_counter()
    stdout, status = warm_reader.run(script, timeout=READER_SECONDS)
    stopped = (
        f"still running after {READER_SECONDS} s"
        if status is None
        else (f"exit {status}:\n{stdout[-3000:]}" if status else "")
    )
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
