"""The warm server that every run is forked from (started by sitegen.runner).

It imports the heavy libraries once (sitegen.preload), then reads one JSON request per line. For
each it forks a child that runs `sitegen.child.main(request)`, and writes JSON events back:
`{"id": ..., "pid": ...}` when the child started, `{"id": ..., "exit": code}` when it ended
(code < 0: killed by that signal). It stays single-threaded, so forking it is safe, and it exits
when the parent closes the request pipe.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys


def serve(requests: int, events: int) -> None:
    reader = os.fdopen(requests, "rb", buffering=0)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, str] = {}  # pid -> request id
    buffer = b""
    while True:
        ready, _, _ = select.select([reader, wake_r], [], [])
        if wake_r in ready:
            os.read(wake_r, 4096)
        if reader in ready:
            chunk = reader.read(1 << 16)
            if not chunk:
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _child(request, (requests, events, wake_r, wake_w))
                children[pid] = request["id"]
                _send(events, {"id": request["id"], "pid": pid})
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            _send(events, {"id": children.pop(pid), "exit": os.waitstatus_to_exitcode(status)})


def _child(request: dict, server_fds: tuple[int, ...]) -> None:
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd in server_fds:
        os.close(fd)
    from sitegen import child

    child.main(request)  # never returns
    os._exit(1)


def _send(fd: int, event: dict) -> None:
    os.write(fd, (json.dumps(event) + "\n").encode())


def main() -> None:
    request_fd, event_fd = int(sys.argv[1]), int(sys.argv[2])
    import sitegen.preload  # noqa: F401 - the point of this process
    from sitegen.child import available_devices

    _send(event_fd, {"ready": True, "devices": available_devices()})
    serve(request_fd, event_fd)


# started by sitegen.runner with the parent's sys.path (the project root among it)
LAUNCH = (
    "import json, os, sys; sys.path[:0] = json.loads(os.environ.pop('SITEGEN_SYS_PATH')); "
    "from sitegen.forkserver import main; main()"
)
