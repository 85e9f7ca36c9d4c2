"""Run sources in child processes forked from one warm server, several at a time.

The fork server imports torch and the other heavy libraries once (sitegen.preload); each source
then runs in a child forked from it: a truly fresh interpreter state, with its own scratch folder
(always removed), no stdin, a wall-clock timeout, and a process group that is killed afterwards,
so nothing it started outlives it. Whatever happens in the child (an exception, an exit, a hang,
a segfault), the result is a FileResult or an AuthorError that names the file and line.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import pickle
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sitegen import child, forkserver
from sitegen.results import AuthorError, FileResult, InvalidResult, from_json
from sitegen.settings import SETTINGS
from sitegen.sources import Source


class BuildBug(RuntimeError):
    """The build machinery itself failed (not the author's code)."""


@dataclass
class _Job:
    source: Source
    folder: Path  # private to this run: the child's result files, and its scratch cwd
    deadline: float
    pid: int | None = None
    exit: int | None = None
    events: list = field(default_factory=list)


class _Server:
    """The fork server process and the two pipes to it."""

    def __init__(self):
        requests_r, self.requests = os.pipe()
        self.events, events_w = os.pipe()
        # where sitegen itself lives first; "" on sys.path is this process's cwd, not the child's
        home = str(Path(__file__).resolve().parents[1])
        path = [home, *(os.path.abspath(entry) for entry in sys.path)]
        environment = {**os.environ, "SITEGEN_SYS_PATH": json.dumps(path)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", forkserver.LAUNCH, str(requests_r), str(events_w)],
            pass_fds=(requests_r, events_w),
            env=environment,
            stdin=subprocess.DEVNULL,
        )
        os.close(requests_r)
        os.close(events_w)
        self.buffer = b""
        self.devices: list[str] | None = None  # known once it is ready

    def wait_until_ready(self) -> None:
        """Block until the server has imported everything (the first event it sends)."""
        if self.devices is not None:
            return
        ready = self.read(timeout=SETTINGS.server_start_s)
        if not ready or not ready[0].get("ready"):
            raise BuildBug("the fork server did not start (see the error above)")
        self.devices = ready[0]["devices"]

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: dict) -> None:
        os.write(self.requests, (json.dumps(request) + "\n").encode())

    def read(self, timeout: float) -> list[dict]:
        """The events that arrive within `timeout` seconds (at least one unless it runs out)."""
        ready, _, _ = select.select([self.events], [], [], timeout)
        if not ready:
            return []
        chunk = os.read(self.events, 1 << 16)
        if not chunk:
            raise BuildBug("the fork server stopped")
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        return [json.loads(line) for line in lines]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.requests)
        with contextlib.suppress(OSError):
            os.close(self.events)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        if self.process.poll() is None:
            self.process.kill()


_server: _Server | None = None


def start_server() -> _Server:
    """Start the one fork server of this process if it is not running, without waiting for it:
    it imports torch while the caller gets on with its own work. It is kept for later builds
    (`mkdocs serve` rebuilds in the same process)."""
    global _server
    if _server is None or not _server.alive():
        _server = _Server()
        atexit.register(_server.close)
    return _server


def _warm_server() -> _Server:
    server = start_server()
    server.wait_until_ready()
    return server


def available_devices() -> list[str]:
    """The devices this machine has, as the fork server's torch sees them."""
    return _warm_server().devices


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_sources(
    sources: Iterable[Source],
    root: Path,
    jobs: int | None = None,
    keep_namespace: bool = False,
    on_done: Callable[[Source, FileResult | AuthorError], None] | None = None,
) -> dict[str, FileResult | AuthorError]:
    """Run every source, `jobs` at a time; each one's result or error, by relative path."""
    pending = list(sources)  # in the order given: the caller puts the longest first
    if not pending:
        return {}
    server = _warm_server()
    jobs = jobs or default_jobs()
    running: dict[str, _Job] = {}
    outcomes: dict[str, FileResult | AuthorError] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                job = _start(server, pending.pop(0), root, keep_namespace)
                running[job.source.relative] = job
            timeout = max(0.0, min(job.deadline for job in running.values()) - time.monotonic())
            for event in server.read(timeout):
                job = running[event["id"]]
                if "pid" in event:
                    job.pid = event["pid"]
                else:
                    job.exit = event["exit"]
            now = time.monotonic()
            for name, job in list(running.items()):
                if job.exit is not None or (now >= job.deadline and job.pid is not None):
                    del running[name]
                    outcomes[name] = _finish(server, job, keep_namespace)
                    if on_done:
                        on_done(job.source, outcomes[name])
    finally:
        for job in running.values():  # interrupted (Ctrl-C): leave nothing behind
            _kill(job.pid)
            shutil.rmtree(job.folder, ignore_errors=True)
    return outcomes


def _start(server: _Server, source: Source, root: Path, keep_namespace: bool) -> _Job:
    folder = Path(tempfile.mkdtemp(prefix="sitegen-"))
    scratch = folder / "work"
    scratch.mkdir()
    server.send(
        {
            "id": source.relative,
            "path": str(source.path),
            "display": source.relative,
            "root": str(root),
            "not_inputs": [str(root / "ptx"), str(root / ".venv"), str(root / "build")],
            "sections": [asdict(unit) for unit in source.code_sections],
            "private": str(folder),
            "scratch": str(scratch),
            "timeout": source.timeout,
            "env": dict(os.environ),
            "keep_namespace": keep_namespace,
        }
    )
    return _Job(source, folder, time.monotonic() + source.timeout + SETTINGS.grace_s)


def _finish(server: _Server, job: _Job, keep_namespace: bool) -> FileResult | AuthorError:
    _kill(job.pid)  # the whole group: whatever the source started in the background
    if job.exit is None:  # past every deadline: its own watchdog could not stop it
        deadline = time.monotonic() + 5
        while job.exit is None and time.monotonic() < deadline:
            for event in server.read(0.1):
                if event.get("id") == job.source.relative and "exit" in event:
                    job.exit = event["exit"]
    try:
        return _outcome(job, keep_namespace)
    finally:
        shutil.rmtree(job.folder, ignore_errors=True)


def _kill(pid: int | None) -> None:
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _outcome(job: _Job, keep_namespace: bool) -> FileResult | AuthorError:
    source, folder = job.source, job.folder
    path = source.relative
    result_file = folder / child.RESULT
    if result_file.exists():
        data = json.loads(result_file.read_text())
        if data.get("ok"):
            try:
                result = from_json(data["result"])
            except InvalidResult as error:
                raise BuildBug(f"{path}: the child's result is malformed: {error}") from None
            if keep_namespace:
                result.namespace = _namespace(folder / child.NAMESPACE)
            return result
        if "crash" in data:
            raise BuildBug(f"{path}: the build failed while running it:\n{data['crash']}")
        return AuthorError(path, data["line"], data["message"])
    fault = _read(folder / child.FAULT)
    progress = _read(folder / child.PROGRESS)
    line = _line_in_dump(fault, path) or (int(progress) if progress.isdigit() else None)
    if (folder / child.EXIT).exists():
        record = json.loads((folder / child.EXIT).read_text())
        return AuthorError(
            path,
            record["line"] or line,
            f"os._exit({record['status']}) ended the process before the file finished",
        )
    if fault.startswith("Timeout") or job.exit is None:
        return AuthorError(
            path,
            line,
            f"still running after {source.timeout:.0f} s, the time a file may take: a loop that "
            f"never ends, or waiting for input? (a file that needs longer says `# timeout: N`)",
        )
    if "Fatal Python error" in fault:
        reason = fault.split("Fatal Python error:", 1)[1].splitlines()[0].strip()
        return AuthorError(path, line, f"the process crashed: {reason}")
    code = job.exit
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return AuthorError(path, line, f"the process was killed by {name}")
    return AuthorError(
        path, line, f"the process exited with status {code} before the file finished"
    )


def _line_in_dump(dump: str, path: str) -> int | None:
    """The innermost line of `path` in a faulthandler dump, in the thread that runs the file."""
    for block in re.split(r"\n\s*\n", dump):
        lines = re.findall(rf'File "{re.escape(path)}", line (\d+) in (\S+)', block)
        if any(function == "<module>" for _, function in lines):
            return int(lines[0][0])
    return None


def _read(file: Path) -> str:
    try:
        return file.read_text(errors="replace").strip()
    except OSError:
        return ""


def _namespace(file: Path) -> dict:
    """The globals the tests asked for, those that unpickle here (tensors, numbers, dicts...)."""
    try:
        pickled = pickle.loads(file.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        return {}
    namespace = {}
    for name, data in pickled.items():
        with contextlib.suppress(Exception):
            namespace[name] = pickle.loads(data)
    return namespace
