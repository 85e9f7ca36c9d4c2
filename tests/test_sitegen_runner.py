"""Each source runs in its own child process: whatever it does, the build survives, names the file
and line, and nothing leaks into another source, the machine or the page."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest

from sitegen import forkserver, warm_server
from sitegen.results import AuthorError, FileResult
from sitegen.runner import run_sources
from sitegen.settings import SETTINGS
from sitegen.sources import read_source

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path: Path, files: dict[str, str], jobs: int | None = None, **kwargs) -> dict:
    """Write files under tmp_path/snippets/ and run them; outcomes by name (without folder)."""
    sources = []
    for name, text in files.items():
        path = tmp_path / "snippets" / "t" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        sources.append(read_source(path, tmp_path))
    outcomes = run_sources(sources, tmp_path, jobs=jobs, **kwargs)
    return {relative.rsplit("/", 1)[1]: outcome for relative, outcome in outcomes.items()}


def failure(outcome) -> str:
    assert isinstance(outcome, AuthorError), f"expected a failure, got {outcome}"
    return str(outcome)


def test_each_section_prints_raises_and_draws_its_own_results(tmp_path):
    outcome = run(
        tmp_path,
        {
            "ok.py": """\
# --8<-- [start:first]
import warnings
import matplotlib.pyplot as plt
import torch
torch.manual_seed(0)
x = torch.rand(2)
print(x)
best = x.max()
# --8<-- [end:first]
# --8<-- [start:second]
fig, ax = plt.subplots()
ax.plot([1, 2])
ax.set_title("A line")
warnings.warn("careful")
plt.show()
torch.zeros(1, device="cuda")  # raises AssertionError
# --8<-- [end:second]
"""
        },
    )["ok.py"]
    assert isinstance(outcome, FileResult), outcome
    first, second = outcome.sections
    assert first.output == "tensor([0.4963, 0.7682])\n"
    assert first.values["best"] == pytest.approx(0.7682, abs=1e-4)
    assert second.output == "UserWarning: careful\n"
    assert second.error == ("AssertionError", "Torch not compiled with CUDA enabled")
    assert [f.alt for f in second.figures] == ["A line"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "import os\nprint('before')\nos._exit(0)\n",
            r"ok\.py:3: os\._exit\(0\) ended the process",
        ),
        (
            "import ctypes\nx = 1\nctypes.string_at(0)\n",
            r"ok\.py:3: the process crashed: Segmentation fault",
        ),
        (
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
            r"ok\.py:1: the process was killed by SIGKILL",
        ),
        (
            "# timeout: 2\nimport time\nx = 0\nwhile True:\n    time.sleep(0.05)\n",
            r"ok\.py:5: still running after 2 s",
        ),
        ("name = input()\n", r"ok\.py:1: EOFError: EOF when reading a line"),
        ("import sys\nsys.exit(0)\n", r"ok\.py:2: SystemExit: 0"),
        (
            "print('x' * 30_000)\n",
            r"ok\.py:1: '__file__' printed more than a section may: print a summary instead "
            r"\(the limit is 20 KB; a file that needs more says `# output: 50 KB`",
        ),
        ("x = 1\n1 / 0\n", r"ok\.py:2: ZeroDivisionError: division by zero$"),
    ],
    ids=[
        "os-exit",
        "segfault",
        "sigkill",
        "timeout",
        "input",
        "sys-exit",
        "too-much-output",
        "raises",
    ],
)
def test_a_source_that_exits_crashes_hangs_or_raises_fails_naming_its_line(
    tmp_path, code, expected
):
    message = failure(run(tmp_path, {"ok.py": code})["ok.py"])
    assert re.search(expected, message), message
    assert "Traceback" not in message


def test_a_daemon_thread_and_a_default_device_do_not_leak_into_the_next_file(tmp_path):
    outcomes = run(
        tmp_path,
        {
            "a.py": """\
import threading, time, torch
def spam():
    while True:
        print("spam"); time.sleep(0.001)
threading.Thread(target=spam, daemon=True).start()
torch.set_default_device("meta")
time.sleep(0.05)
""",
            "b.py": "import time, torch\ntime.sleep(0.1)\nprint(torch.ones(1).device)\n",
        },
        jobs=1,  # one after the other, from the same server
    )
    assert "spam" in outcomes["a.py"].sections[0].output
    assert outcomes["b.py"].sections[0].output == "cpu\n"


def test_nothing_the_source_started_outlives_it_and_its_scratch_folder_is_removed(tmp_path):
    token = uuid.uuid4().hex
    outcome = run(
        tmp_path,
        {
            "ok.py": f"""\
import os, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", "{token}"])
print(os.getcwd())
"""
        },
    )["ok.py"]
    (scratch,) = outcome.sections[0].output.split()
    assert not Path(scratch).exists()
    assert running_with(token) == []


def running_with(token: str) -> list[int]:
    """The processes of this machine that have `token` in their command line and have not
    ended (a killed one may linger a moment as a zombie: not running)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if token.encode() in command and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def test_a_fresh_random_seed_per_run_as_a_new_python_has(tmp_path):
    code = "import torch\nprint(torch.rand(1))\n"
    first = run(tmp_path, {"unseeded.py": code})["unseeded.py"].sections[0].output
    second = run(tmp_path, {"unseeded.py": code})["unseeded.py"].sections[0].output
    assert first != second
    seeded = "import torch\ntorch.manual_seed(1)\nprint(torch.rand(1))\n"
    outputs = {
        run(tmp_path, {"seeded.py": seeded})["seeded.py"].sections[0].output for _ in range(2)
    }
    assert len(outputs) == 1


def test_the_files_a_source_reads_are_recorded_as_its_inputs(tmp_path):
    (tmp_path / "data.txt").write_text("42\n")
    outcome = run(
        tmp_path,
        {
            "reader.py": "from pathlib import Path\nprint(Path(__file__).parents[2].joinpath('data.txt').read_text())\n"
        },
    )["reader.py"]
    assert outcome.sections[0].output.strip() == "42"
    assert list(outcome.inputs) == ["data.txt"]


def test_files_run_at_the_same_time(tmp_path):
    code = "import time\nstart = time.time()\ntime.sleep(0.5)\nprint(start, time.time())\n"
    outcomes = run(tmp_path, {"a.py": code, "b.py": code}, jobs=2)
    (a_start, a_end), (b_start, b_end) = (
        map(float, outcomes[name].sections[0].output.split()) for name in ("a.py", "b.py")
    )
    assert a_start < b_end and b_start < a_end  # the two runs overlap in time


def test_the_parents_stdin_never_reaches_a_source(tmp_path):
    read, write = os.pipe()
    os.write(write, b"a secret the build was piped\n")
    os.close(write)
    saved = os.dup(0)
    os.dup2(read, 0)
    try:
        outcome = run(tmp_path, {"ok.py": "import sys\nprint(repr(sys.stdin.read()))\n"})["ok.py"]
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(read)
    assert outcome.sections[0].output == "''\n"


def test_the_server_runs_the_code_it_reports_and_restarts_when_the_code_on_disk_changes(tmp_path):
    home = tmp_path / "code"  # a copy of the build's code, to edit under its running server
    for package in ("sitegen", "ptx"):
        shutil.copytree(
            ROOT / package, home / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    code = "import warnings\nwarnings.warn('careful')\n"
    try:
        first = run(tmp_path / "project", {"w.py": code}, home=home)["w.py"]
        server = warm_server.servers[(home, SETTINGS.sandbox)]
        assert first.code == server.code == forkserver.code_digest(home / "sitegen")
        child = home / "sitegen" / "child.py"
        edited = child.read_text().replace(
            'write(f"{category.__name__}', 'write(f"edited {category.__name__}'
        )
        assert edited != child.read_text()
        child.write_text(edited)
        second = run(tmp_path / "project", {"w.py": code}, home=home)["w.py"]
        assert warm_server.servers[(home, SETTINGS.sandbox)] is not server  # started again
    finally:
        warm_server.servers.pop((home, SETTINGS.sandbox)).close()
    assert first.sections[0].output == "UserWarning: careful\n"
    assert second.sections[0].output == "edited UserWarning: careful\n"
    assert second.code == forkserver.code_digest(home / "sitegen") != first.code


def test_the_server_imports_only_the_modules_the_cache_key_covers():
    server = warm_server.warm_server()
    assert set(server.ready["modules"]) <= set(forkserver.RUNNING_MODULES)
    assert {"child.py", "keeper.py", "sandbox.py"} <= set(server.ready["modules"])


def test_only_real_warnings_are_filed_for_the_error_index(tmp_path):
    from sitegen.errors_page import messages

    code = (
        "import warnings\nprint('Warning: this is only a print')\n"
        "print('DeprecationWarning: so is this')\nwarnings.warn('careful')\n"
    )
    outcome = run(tmp_path, {"warns.py": code})["warns.py"]
    assert outcome.sections[0].output == (
        "Warning: this is only a print\nDeprecationWarning: so is this\nUserWarning: careful\n"
    )
    assert messages(outcome, "__file__") == [("UserWarning", "careful")]


def test_control_characters_never_reach_the_page(tmp_path):
    code = (
        "import warnings\n"
        "print('\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07bell\\x07 nul\\x00 bidi\\u202e 10%\\r')\n"
        "rtl = 'x\\u202ey'\n"
        "warnings.warn('\\x1b[1mbold\\x1b[0m')\n"
    )
    outcome = run(tmp_path, {"controls.py": code})["controls.py"]
    section = outcome.sections[0]
    assert section.output == ("red bell\\x07 nul\\x00 bidi\\u202e 10%\nUserWarning: bold\n")
    assert section.values["rtl"] == "x\\u202ey"
    assert section.warnings == [("UserWarning", "bold")]
