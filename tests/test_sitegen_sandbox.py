"""Nothing a snippet does escapes its run (issue 21): each probe an attacker tried is either
harmless or fails the build loudly naming its file (and line), in the sandbox and in the fallback
that detects what it cannot prevent; and when a run ends, no process of it is left running."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import socket
import uuid
from pathlib import Path

import pytest

from sitegen import detection, warm_server
from sitegen.results import AuthorError, FileResult
from sitegen.runner import run_sources
from sitegen.settings import SETTINGS
from sitegen.sources import read_source
from tests.test_sitegen_runner import running_with

MODES = ("sandbox", "detection")


@pytest.fixture(params=MODES)
def mode(request) -> str:
    return request.param


def run(tmp_path: Path, files: dict[str, str], mode: str = "sandbox", **kwargs) -> dict:
    """Write files under tmp_path/snippets/t/ and run them; outcomes by name (without folder).
    The sandbox is asked for, and must start: bubblewrap is installed by `make sandbox`."""
    sources = []
    for name, text in files.items():
        path = tmp_path / "snippets" / "t" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        sources.append(read_source(path, tmp_path))
    sandboxed = mode == "sandbox"
    outcomes = run_sources(sources, tmp_path, sandboxed=sandboxed, **kwargs)
    server = warm_server.warm_server(sandboxed=sandboxed)
    assert server.sandboxed == sandboxed, f"no sandbox here: {warm_server.no_sandbox}"
    return {relative.rsplit("/", 1)[1]: outcome for relative, outcome in outcomes.items()}


def failure(outcome) -> str:
    assert isinstance(outcome, AuthorError), f"expected a failure, got {outcome}"
    message = str(outcome)
    assert "Traceback" not in message
    return message


def project(tmp_path: Path) -> Path:
    """A project with pages and a config a snippet might try to change."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>published</p>\n")
    return tmp_path


# -- processes ----------------------------------------------------------------------------------
def test_processes_in_new_sessions_or_double_forked_end_with_their_file(tmp_path, mode):
    token = uuid.uuid4().hex
    sleeper = f'[sys.executable, "-c", "import time; time.sleep(1000)", "{token}"]'
    outcome = run(
        tmp_path,
        {
            "leaves.py": f"""\
import os, subprocess, sys
subprocess.Popen({sleeper}, start_new_session=True)
subprocess.Popen({sleeper})
if os.fork() == 0:  # a daemon: fork, setsid, fork again, and the middle one exits
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, {sleeper})
    os._exit(0)
print("left three processes behind")
"""
        },
        mode,
    )["leaves.py"]
    assert isinstance(outcome, FileResult), outcome
    assert running_with(token) == []


def test_too_many_processes_at_once_stop_the_run_naming_the_limit(tmp_path, mode):
    token = uuid.uuid4().hex
    message = failure(
        run(
            tmp_path,
            {
                "forks.py": f"""\
# processes: 3
import subprocess, sys, time
children = [
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", "{token}"])
    for _ in range(6)
]
time.sleep(1000)
"""
            },
            mode,
        )["forks.py"]
    )
    assert "forks.py:" in message
    assert "started more processes at once than a run may have" in message
    assert "the limit is 3; a file that needs more says `# processes: 64`" in message
    assert running_with(token) == []


# -- files ----------------------------------------------------------------------------------------
WRITES = """\
from pathlib import Path
root = Path(__file__).parents[2]
with open(root / "docs" / "index.md", "a") as page:
    page.write("<script>alert(1)</script>\\n")
(root / "mkdocs.yml").write_text("site_name: hacked\\n")
(root / "snippets" / "t" / "other.py").write_text("print('edited')\\n")
(root / "site" / "index.html").write_text("<p>defaced</p>\\n")
"""


def test_a_write_into_the_project_fails_naming_the_file(tmp_path, mode):
    root = project(tmp_path)
    (root / "snippets" / "t").mkdir(parents=True)
    (root / "snippets" / "t" / "other.py").write_text("print('mine')\n")
    message = failure(run(root, {"writes.py": WRITES}, mode)["writes.py"])
    if mode == "sandbox":  # prevented: the first write fails at its line
        assert message.startswith("snippets/t/writes.py:3: OSError: [Errno 30] Read-only file")
        assert "docs/index.md" in message
        assert (root / "docs" / "index.md").read_text() == "# Home\n"
        assert (root / "site" / "index.html").read_text() == "<p>published</p>\n"
    else:  # detected: the changed files are named, first of them as the error's path
        assert message.startswith("docs/index.md: changed while snippets/t/writes.py ran")
        for changed in ("mkdocs.yml", "site/index.html", "snippets/t/other.py"):
            assert changed in message


def test_a_write_outside_the_scratch_folder_is_refused_or_private(tmp_path):
    token = uuid.uuid4().hex
    outside = Path.home() / f".sitegen-probe-{token}"
    outcomes = run(
        tmp_path,
        {
            "tmp.py": f"""\
open('/tmp/{token}', 'w').write('mine')
open({str(tmp_path.parent / token)!r}, 'w').write('mine too')
print(open('/tmp/{token}').read())
""",
            "outside.py": f"open({str(outside)!r}, 'w').write('x')\n",
        },
    )
    assert outcomes["tmp.py"].sections[0].output == "mine\n"  # its own /tmp: private
    assert not Path(f"/tmp/{token}").exists()
    assert not (tmp_path.parent / token).exists()
    assert "outside.py:1: OSError: [Errno 30] Read-only file system" in failure(
        outcomes["outside.py"]
    )
    assert not outside.exists()


def test_a_run_has_no_network(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        message = failure(
            run(
                tmp_path,
                {"net.py": f"import socket\nsocket.create_connection(('127.0.0.1', {port}))\n"},
            )["net.py"]
        )
    assert "net.py:2: ConnectionRefusedError" in message


@pytest.mark.parametrize(
    ("code", "limit"),
    [
        (
            "# disk: 1 MB\nfrom pathlib import Path\nPath('big').write_bytes(b'x' * 3_000_000)\n",
            "`# disk: 1 GB`",
        ),
        (
            "# files: 20\nfor i in range(100):\n    open(f'file-{i}', 'w').close()\n",
            "`# files: 5000`",
        ),
    ],
    ids=["bytes", "files"],
)
def test_what_a_run_writes_is_limited_naming_the_marker(tmp_path, mode, code, limit):
    message = failure(run(tmp_path, {"fills.py": code}, mode)["fills.py"])
    assert message.startswith("snippets/t/fills.py:"), message
    assert limit in message


# -- output and memory ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "line", "how"),
    [
        ("x = 'x' * 1000\nwhile True:\n    print(x)\n", 3, "print a summary instead"),
        (
            "import os\nx = b'x' * 1000\nwhile True:\n    os.write(1, x)\n",
            (3, 4),  # stopped from outside, in its loop
            "outside Python's print",
        ),
        (
            "import subprocess\nsubprocess.run(['yes'])\n",
            2,
            "outside Python's print",
        ),
        (
            "x = 'x' * 1000\nwhile True:\n    try:\n        print(x)\n    except BaseException:\n"
            "        pass\n",
            4,
            "print a summary instead",
        ),
    ],
    ids=["print", "os-write", "subprocess", "caught"],
)
def test_printing_forever_stops_at_the_limit_not_after(tmp_path, mode, code, line, how):
    message = failure(run(tmp_path, {"floods.py": f"# timeout: 600\n{code}"}, mode)["floods.py"])
    lines = line if isinstance(line, tuple) else (line,)
    assert any(
        message.startswith(f"snippets/t/floods.py:{n + 1}: '__file__' printed more than")
        for n in lines
    ), message
    assert how in message
    assert "the limit is 20 KB; a file that needs more says `# output: 50 KB`" in message


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("import sys\nsys.setrecursionlimit(10**8)\ndef deeper(n):\n"
         "    held = bytearray(10**6)\n    return deeper(n + 1)\ndeeper(0)\n", 7),
        ("block = bytearray(20 * 10**9)\n", 2),
        ("import torch\nt = torch.empty(10**10)\n", 3),
    ],
    ids=["recursion", "bytearray", "tensor"],
)  # fmt: skip
def test_unbounded_memory_fails_at_the_limit_naming_the_marker(tmp_path, mode, code, line):
    message = failure(run(tmp_path, {"grows.py": f"# memory: 2 GB\n{code}"}, mode)["grows.py"])
    assert message.startswith(f"snippets/t/grows.py:{line}: ")
    assert "over the memory one process of a run may use (the limit is 2 GB" in message
    assert ": :" not in message
    assert "`# memory: 8 GB`" in message


# -- the result -----------------------------------------------------------------------------------
def test_a_forged_result_is_never_read(tmp_path, mode):
    forged = (
        '{"reason": null, "stopped_by": null, "status": 0, "line": 1, "exit": null, '
        '"message": {"error": {"line": 1, "message": "FORGED"}}, "outputs": ["FORGED"]}'
    )
    outcome = run(
        tmp_path,
        {
            "forges.py": f"""\
import os
for name in ("result.json", "outcome.json", "fault.txt"):
    for folder in ("..", "../.."):
        try:
            with open(os.path.join(folder, name), "w") as out:
                out.write({forged!r})
        except OSError:
            pass
print("the real output")
"""
        },
        mode,
    )["forges.py"]
    assert isinstance(outcome, FileResult), outcome
    assert outcome.sections[0].output == "the real output\n"


def test_a_killed_fork_server_fails_the_files_it_ran_by_name(tmp_path, mode, monkeypatch):
    sandboxed = mode == "sandbox"
    server = warm_server.warm_server(sandboxed=sandboxed)
    send = server.send

    def send_then_kill(request):
        send(request)
        if "path" in request:
            server.process.send_signal(signal.SIGKILL)

    monkeypatch.setattr(server, "send", send_then_kill)
    message = failure(
        run(tmp_path, {"victim.py": "import time\ntime.sleep(1000)\n"}, mode)["victim.py"]
    )
    assert message.startswith("snippets/t/victim.py: the build's fork server was killed by SIGKILL")
    assert "while this file ran, so it has no result: build again" in message
    assert run(tmp_path, {"after.py": "print(1)\n"}, mode)["after.py"].sections[0].output == "1\n"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "import faulthandler, time\nfaulthandler.cancel_dump_traceback_later()\n"
            "while True:\n    time.sleep(0.05)\n",
            r"watchdog.py:[45]: still running after 2 s",  # stopped in its loop
        ),
        (
            "import os, signal\nx = 1\nos.kill(os.getpid(), signal.SIGSTOP)\n",
            r"watchdog.py:4: the process was stopped \(SIGSTOP\) and never continued; the build "
            r"ended it after 2 s",
        ),
        (
            "import signal, time\nsignal.signal(signal.SIGABRT, signal.SIG_IGN)\n"
            "while True:\n    time.sleep(0.05)\n",
            r"watchdog.py:1: still running after 2 s",  # no traceback: where the section starts
        ),
    ],
    ids=["cancelled-watchdog", "sigstop", "ignores-sigabrt"],
)
def test_a_run_that_dodges_its_watchdog_is_reported_truthfully(tmp_path, mode, code, expected):
    import re

    message = failure(run(tmp_path, {"watchdog.py": f"# timeout: 2\n{code}"}, mode)["watchdog.py"])
    assert re.search(expected, message), message
    assert "SIGKILL" not in message


def test_without_bubblewrap_the_build_says_so_in_one_line_and_detects(
    tmp_path, monkeypatch, caplog
):
    caplog.set_level(logging.INFO, logger="mkdocs.sitegen")
    monkeypatch.setattr(
        warm_server, "SETTINGS", dataclasses.replace(SETTINGS, bwrap="no-such-bwrap")
    )
    monkeypatch.setattr(warm_server, "no_sandbox", None)
    monkeypatch.setattr(warm_server, "servers", {})
    project(tmp_path)
    outcomes = run_sources(
        [
            _write(
                tmp_path,
                "snippets/t/w.py",
                f"open({str(tmp_path / 'docs/index.md')!r}, 'a').write('x')\n",
            )
        ],
        tmp_path,
    )
    lines = [r.message for r in caplog.records if "no sandbox" in r.message]
    assert lines == [
        "sitegen: no sandbox here (`no-such-bwrap` is not installed (Debian's bubblewrap "
        "package)): snippets run unconfined, the build fails if the project or site/ changes "
        "while they run, and it ends what they leave running"
    ]
    assert str(outcomes["snippets/t/w.py"]).startswith("docs/index.md: changed while")
    for server in warm_server.servers.values():
        server.close()


def _write(root: Path, relative: str, text: str):
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_text(text)
    return read_source(root / relative, root)


def test_the_fingerprint_names_added_removed_and_written_files(tmp_path):
    (tmp_path / "kept.txt").write_text("1")
    (tmp_path / "gone.txt").write_text("1")
    (tmp_path / "build").mkdir()
    before = detection.Fingerprint.take(tmp_path)
    (tmp_path / "gone.txt").unlink()
    (tmp_path / "new.txt").write_text("1")
    (tmp_path / "kept.txt").write_text("22")
    (tmp_path / "build" / "cache.json").write_text("{}")  # the build's own: not watched
    assert detection.Fingerprint.take(tmp_path).changed_since(before) == [
        "gone.txt",
        "kept.txt",
        "new.txt",
    ]


# -- whole builds ---------------------------------------------------------------------------------
def _page(*snippets: str) -> str:
    fences = "".join(f'\n```py title="{s}"\n--8<-- "snippets/home/{s}"\n```\n' for s in snippets)
    return f"# Probes\n{fences}"


def test_a_build_whose_snippet_writes_into_the_project_fails_and_publishes_nothing(tmp_path):
    from tests.support.site_build import build, mini_project

    root = mini_project(tmp_path, _page("ok.py"), {"snippets/home/ok.py": "print('ok')\n"})
    assert build(root).returncode == 0
    published = (root / "site" / "index.html").read_text()
    page = (root / "docs" / "index.md").read_text()
    (root / "snippets" / "home" / "ok.py").write_text(
        "from pathlib import Path\n"
        "root = Path(__file__).parents[2]\n"
        "(root / 'site' / 'index.html').write_text('defaced')\n"
    )
    run = build(root)
    assert run.returncode != 0
    assert "snippets/home/ok.py:3: OSError: [Errno 30] Read-only file system" in run.stderr
    assert (root / "site" / "index.html").read_text() == published
    assert (root / "docs" / "index.md").read_text() == page


def test_a_build_ends_with_no_process_of_its_runs_left(tmp_path):
    from tests.support.site_build import build, mini_project

    token = uuid.uuid4().hex
    source = (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(1000)', '{token}'],"
        " start_new_session=True)\n"
        "print('started one')\n"
    )
    root = mini_project(tmp_path, _page("leaves.py"), {"snippets/home/leaves.py": source})
    run = build(root)
    assert run.returncode == 0, run.stderr
    assert running_with(token) == []


def test_sources_in_latin_1_or_with_a_bom_build_and_show_their_text(tmp_path):
    from tests.support.site_build import build, mini_project

    root = mini_project(tmp_path, _page("latin.py", "bom.py"), {})
    (root / "snippets" / "home").mkdir(parents=True)
    (root / "snippets" / "home" / "latin.py").write_bytes(
        "# -*- coding: latin-1 -*-\nprint('café')\n".encode("latin-1")
    )
    (root / "snippets" / "home" / "bom.py").write_bytes(
        b"\xef\xbb\xbf# --8<-- [start:a]\nprint('bom')\n# --8<-- [end:a]\n"
    )
    (root / "docs" / "index.md").write_text(
        _page("latin.py") + '\n```py title="bom.py"\n--8<-- "snippets/home/bom.py:a"\n```\n'
    )
    run = build(root)
    assert run.returncode == 0, run.stderr
    html = (root / "site" / "index.html").read_text()
    assert html.count("café") >= 2 and "bom" in html  # the code and its output
    published = root / "site" / "snippets" / "home" / "latin.py"
    assert published.read_bytes() == (root / "snippets" / "home" / "latin.py").read_bytes()


def test_an_undecodable_source_is_one_problem_beside_the_others(tmp_path):
    from tests.support.site_build import build, mini_project

    root = mini_project(
        tmp_path,
        _page("broken.py", "raises.py"),
        {"snippets/home/raises.py": "x = 1\nraise ValueError('nope')\n"},
    )
    (root / "snippets" / "home" / "broken.py").write_bytes(b"print('caf\xe9')\n")
    run = build(root)
    assert run.returncode != 0
    assert (
        "snippets/home/broken.py: cannot be read as Python reads it: line 1 is not utf-8"
        in run.stderr
    )
    assert "snippets/home/raises.py:2: ValueError: nope" in run.stderr
    assert "UnicodeDecodeError" not in run.stderr and "Traceback" not in run.stderr


def test_a_printed_warning_needs_no_error_index_entry(tmp_path):
    from tests.support.site_build import build, mini_project

    source = "print('Warning: the learning rate looks high')\n"
    root = mini_project(tmp_path, _page("warns.py"), {"snippets/home/warns.py": source})
    (root / "errors.yml").write_text("[]\n")  # no entry at all
    run = build(root)
    assert run.returncode == 0, run.stderr
    real = "import warnings\nwarnings.warn('careful')\n"
    (root / "snippets" / "home" / "warns.py").write_text(real)
    run = build(root)
    assert run.returncode != 0
    assert "no entry explains 'UserWarning: careful'" in run.stderr


def test_a_clone_under_tmp_keeps_its_project_and_its_python_readable_in_a_run(tmp_path):
    """Each run gets a /tmp of its own; a project cloned under /tmp runs its snippets with a
    Python there too (its .venv): both stay readable in the run, not hidden by its /tmp."""
    from sitegen import sandbox

    if warm_server.warm_server(sandboxed=True).sandboxed is not True:
        pytest.skip(f"no sandbox here: {warm_server.no_sandbox}")
    project, python = tmp_path / "clone", tmp_path / "elsewhere" / "venv"
    for folder in (project, python):
        folder.mkdir(parents=True)
        (folder / "kept.txt").write_text("kept")
    (tmp_path / "outside.txt").write_text("the host's /tmp")
    private = sandbox.runs_folder() / "run"
    private.mkdir()
    pid = os.fork()
    if pid == 0:  # a run's first process, as the keeper makes it
        status = 2
        try:
            sandbox.enter_run_namespace()
            first = os.fork()
            if first == 0:
                try:
                    sandbox.private_mounts(private, 1 << 20, 16, [project, python])
                    readable = [(f / "kept.txt").read_text() for f in (project, python)]
                    os._exit(
                        0 if readable == ["kept", "kept"] and not (tmp_path / "x").exists() else 1
                    )
                except BaseException:  # noqa: BLE001 - the status says it
                    os._exit(3)
            status = os.waitstatus_to_exitcode(os.waitpid(first, 0)[1])
        finally:
            os._exit(status)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
