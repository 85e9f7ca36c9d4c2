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

import contextlib
import dataclasses
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import detection
from sitegen.results import AuthorError, FileResult
from sitegen.run_report import read_report
from sitegen.settings import SETTINGS
from sitegen.sources import Source
from sitegen.warm_server import (  # noqa: F401 - start_server, available_devices: the build's
    HOME,
    BuildBug,
    Server,
    ServerStopped,
    available_devices,
    start_server,
    warm_server,
)


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
    server = warm_server(home, sandboxed)
    jobs = jobs or default_jobs()
    running: dict[str, _Job] = {}
    outcomes: dict[str, FileResult | AuthorError] = {}
    watch = None if server.sandboxed else detection.Watch(root)
    try:
        while pending or running:
            try:
                while pending and len(running) < jobs:
                    _start(server, pending.pop(0), root, keep_namespace, running)
                _wait_for_events(server, running)
            except ServerStopped as stopped:
                for name, job in running.items():
                    outcomes[name] = _lost(job, str(stopped))
                running.clear()
                server = warm_server(home, sandboxed)  # a new one for the files still to run
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


def _wait_for_events(server: Server, running: dict[str, _Job]) -> None:
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


def _start(
    server: Server, source: Source, root: Path, keep_namespace: bool, running: dict[str, _Job]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=server.runs))
    late = source.timeout + SETTINGS.stop_grace_s + SETTINGS.grace_s
    running[source.relative] = _Job(source, folder, time.monotonic() + late)
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


def _past_deadline(server: Server, job: _Job) -> None:
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
        outcome = read_report(job.source, job.folder, job.exit, keep_namespace)
    finally:
        shutil.rmtree(job.folder, ignore_errors=True)
    if isinstance(outcome, FileResult):
        outcome.code = code
    if job.changed:
        return detection.changed_error(job)
    return outcome


def _lost(job: _Job, why: str) -> AuthorError:
    shutil.rmtree(job.folder, ignore_errors=True)
    return AuthorError(
        job.source.relative,
        None,
        f"{why} while this file ran, so it has no result: build again (if it happens again, "
        "the machine may be out of memory)",
    )
