"""The keeper of one run: the process the fork server forks for a source, which starts the
source's own process, watches it, and ends everything it started.

The keeper is the run's watchdog and the only judge of its limits, out of the source's reach:

- what the source prints (stdout and stderr, its subprocesses' too) comes through a pipe to the
  keeper, counted section by section: past the limit the run is stopped there and then;
- the processes of the run are counted while it runs, and past the limit it is stopped;
- without a sandbox, the bytes and files written to its scratch folder and /tmp are counted too
  (in the sandbox a small tmpfs refuses them itself);
- at the time limit, or when the build asks, the run is stopped: first a SIGABRT, on which
  faulthandler writes the line the source was at, then SIGKILL to every process left.

When the source's process ends, every process it started ends too, and only then, with nothing of
the run left alive, the keeper writes `outcome.json` (what was printed, the result the source's
process sent over its own pipe, why it ended) into the run's private folder. A file the source
wrote there (a forged `../result.json`) is never read.

The source's own process talks to the keeper in frames on a pipe: one kind byte, a 4-byte length,
then the payload (`J` a JSON message, `N` the pickled namespace the tests ask for).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import struct
import sys
import time
import traceback
from pathlib import Path

from sitegen import detection, sandbox
from sitegen.terminal import as_shown

OUTCOME, FAULT, NAMESPACE = "outcome.json", "fault.txt", "namespace.pkl"
HEADER = struct.Struct(">cI")


def send(fd: int, kind: bytes, payload: bytes) -> None:
    """Write one frame to the keeper (blocking until it is all in the pipe)."""
    data = memoryview(HEADER.pack(kind, len(payload)) + payload)
    while data:
        data = data[os.write(fd, data) :]


class _Frames:
    """Frames arriving on a pipe, whole."""

    def __init__(self, fd: int):
        self.fd, self.buffer, self.closed = fd, bytearray(), False

    def read(self) -> list[tuple[bytes, bytes]]:
        while not self.closed:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                self.closed = True
            self.buffer += chunk
        frames = []
        while len(self.buffer) >= HEADER.size:
            kind, size = HEADER.unpack_from(self.buffer)
            if len(self.buffer) < HEADER.size + size:
                break
            frames.append((kind, bytes(self.buffer[HEADER.size : HEADER.size + size])))
            del self.buffer[: HEADER.size + size]
        return frames


def keep(request: dict) -> None:
    """Run one source under this keeper (a process just forked from the server); never returns."""
    folder = Path(request["private"])
    try:
        outcome = _Keeper(request).run()
    except BaseException:  # noqa: BLE001 - a bug of the build itself: the runner shows it whole
        outcome = {"keeper_crash": traceback.format_exc()}
    with contextlib.suppress(BaseException):
        temporary = folder / f".{OUTCOME}.tmp"
        temporary.write_text(json.dumps(outcome))
        os.replace(temporary, folder / OUTCOME)
    os._exit(0)


class _Keeper:
    def __init__(self, request: dict):
        self.request = request
        self.limits = request["limits"]
        self.sandboxed = request["sandboxed"]
        self.folder = Path(request["private"])
        self.buckets = [bytearray()]  # what each section printed
        self.reason: str | None = None  # why the keeper stopped the run
        self.where_known = False  # the run said where it hit the limit (no traceback needed)
        self.stopped_by: str | None = None  # the signal that had stopped it (SIGSTOP...)
        self.line: int | None = None  # the first line of the section running
        self.exit: dict | None = None  # an os._exit the source called
        self.message: dict | None = None  # the source's result, error or crash
        self.namespace: bytes | None = None
        self.status: int | None = None  # the source's process's wait status
        self.interrupted = False

    # -- starting ---------------------------------------------------------------------------------
    def run(self) -> dict:
        os.setsid()  # out of the terminal's process group: Ctrl-C reaches the build, not the run
        sandbox.die_with_parent(signal.SIGTERM)  # the fork server ended: end the run too
        sandbox.become_subreaper()
        self.wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGTERM, self._terminate)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.out_r, out_w = os.pipe()
        self.ctl_r, ctl_w = os.pipe()
        self.status_r, status_w = os.pipe()
        ack_r, self.ack_w = os.pipe()  # the keeper has what a section printed: on with the next
        self.request["ack"] = ack_r
        fault = os.open(self.folder / FAULT, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if self.sandboxed:
            sandbox.enter_run_namespace()
        self.pid = os.fork()
        if self.pid == 0:
            for fd in (self.wake_r, wake_w, self.out_r, self.ctl_r, self.status_r, self.ack_w):
                os.close(fd)
            _first_process(self.request, out_w, ctl_w, status_w, fault)
        for fd in (out_w, ctl_w, status_w, fault, ack_r):
            os.close(fd)
        for fd in (self.out_r, self.ctl_r, self.status_r):
            os.set_blocking(fd, False)
        self.frames = _Frames(self.ctl_r)
        self._watch()
        return self._outcome()

    def _terminate(self, *_) -> None:
        self.interrupted = True

    # -- watching ---------------------------------------------------------------------------------
    def _watch(self) -> None:
        deadline = time.monotonic() + self.limits["timeout_s"]
        ended = os.pidfd_open(self.pid)
        tick = self.limits["watch_interval_s"]
        while self.reason is None:
            wait = max(0.0, min(tick, deadline - time.monotonic()))
            ready, _, _ = select.select(
                [self.out_r, self.ctl_r, self.status_r, ended, self.wake_r], [], [], wait
            )
            if self.wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(self.wake_r, 4096)
            if self.out_r in ready:
                self._drain()
            if self.ctl_r in ready:
                self._frames()
            if self.status_r in ready:
                self._read_status()
            if ended in ready:
                break
            if self.interrupted:
                self._stop("interrupted")
            elif self.reason is None:
                self._check_limits()
            if self.reason is None and time.monotonic() >= deadline:
                self._stop("timeout")
        os.close(ended)
        self._check_files()  # what it wrote since the last look
        # everything the run started ends with it; then whatever it printed last, and its result
        sandbox.end_every_descendant(self._reaped)
        with contextlib.suppress(ChildProcessError):
            self._reaped(*os.waitpid(self.pid, 0))
        self._drain(until_closed=True)
        self._frames()
        self._read_status()

    def _check_limits(self) -> None:
        sandbox.reap(self._reaped)  # orphans that ended: they count no more
        running = sandbox.descendants(os.getpid())
        if self.sandboxed:  # the namespace's first process is the build's
            running = [pid for pid in running if pid != self.pid]
        if len(running) > self.limits["processes"]:
            self._stop("processes")
        else:
            self._check_files()

    def _check_files(self) -> None:
        """Without a sandbox, count what the run wrote (in it, a small tmpfs refuses it)."""
        if self.sandboxed or self.reason is not None:
            return
        folders = [Path(self.request["scratch"]), Path(self.request["tmp"])]
        size, count = detection.folder_usage(folders)
        if size > self.limits["disk_bytes"]:
            self._stop("disk")
        elif count > self.limits["files"]:
            self._stop("files")

    def _reaped(self, pid: int, status: int) -> None:
        if pid == self.pid and not self.sandboxed:
            self.status = status

    def _drain(self, until_closed: bool = False) -> None:
        """Move what was printed into the running section's bucket, up to the limit (and with
        `until_closed`, once every process of the run is gone, all that is left in the pipe)."""
        deadline = time.monotonic() + self.limits["stop_grace_s"]
        while True:
            try:
                chunk = os.read(self.out_r, 1 << 16)
            except BlockingIOError:
                if not until_closed or time.monotonic() > deadline:
                    return
                select.select([self.out_r], [], [], 0.1)
                continue
            if not chunk:
                return
            bucket = self.buckets[-1]
            room = self.limits["output_bytes"] - len(bucket)
            bucket += chunk[: max(room, 0)]
            if len(chunk) > room and self.reason is None:
                self._stop("output")

    def _frames(self) -> None:
        for kind, payload in self.frames.read():
            if kind == b"N":
                self.namespace = payload
                continue
            message = json.loads(payload)
            if "start" in message:
                self._drain()
                self.line = message["line"]
            elif "end" in message:
                self._drain()  # all it printed is in the pipe before it says the section ended
                self.buckets.append(bytearray())
                with contextlib.suppress(OSError):
                    os.write(self.ack_w, b"!")  # it waits for this before the next section
            elif "exit" in message:
                self.exit = message
            elif "limit" in message:  # what it printed through Python: it says where
                self._drain()
                self.line = message["line"]
                self._stop(message["limit"], where_known=True)
            else:
                self.message = message

    def _read_status(self) -> None:
        with contextlib.suppress(BlockingIOError):
            data = os.read(self.status_r, 4)
            if len(data) == 4:
                self.status = struct.unpack(">i", data)[0]

    # -- stopping ---------------------------------------------------------------------------------
    def _stop(self, reason: str, where_known: bool = False) -> None:
        """Stop the run: the source's process first writes where it is (faulthandler's SIGABRT
        handler), then everything is killed."""
        if self.reason is not None:
            return
        self.reason, self.where_known = reason, where_known
        source = self._source_pid()
        state = sandbox.state(source) if source else None
        if state in (None, "Z", "X") or where_known:
            return
        try:
            handle = os.pidfd_open(source)
        except OSError:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(source, signal.SIGABRT)
            if state in ("T", "t"):  # stopped (SIGSTOP, a debugger): on again, to say where
                self.stopped_by = "SIGSTOP" if state == "T" else "a debugger"
                os.kill(source, signal.SIGCONT)
        deadline = time.monotonic() + self.limits["stop_grace_s"]
        while time.monotonic() < deadline:
            ready, _, _ = select.select([handle, self.out_r], [], [], deadline - time.monotonic())
            if handle in ready:
                break
            self._drain()  # a source blocked on a full pipe must get to its handler
        os.close(handle)

    def _source_pid(self) -> int | None:
        """The source's own process: the keeper's child, or in the sandbox the one whose PID in
        the run's namespace is 2 (the namespace's first process is 1)."""
        if not self.sandboxed:
            return self.pid
        for child in sandbox.children(self.pid):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{child}/status").read_text().splitlines():
                    if line.startswith("NSpid:") and line.split()[-1] == "2":
                        return child
        return None

    def _outcome(self) -> dict:
        if self.namespace is not None:
            (self.folder / NAMESPACE).write_bytes(self.namespace)
        return {
            "reason": self.reason,
            "where_known": self.where_known,
            "stopped_by": self.stopped_by,
            "status": None if self.status is None else os.waitstatus_to_exitcode(self.status),
            "line": self.line,
            "exit": self.exit,
            "message": self.message,
            # as a terminal would show it: what a page and the search index may hold
            "outputs": [as_shown(bytes(b).decode("utf-8", "replace")) for b in self.buckets],
        }


# -- the run's processes ------------------------------------------------------------------------
def _first_process(request: dict, out_w: int, ctl_w: int, status_w: int, fault: int) -> None:
    """The keeper's child. In the sandbox: the first process of the run's PID namespace, which
    makes the run's mounts, starts the source's process and ends as soon as that one ends (and
    with it, by the kernel's hand, everything else in the namespace). Without one: the source's
    process itself."""
    try:
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        sandbox.die_with_parent()
        if not request["sandboxed"]:
            os.close(status_w)
            _source_process(request, out_w, ctl_w, fault)
        limits = request["limits"]
        keep = [Path(request["root"]), Path(sys.prefix), Path(sys.base_prefix)]
        sandbox.private_mounts(
            Path(request["private"]), limits["disk_bytes"], limits["files"], keep
        )
        source = os.fork()
        if source == 0:
            os.close(status_w)
            sandbox.die_with_parent()
            sandbox.drop_privileges()
            _source_process(request, out_w, ctl_w, fault)
        for fd in (out_w, ctl_w, fault, request["ack"]):
            os.close(fd)
        status = -1
        while True:  # the namespace's init: reap every orphan until the source itself ends
            try:
                pid, wait_status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            if pid == source:
                status = wait_status
                break
        os.write(status_w, struct.pack(">i", status))
    except BaseException:  # noqa: BLE001 - reported to the keeper, never raised past here
        with contextlib.suppress(BaseException):
            send(ctl_w, b"J", json.dumps({"crash": traceback.format_exc()}).encode())
    os._exit(0)


def _source_process(request: dict, out_w: int, ctl_w: int, fault: int) -> None:
    """Become the source's process: no stdin, stdout and stderr into the keeper's pipe."""
    os.setsid()  # a session of its own, as `python file.py` started from a shell has
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(out_w, 1)  # C-level writes and subprocesses land in the same pipe
    os.dup2(out_w, 2)
    os.close(null)
    os.close(out_w)
    from sitegen import child

    child.main(request, ctl_w, fault)  # never returns
