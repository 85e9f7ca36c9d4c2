"""The warm server that every run is forked from (started by sitegen.runner, in bubblewrap where
it can: sitegen.sandbox).

It imports the heavy libraries once (sitegen.preload) and the build's own code that runs a source,
and says so in its first event: `{"ready": true, "devices": [...], "code": <digest>,
"modules": [...], "sandboxed": bool, "why": <reason or null>}`, `code` being the digest of the
build code it imported (RUNNING_MODULES): results are keyed on that, and the runner restarts the
server when the code on disk differs. Then it reads one JSON request per line: a run, for which it
forks the run's keeper (sitegen.keeper), or `{"stop": id}`, on which that keeper stops its run. It
writes JSON events back: `{"id": ..., "pid": ...}` when a keeper started, `{"id": ..., "exit":
code}` when it ended. It stays single-threaded, so forking it is safe, and when the parent closes
the request pipe it stops every run and exits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import signal
import sys
from pathlib import Path

# the build code that decides what a run prints, draws and may do: the server imports exactly these
RUNNING_MODULES = (
    "__init__.py",
    "child.py",
    "detection.py",
    "figures.py",
    "forkserver.py",
    "inputs.py",
    "keeper.py",
    "markers.py",
    "preload.py",
    "process_limits.py",
    "results.py",
    "sandbox.py",
    "settings.py",
    "sources.py",
    "terminal.py",
)


def code_digest(sitegen: Path) -> str:
    """The digest of the running modules as they are on disk in `sitegen/`."""
    digest = hashlib.sha256()
    for name in RUNNING_MODULES:
        digest.update(name.encode() + b"\0")
        digest.update((sitegen / name).read_bytes() + b"\0")
    return digest.hexdigest()


def serve(requests: int, events: int, sandboxed: bool) -> None:
    from sitegen import keeper, sandbox

    sandbox.become_subreaper()  # what a keeper that was killed leaves behind comes here
    reader = os.fdopen(requests, "rb", buffering=0)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    keepers: dict[int, str] = {}  # pid -> request id
    buffer = b""
    while True:
        ready, _, _ = select.select([reader, wake_r], [], [])
        if wake_r in ready:
            os.read(wake_r, 4096)
        if reader in ready:
            chunk = reader.read(1 << 16)
            if not chunk:
                _stop_all(keepers)
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                request = json.loads(line)
                if "stop" in request:
                    for pid, name in keepers.items():
                        if name == request["stop"]:
                            with contextlib.suppress(ProcessLookupError):
                                os.kill(pid, signal.SIGTERM)
                    continue
                request["sandboxed"] = sandboxed
                pid = os.fork()
                if pid == 0:
                    _keeper(request, (requests, events, wake_r, wake_w), keeper)
                keepers[pid] = request["id"]
                _send(events, {"id": request["id"], "pid": pid})
        ended = False
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in keepers:
                ended = True
                _send(events, {"id": keepers.pop(pid), "exit": os.waitstatus_to_exitcode(status)})
        if ended:  # a keeper that was killed left its run's processes to this server: end them
            for stray in sandbox.children(os.getpid()):
                if stray not in keepers:
                    for pid in (stray, *sandbox.descendants(stray)):
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)


def _stop_all(keepers: dict[int, str]) -> None:
    for pid in keepers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in keepers:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _keeper(request: dict, server_fds: tuple[int, ...], keeper) -> None:
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd in server_fds:
        os.close(fd)
    keeper.keep(request)  # never returns
    os._exit(1)


def _send(fd: int, event: dict) -> None:
    os.write(fd, (json.dumps(event) + "\n").encode())


def main() -> None:
    request_fd, event_fd, runs = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    wants_sandbox = sys.argv[4] == "sandbox"
    code_folder = Path(__file__).resolve().parent
    before = code_digest(code_folder)
    import sitegen.preload  # noqa: F401 - the point of this process
    from sitegen import child, keeper, sandbox  # noqa: F401 - what every run runs

    code = code_digest(code_folder)
    modules = sorted(
        Path(module.__file__).name
        for name, module in list(sys.modules.items())
        if (name == "sitegen" or name.startswith("sitegen.")) and getattr(module, "__file__", None)
    )
    why = None
    if wants_sandbox:
        probe = runs / "probe"
        probe.mkdir()
        why = sandbox.probe(probe)
        probe.rmdir()
    _send(
        event_fd,
        {
            "ready": True,
            "devices": child.available_devices(),
            "code": code if code == before else None,  # edited while it started: restart it
            "modules": modules,
            "sandboxed": wants_sandbox and why is None,
            "why": why,
        },
    )
    serve(request_fd, event_fd, wants_sandbox and why is None)


# started by sitegen.runner with the parent's sys.path (the project root among it)
LAUNCH = (
    "import json, os, sys; sys.path[:0] = json.loads(os.environ.pop('SITEGEN_SYS_PATH')); "
    "from sitegen.forkserver import main; main()"
)
