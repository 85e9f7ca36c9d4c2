"""The build's handle on its fork server: started once per process and kept (`mkdocs serve`
rebuilds in the same process), in bubblewrap where it can start (sitegen.sandbox), else without it
after saying so in one line; and started again when the build code on disk differs from the code
it imported (it reports that code's digest, which results are keyed on)."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from sitegen import forkserver, sandbox
from sitegen.settings import SETTINGS

log = logging.getLogger("mkdocs.sitegen")
HOME = Path(__file__).resolve().parents[1]  # where the build's own code lives


class BuildBug(RuntimeError):
    """The build machinery itself failed (not the author's code)."""


class ServerStopped(BuildBug):
    """The fork server ended while runs were under way (killed from outside, or out of memory)."""


class Server:
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
        return ended("the build's fork server", self.process.returncode)

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


def ended(what: str, code: int | None) -> str:
    if code is None:
        return f"{what} is still running"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"{what} was killed by {name}"
    return f"{what} exited with status {code}"


servers: dict[tuple[Path, bool], Server] = {}
no_sandbox: str | None = None  # why the sandbox cannot start here, once known
_bwrap_starts: str | None = None  # the bubblewrap program that was seen to start here


def _wants_sandbox(sandboxed: bool | None) -> bool:
    """Whether to run the server in the sandbox: asked for, and bubblewrap starts here (tried
    once per process and program)."""
    global _bwrap_starts
    if not (SETTINGS.sandbox if sandboxed is None else sandboxed) or no_sandbox:
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
        _sayno_sandbox(why)
        return False
    _bwrap_starts = SETTINGS.bwrap
    return True


def _sayno_sandbox(why: str) -> None:
    global no_sandbox
    no_sandbox = why
    log.info(
        f"sitegen: no sandbox here ({why}): snippets run unconfined, the build fails if the "
        "project or site/ changes while they run, and it ends what they leave running"
    )


def start_server(home: Path = HOME, sandboxed: bool | None = None) -> Server:
    """Start the fork server of this process if it is not running, without waiting for it:
    it imports torch while the caller gets on with its own work. It is kept for later builds
    (`mkdocs serve` rebuilds in the same process), and started again when its code changed."""
    wanted = _wants_sandbox(sandboxed)
    key = (home, SETTINGS.sandbox if sandboxed is None else sandboxed)
    server = servers.get(key)
    current = server is not None and server.alive() and server.wanted_sandbox == wanted
    if current and (
        server.ready is None or server.code == forkserver.code_digest(home / "sitegen")
    ):
        return server
    if server is not None:
        server.close()
    server = servers[key] = Server(home, wanted)
    atexit.register(server.close)
    return server


def warm_server(home: Path = HOME, sandboxed: bool | None = None) -> Server:
    server = start_server(home, sandboxed)
    server.wait_until_ready()
    if server.wanted_sandbox and not server.sandboxed:  # bwrap started, a run's namespaces not
        _sayno_sandbox(server.ready["why"])
        server = start_server(home, sandboxed)
        server.wait_until_ready()
    if server.code != forkserver.code_digest(home / "sitegen"):  # edited while it started
        server = start_server(home, sandboxed)
        server.wait_until_ready()
    return server


def available_devices() -> list[str]:
    """The devices this machine has, as the fork server's torch sees them."""
    return warm_server().devices
