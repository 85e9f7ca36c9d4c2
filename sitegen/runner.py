"""Run sources in processes forked from one warm server, several at a time, each in a sandbox.

The fork server imports torch and the other heavy libraries once (sitegen.preload), in bubblewrap
where it can start (sitegen.sandbox); each source then runs in a process forked from it: a truly
fresh interpreter state, with its own scratch folder (always removed), no stdin, and limits on
its time, memory, output, files and processes, under a keeper (sitegen.keeper) that ends
everything it started when it ends. Whatever happens in the run (an exception, an exit, a hang, a
segfault, a limit), the result is a FileResult or an AuthorError that names the file and line.

The server is tied to its code: it reports the digest of the build code it imported, results are
keyed on that, and it is started again when the code on disk differs (`mkdocs serve` keeps one).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import logging
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
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import forkserver, keeper, sandbox
from sitegen.results import AuthorError, FileResult, InvalidResult, from_json
from sitegen.settings import SETTINGS
from sitegen.sources import Source, limit_hint
from sitegen.terminal import as_shown

log = logging.getLogger("mkdocs.sitegen")
HOME = Path(__file__).resolve().parents[1]  # where the build's own code lives


class BuildBug(RuntimeError):
    """The build machinery itself failed (not the author's code)."""


class ServerStopped(BuildBug):
    """The fork server ended while runs were under way (killed from outside, or out of memory)."""


@dataclass
class _Job:
    source: Source
    folder: Path  # private to this run: the keeper's report, and the scratch folder below it
    deadline: float  # past it the build asks the keeper to stop, then gives up on the server
    pid: int | None = None  # the keeper's, in the server's PID namespace: never signalled here
    exit: int | None = None
    stop_asked: bool = False
    changed: list[str] = field(default_factory=list)  # project files changed while it ran
    suspects: list[str] = field(default_factory=list)  # the files that ran meanwhile


class _Server:
    """The fork server process and the two pipes to it."""

    def __init__(self, home: Path, sandboxed: bool):
        self.home, self.wanted_sandbox = home, sandboxed
        self.runs = sandbox.runs_folder()  # the one place the sandbox may write to
        requests_r, self.requests = os.pipe()
        self.events, events_w = os.pipe()
        # where sitegen itself lives first; "" on sys.path is this process's cwd, not the child's
        path = [str(home), *(os.path.abspath(entry) for entry in sys.path)]
        environment = {**os.environ, "SITEGEN_SYS_PATH": json.dumps(path)}
        if sandboxed:  # the sandbox's /tmp is read-only: torch and matplotlib want folders
            environment["MPLCONFIGDIR"] = str(_matplotlib_folder(self.runs / "matplotlib"))
            (self.runs / "tmp").mkdir()
            environment["TMPDIR"] = str(self.runs / "tmp")
        mode = "sandbox" if sandboxed else "detection"
        command = [sys.executable, "-c", forkserver.LAUNCH, str(requests_r), str(events_w)]
        command += [str(self.runs), mode]
        if sandboxed:
            command = sandbox.bwrap_command(SETTINGS.bwrap, self.runs) + command
        self.process = subprocess.Popen(
            command,
            pass_fds=(requests_r, events_w),
            env=environment,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in a terminal reaches the build, which ends it
        )
        os.close(requests_r)
        os.close(events_w)
        self.buffer = b""
        self.ready: dict | None = None  # its first event, once it has imported everything

    def wait_until_ready(self) -> None:
        """Block until the server has imported everything (the first event it sends)."""
        if self.ready is not None:
            return
        ready = self.read(timeout=SETTINGS.server_start_s)
        if not ready or not ready[0].get("ready"):
            raise BuildBug("the fork server did not start (see the error above)")
        self.ready = ready[0]
        unlisted = set(self.ready["modules"]) - set(forkserver.RUNNING_MODULES)
        if unlisted:
            raise BuildBug(
                f"the fork server imported {sorted(unlisted)}, which RUNNING_MODULES does not "
                "list: the cache would not know when they change"
            )

    @property
    def devices(self) -> list[str]:
        return self.ready["devices"]

    @property
    def sandboxed(self) -> bool:
        return bool(self.ready and self.ready["sandboxed"])

    @property
    def code(self) -> str | None:
        """The digest of the build code the server imported (None: edited as it started)."""
        return self.ready["code"] if self.ready else None

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: dict) -> None:
        try:
            os.write(self.requests, (json.dumps(request) + "\n").encode())
        except BrokenPipeError:
            raise ServerStopped(self._stopped()) from None

    def read(self, timeout: float) -> list[dict]:
        """The events that arrive within `timeout` seconds (at least one unless it runs out)."""
        ready, _, _ = select.select([self.events], [], [], timeout)
        if not ready:
            return []
        chunk = os.read(self.events, 1 << 16)
        if not chunk:
            raise ServerStopped(self._stopped())
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        return [json.loads(line) for line in lines]

    def _stopped(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        return _ended("the build's fork server", self.process.returncode)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.requests)  # the server stops every run and exits
        with contextlib.suppress(OSError):
            os.close(self.events)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=SETTINGS.stop_grace_s + 5)
        if self.process.poll() is None:
            self.process.kill()  # in the sandbox, everything in it ends with it
            self.process.wait()
        shutil.rmtree(self.runs, ignore_errors=True)


def _matplotlib_folder(folder: Path) -> Path:
    """A writable matplotlib folder for the sandboxed server (the user's is read-only there),
    with the font list of the user's cache, so that it is not made again at each start."""
    folder.mkdir()
    cache = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib"
    )
    for fonts in Path(cache).glob("fontlist-*.json"):
        with contextlib.suppress(OSError):
            shutil.copy(fonts, folder / fonts.name)
    return folder


def _ended(what: str, code: int | None) -> str:
    if code is None:
        return f"{what} is still running"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"{what} was killed by {name}"
    return f"{what} exited with status {code}"


_servers: dict[tuple[Path, bool], _Server] = {}
_no_sandbox: str | None = None  # why the sandbox cannot start here, once known
_bwrap_starts: str | None = None  # the bubblewrap program that was seen to start here


def _wants_sandbox(sandboxed: bool | None) -> bool:
    """Whether to run the server in the sandbox: asked for, and bubblewrap starts here (tried
    once per process and program)."""
    global _bwrap_starts
    if not (SETTINGS.sandbox if sandboxed is None else sandboxed) or _no_sandbox:
        return False
    if _bwrap_starts == SETTINGS.bwrap:
        return True
    command = sandbox.bwrap_command(SETTINGS.bwrap, Path(tempfile.gettempdir()))
    why = (
        f"`{SETTINGS.bwrap}` is not installed (Debian's bubblewrap package)"
        if command is None
        else sandbox.bwrap_fails(command)
    )
    if why:
        _say_no_sandbox(why)
        return False
    _bwrap_starts = SETTINGS.bwrap
    return True


def _say_no_sandbox(why: str) -> None:
    global _no_sandbox
    _no_sandbox = why
    log.info(
        f"sitegen: no sandbox here ({why}): snippets run unconfined, the build fails if the "
        "project or site/ changes while they run, and it ends what they leave running"
    )


def start_server(home: Path = HOME, sandboxed: bool | None = None) -> _Server:
    """Start the fork server of this process if it is not running, without waiting for it:
    it imports torch while the caller gets on with its own work. It is kept for later builds
    (`mkdocs serve` rebuilds in the same process), and started again when its code changed."""
    wanted = _wants_sandbox(sandboxed)
    key = (home, SETTINGS.sandbox if sandboxed is None else sandboxed)
    server = _servers.get(key)
    current = server is not None and server.alive() and server.wanted_sandbox == wanted
    if current and (
        server.ready is None or server.code == forkserver.code_digest(home / "sitegen")
    ):
        return server
    if server is not None:
        server.close()
    server = _servers[key] = _Server(home, wanted)
    atexit.register(server.close)
    return server


def _warm_server(home: Path = HOME, sandboxed: bool | None = None) -> _Server:
    server = start_server(home, sandboxed)
    server.wait_until_ready()
    if server.wanted_sandbox and not server.sandboxed:  # bwrap started, a run's namespaces not
        _say_no_sandbox(server.ready["why"])
        server = start_server(home, sandboxed)
        server.wait_until_ready()
    if server.code != forkserver.code_digest(home / "sitegen"):  # edited while it started
        server = start_server(home, sandboxed)
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
    sandboxed: bool | None = None,
    home: Path = HOME,
) -> dict[str, FileResult | AuthorError]:
    """Run every source, `jobs` at a time; each one's result or error, by relative path.

    `sandboxed` (default: SETTINGS.sandbox) asks for the sandbox; without one, what the runs
    change in the project (`root`, its site/ included) fails the file that ran."""
    pending = list(sources)  # in the order given: the caller puts the longest first
    if not pending:
        return {}
    server = _warm_server(home, sandboxed)
    jobs = jobs or default_jobs()
    running: dict[str, _Job] = {}
    outcomes: dict[str, FileResult | AuthorError] = {}
    watch = None if server.sandboxed else _Watch(root)
    try:
        while pending or running:
            while pending and len(running) < jobs:
                job = _start(server, pending.pop(0), root, keep_namespace)
                running[job.source.relative] = job
            try:
                _wait_for_events(server, running)
            except ServerStopped as stopped:
                for name, job in running.items():
                    outcomes[name] = _lost(job, str(stopped))
                running.clear()
                server = _warm_server(home, sandboxed)  # a new one for the files still to run
                continue
            for name, job in list(running.items()):
                if job.exit is not None:
                    del running[name]
                    if watch:
                        watch.check([job, *running.values()])
                    outcomes[name] = _finish(job, keep_namespace, server.code)
                    if on_done:
                        on_done(job.source, outcomes[name])
    finally:
        for job in running.values():  # interrupted (Ctrl-C): leave nothing behind
            with contextlib.suppress(OSError, BuildBug):
                server.send({"stop": job.source.relative})
            shutil.rmtree(job.folder, ignore_errors=True)
    if watch:
        watch.check_all(outcomes)
    return outcomes


def _wait_for_events(server: _Server, running: dict[str, _Job]) -> None:
    timeout = max(0.0, min(job.deadline for job in running.values()) - time.monotonic())
    for event in server.read(timeout):
        job = running.get(event["id"])
        if job is None:  # a run the build gave up on (interrupted)
            continue
        if "pid" in event:
            job.pid = event["pid"]
        else:
            job.exit = event["exit"]
    now = time.monotonic()
    for job in running.values():
        if job.exit is None and now >= job.deadline:
            _past_deadline(server, job)


def _start(server: _Server, source: Source, root: Path, keep_namespace: bool) -> _Job:
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=server.runs))
    (folder / "work").mkdir()
    (folder / "tmp").mkdir()
    limits = {
        **dataclasses.asdict(source.limits),
        "stop_grace_s": SETTINGS.stop_grace_s,
        "watch_interval_s": SETTINGS.watch_interval_s,
    }
    server.send(
        {
            "id": source.relative,
            "path": str(source.path),
            "display": source.relative,
            "root": str(root),
            "not_inputs": [str(root / "ptx"), str(root / ".venv"), str(root / "build")],
            "sections": [dataclasses.asdict(unit) for unit in source.code_sections],
            "private": str(folder),
            "scratch": str(folder / "work"),
            # in the sandbox /tmp is the run's own (its folder's tmpfs); without, a folder in it
            "tmp": "/tmp" if server.sandboxed else str(folder / "tmp"),
            "limits": limits,
            "env": dict(os.environ),
            "keep_namespace": keep_namespace,
        }
    )
    late = source.timeout + SETTINGS.stop_grace_s + SETTINGS.grace_s
    return _Job(source, folder, time.monotonic() + late)


def _past_deadline(server: _Server, job: _Job) -> None:
    """The keeper should have stopped the run by now: ask it to (SIGTERM), and past one more
    grace period end the server itself (and with it, everything it ran)."""
    if not job.stop_asked:
        job.stop_asked = True
        job.deadline = time.monotonic() + SETTINGS.grace_s
        server.send({"stop": job.source.relative})
        return
    server.close()
    raise ServerStopped(f"the build ended its fork server, as {job.source.relative} would not stop")


def _finish(job: _Job, keep_namespace: bool, code: str | None) -> FileResult | AuthorError:
    try:
        outcome = _outcome(job, keep_namespace)
    finally:
        shutil.rmtree(job.folder, ignore_errors=True)
    if isinstance(outcome, FileResult):
        outcome.code = code
    if job.changed:
        return _changed_error(job)
    return outcome


def _lost(job: _Job, why: str) -> AuthorError:
    shutil.rmtree(job.folder, ignore_errors=True)
    return AuthorError(
        job.source.relative,
        None,
        f"{why} while this file ran, so it has no result: build again (if it happens again, "
        "the machine may be out of memory)",
    )


def _outcome(job: _Job, keep_namespace: bool) -> FileResult | AuthorError:
    source, folder = job.source, job.folder
    path = source.relative
    try:
        data = json.loads((folder / keeper.OUTCOME).read_text())
    except (OSError, ValueError):
        return AuthorError(
            path, None, f"{_ended('its keeper', job.exit)} before reporting on the run: build again"
        )
    if "keeper_crash" in data:
        raise BuildBug(f"{path}: the build failed while running it:\n{data['keeper_crash']}")
    message = data["message"] or {}
    fault = _read(folder / keeper.FAULT)
    line = data["line"] if data["where_known"] else _line_in_dump(fault, path) or data["line"]
    if data["reason"]:
        return _stopped(source, data, line)
    if "crash" in message:
        raise BuildBug(f"{path}: the build failed while running it:\n{message['crash']}")
    if "error" in message:
        return AuthorError(path, message["error"]["line"], message["error"]["message"])
    if "result" in message:
        try:
            result = from_json(message["result"])
        except InvalidResult as error:
            raise BuildBug(f"{path}: the run's result is malformed: {error}") from None
        for section, printed in zip(result.sections, data["outputs"], strict=False):
            section.output = as_shown(printed)
        if keep_namespace:
            result.namespace = _namespace(folder / keeper.NAMESPACE)
        return result
    if data["exit"]:
        return AuthorError(
            path,
            data["exit"]["line"] or line,
            f"os._exit({data['exit']['exit']}) ended the process before the file finished",
        )
    if "Fatal Python error" in fault:
        reason = fault.split("Fatal Python error:", 1)[1].splitlines()[0].strip()
        return AuthorError(path, line, f"the process crashed: {reason}")
    code = data["status"]
    if code is not None and code < 0:
        return AuthorError(path, line, _ended("the process", code))
    return AuthorError(
        path, line, f"the process exited with status {code} before the file finished"
    )


def _stopped(source: Source, data: dict, line: int | None) -> AuthorError:
    """The keeper stopped the run: why, with the limit and the marker that raises it."""
    limits, reason = source.limits, data["reason"]
    sections = source.code_sections
    section = sections[min(len(data["outputs"]), len(sections)) - 1].name
    if reason == "timeout" and data["stopped_by"]:
        message = (
            f"the process was stopped ({data['stopped_by']}) and never continued; the build "
            f"ended it after {limits.timeout_s:.0f} s, the time a file may take"
        )
    elif reason == "timeout":
        message = (
            f"still running after {limits.timeout_s:.0f} s, the time a file may take: a loop that "
            f"never ends, or waiting for input? ({limit_hint('timeout', limits)})"
        )
    elif reason == "output" and data["where_known"]:
        message = (
            f"{section!r} printed more than a section may: print a summary instead "
            f"({limit_hint('output', limits)})"
        )
    elif reason == "output":
        message = (
            f"{section!r} printed more than a section may (outside Python's print: a subprocess, "
            f"or C code): the build stopped it there ({limit_hint('output', limits)})"
        )
    elif reason == "processes":
        message = (
            f"started more processes at once than a run may have: the build stopped it "
            f"({limit_hint('processes', limits)})"
        )
    elif reason in ("disk", "files"):
        what = "bytes" if reason == "disk" else "files"
        message = (
            f"wrote more {what} to its scratch folder and /tmp than a run may: the build stopped "
            f"it ({limit_hint(reason, limits)})"
        )
    else:
        message = (
            "the build stopped it: it ran past its time and its keeper did not stop it, or the "
            "build itself was interrupted"
        )
    return AuthorError(source.relative, line, message)


def _line_in_dump(dump: str, path: str) -> int | None:
    """The innermost line of `path` in a faulthandler dump, in the thread that runs the file
    (the one whose stack reaches the module; else, in a stack too deep to be dumped whole, the
    first that shows the file)."""
    found = []
    for block in re.split(r"\n\s*\n", dump):
        lines = re.findall(rf'File "{re.escape(path)}", line (\d+) in (\S+)', block)
        if any(function == "<module>" for _, function in lines):
            return int(lines[0][0])
        found += lines
    return int(found[0][0]) if found else None


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


# -- without a sandbox: what the runs changed -----------------------------------------------------
class _Watch:
    """The project tree (its site/ included) fingerprinted before the runs, again each time one
    ends (the files that ran meanwhile are the suspects), and its .venv once all have ended."""

    def __init__(self, root: Path):
        self.root = root
        self.light = sandbox.Fingerprint.take(root, skip={".venv"})
        self.venv = sandbox.Fingerprint.take(root / ".venv")
        self.ran: list[_Job] = []

    def check(self, suspects: list[_Job]) -> None:
        """`suspects[0]` has just ended; the others run still."""
        now = sandbox.Fingerprint.take(self.root, skip={".venv"})
        changed = now.changed_since(self.light)
        self.light = now
        self.ran.append(suspects[0])
        if changed:
            for job in suspects:
                job.changed += changed
                job.suspects += [s.source.relative for s in suspects]

    def check_all(self, outcomes: dict) -> None:
        changed = sandbox.Fingerprint.take(self.root / ".venv").changed_since(self.venv)
        if changed:
            for job in self.ran:
                job.changed = [f".venv/{name}" for name in changed]
                job.suspects = [j.source.relative for j in self.ran]
                outcomes[job.source.relative] = _changed_error(job)


def _changed_error(job: _Job) -> AuthorError:
    files = sorted(set(job.changed))
    others = sorted({s for s in job.suspects if s != job.source.relative})
    more = f" (and {len(files) - 1} more: {', '.join(files[1:6])})" if len(files) > 1 else ""
    meanwhile = f", or while {', '.join(others)} ran" if others else ""
    return AuthorError(
        files[0],
        None,
        f"changed while {job.source.relative} ran{meanwhile}{more}: a snippet may write only to "
        "its scratch folder (this machine has no sandbox, so the build found it afterwards: "
        "restore the file, `git checkout -- <file>`)",
    )
