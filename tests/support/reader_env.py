"""A reader's Python: a fresh virtual environment set up only by the commands the site shows.

The commands come from the rendered "Run it yourself" page (its Linux tab), and run as a reader
types them, in bash, in an empty folder. Installing PyTorch and friends takes a minute, so the
heavy part is cached: a *base* environment made by the page's own commands (all but the helper
package), keyed by those commands, in the user's cache folder. Each test session then makes a new environment, runs every
command of the page in it again (the base's packages are visible to it through a .pth file, so
they are "already satisfied"), and installs the helper from the site served on 127.0.0.1, by the
page's exact command. Nothing of this checkout is on its path: `ptx` is the wheel the site serves.

This machine reaches PyPI but not download.pytorch.org: pip finds PyTorch in the machine's own
wheel folder there. PIP_RETRIES=0 only stops it from waiting on the unreachable index.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.browser_support import StaticServer, code_blocks, page_html
from tests.support.site_build import ROOT, site_origin

# The base environment is a cache of what the page's commands install, keyed by those commands,
# the lock and Python: kept with the user's caches (like pip's), so a new clone on the same
# machine reuses it, and a machine without it makes it once.
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pytorch-exercises"
RUN_PAGE = "run/"
VENV_LINE = "python3 -m venv .venv"
PIP_ENV = {"PIP_RETRIES": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


def page_commands(site: Path) -> list[str]:
    """The Linux setup commands of the Run page, one per line, as a reader copies them."""
    blocks = [b for b in code_blocks(page_html(site, RUN_PAGE)) if VENV_LINE in b.code]
    # the Linux tab: bash's activation and the CPU build's index (macOS has no --index-url)
    linux = [b for b in blocks if "source .venv/bin/activate" in b.code and "whl/cpu" in b.code]
    assert len(linux) == 1, f"the Run page has {len(linux)} Linux setup blocks"
    return [line for line in linux[0].code.splitlines() if line.strip()]


def extra_commands(site: Path) -> list[str]:
    """The other one-line pip commands of the Run page (the notebook kernel)."""
    commands = []
    for block in code_blocks(page_html(site, RUN_PAGE)):
        line = block.code.strip()
        if (
            line.startswith("pip install ")
            and "\n" not in line
            and "download.pytorch.org" not in line
        ):
            commands.append(line)
    return commands


def is_helper_install(line: str) -> bool:
    return line.startswith("pip install ") and line.rstrip().endswith(".whl")


def reader_environment() -> dict[str, str]:
    """A reader's shell: none of this project's or pytest's settings, figures off screen."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "COV_", "VIRTUAL_ENV", "PTX_"))
        and key not in ("PYTHONPATH", "PYTHONWARNINGS", "PYTHONHOME")
    }
    path = environment.get("PATH", "").split(os.pathsep)
    environment["PATH"] = os.pathsep.join(p for p in path if not p.startswith(str(ROOT)))
    return environment | PIP_ENV | {"MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1"}


def _bash(script: str, folder: Path, timeout: float) -> str:
    run = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        cwd=folder,
        env=reader_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if run.returncode:
        raise AssertionError(
            f"the reader's commands failed (exit {run.returncode}) in {folder}:\n{script}\n"
            f"--- stdout\n{run.stdout[-3000:]}\n--- stderr\n{run.stderr[-3000:]}"
        )
    return run.stdout


def _base_key(commands: list[str]) -> tuple[Path, str]:
    heavy = [line for line in commands if not is_helper_install(line)]
    key = hashlib.sha256(
        "\n".join([*heavy, sys.version, (ROOT / "constraints.txt").read_text()]).encode()
    ).hexdigest()
    return CACHE / f"reader-base-{key[:16]}", key


def _base_is_made(commands: list[str]) -> bool:
    base, key = _base_key(commands)
    stamp = base / "stamp"
    return stamp.exists() and stamp.read_text() == key


def base_environment(commands: list[str]) -> Path:
    """The cached environment of the page's commands, less the helper (made once per change)."""
    heavy = [line for line in commands if not is_helper_install(line)]
    base, key = _base_key(commands)
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / "reader-base.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _base_is_made(commands):
            shutil.rmtree(base, ignore_errors=True)
            base.mkdir(parents=True)
            _bash("\n".join(heavy), base, timeout=900)
            (base / "stamp").write_text(key)
    return base / ".venv"


def start_base_environment(site: Path) -> None:
    """Make the base environment in a process of its own, if it is missing: a new machine installs
    PyTorch while the browser tests run, not while the reader tests wait for it. That process
    holds the base's lock until it is done (whatever becomes of this one); the `base` fixture
    then finds the base made, or waits on the lock (and, had this failed, makes it itself,
    reporting the error)."""
    commands = page_commands(site) + extra_commands(site)
    if _base_is_made(commands):
        return
    script = "import json, sys; from tests.support.reader_env import base_environment as b; b(json.loads(sys.argv[1]))"
    _BACKGROUND.append(  # kept, so that no ResourceWarning says it still runs
        subprocess.Popen(
            [sys.executable, "-c", script, json.dumps(commands)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )


_BACKGROUND: list[subprocess.Popen] = []


def reader_python(folder: Path, commands: list[str], base: Path) -> Path:
    """A new environment in `folder`, made by running `commands` there as a reader does, with the
    base's packages visible to it. Returns its python."""
    assert commands[0] == VENV_LINE, f"the page's first command is {commands[0]!r}"
    site_packages = next(base.glob("lib/python*/site-packages"))
    link = (
        f"echo {site_packages} > "
        "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')"
        "/reader_base.pth"
    )
    _bash("\n".join([commands[0], link, *commands[1:]]), folder, timeout=600)
    python = folder / ".venv" / "bin" / "python"
    assert python.exists()
    return python


# The reader's Python, kept warm: it imports the libraries every page imports once, then forks a
# fresh child for each page's script (a new interpreter would import torch again for each one).
# A child starts with the state a new process has; torch's generator is untouched by the parent.
WARM_READER = r"""
import json, os, sys, traceback
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot, numpy, torch
try:
    import sklearn.datasets, sklearn.metrics, sklearn.model_selection, torchmetrics
except ImportError:
    pass
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        os.setsid()
        os.chdir(request["cwd"])
        out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        sys.argv = [request["script"]]
        status = 0
        try:
            source = open(request["script"]).read()
            exec(compile(source, request["script"], "exec"), {"__name__": "__main__"})
        except SystemExit as error:
            status = error.code if isinstance(error.code, int) else 1
        except BaseException:
            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    print(json.dumps({"pid": pid}), flush=True)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"exit": os.waitstatus_to_exitcode(status)}), flush=True)
"""


class WarmReader:
    """A reader's Python that runs scripts as fresh processes, forked from a warm one."""

    def __init__(self, python: Path):
        self.process = subprocess.Popen(
            [str(python), "-c", WARM_READER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=reader_environment(),
            cwd=python.parents[2],
        )
        assert json.loads(self.process.stdout.readline()) == {"ready": True}

    def run(self, script: Path, timeout: float) -> tuple[str, int | None]:
        """Run a script in its folder: (what it printed, its exit status; None if it timed out)."""
        out = script.with_suffix(".out")
        request = {"script": str(script), "cwd": str(script.parent), "out": str(out)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        pid = json.loads(self.process.stdout.readline())["pid"]
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            os.killpg(pid, signal.SIGKILL)
            self.process.stdout.readline()
            return out.read_text(errors="replace"), None
        status = json.loads(self.process.stdout.readline())["exit"]
        return out.read_text(errors="replace"), status

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def installed_from(python: Path, distribution: str) -> str:
    """Where a distribution is installed in that environment, and the URL it came from
    (pip's direct_url.json); "" when it is not installed."""
    script = (
        "import importlib.metadata as m, sys\n"
        "try:\n    d = m.distribution(sys.argv[1])\nexcept m.PackageNotFoundError:\n    sys.exit()\n"
        "print(d.locate_file(''), d.read_text('direct_url.json'))"
    )
    run = subprocess.run(
        [str(python), "-c", script, distribution],
        capture_output=True,
        text=True,
        env=reader_environment(),
        cwd=python.parents[
            2
        ],  # the reader's folder: not this checkout, whose metadata '' would find
    )
    return run.stdout.strip()


# -- fixtures of the tests in a reader's environment (tests/test_copy_paste.py, test_notebooks.py)
@pytest.fixture(scope="session")
def server(site):
    """The site where its site_url says it is (the wheel's address on the pages is this one)."""
    server = StaticServer(site, port=int(site_origin().rsplit(":", 1)[1]))
    yield server
    server.close()


@pytest.fixture(scope="session")
def base(site):
    """The cached environment of everything the Run page installs but the helper."""
    return base_environment(page_commands(site) + extra_commands(site))
