"""What a run depends on besides its own text: the files under the project it opens, or looks for
and does not find, the folders it lists, and whether it starts a process (whose reads no one
sees). The source's process records them (audit hooks, and `os.stat` for `Path.exists()`); the
cache keeps each with its state, and reuses the result only while every state is the same.

FileResult.inputs maps a project-relative name to its state: a file's sha256, "absent", a
folder's listing ("folder/": "listing:<sha256 of its names>"), and PROCESS_INPUT: "unknown",
which never matches: such a result is never reused.
"""

from __future__ import annotations

import hashlib
import importlib
import linecache
import os
import sys
import threading
from pathlib import Path

PROCESS_INPUT = "<a process it started>"
_OPENED: set[str] = set()  # files opened or looked for (missing ones too)
_LISTED: set[str] = set()  # folders listed (glob, os.listdir, Path.iterdir)
_PROCESSES: list[bool] = []  # a process was started: what it reads is not known
_IN_HOOK = threading.local()
BUILD_CODE = os.path.dirname(os.path.realpath(__file__))  # sitegen/: in the code's digest already
# Python's own machinery, which looks at files for itself: the import system lists the folders on
# sys.path (and importlib.metadata reads what is installed there), linecache stats and reads the
# files a traceback or a warning quotes
IMPORTING = "<frozen importlib"
MACHINERY = (os.path.dirname(importlib.__file__) + os.sep, os.path.abspath(linecache.__file__))


def _by_machinery(depth: int, importing: bool = True) -> bool:
    """Whether the call `depth` frames up comes from Python's machinery, not from the source
    (`importing`: the import system counts; a module the source imports is an input, though)."""
    frame = sys._getframe(depth + 1)
    if importing and frame.f_code.co_filename.startswith(IMPORTING):
        return True
    for _ in range(4):  # importlib.metadata reads through pathlib
        if frame is None:
            return False
        if frame.f_code.co_filename.startswith(MACHINERY):
            return True
        frame = frame.f_back
    return False


def record(request: dict) -> None:
    """Note what the source reads under the project: the files it opens or looks for, the
    folders it lists, and whether it starts a process. They join its cache key."""
    watch = _Watch(request)
    sys.addaudithook(watch.audit)
    os.stat, os.lstat = watch.probing(os.stat), watch.probing(os.lstat)


class _Watch:
    """The project's paths a run touches, less its scratch and private folders, the installed
    packages and the build's own code."""

    def __init__(self, request: dict):
        self.root = os.path.realpath(request["root"]) + os.sep
        not_inputs = (request["scratch"], request["private"], sys.prefix, BUILD_CODE)
        self.skip = tuple(
            os.path.realpath(p) + os.sep for p in (*not_inputs, *request["not_inputs"])
        )

    def under_project(self, path) -> str | None:
        if not isinstance(path, str | bytes | os.PathLike):
            return None
        try:
            path = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError, OSError):
            return None
        inside = (path + os.sep).startswith(self.root) and not (path + os.sep).startswith(self.skip)
        return path if inside and "__pycache__" not in path else None

    def audit(self, event: str, args: tuple) -> None:
        if getattr(_IN_HOOK, "on", False):
            return
        _IN_HOOK.on = True
        try:
            if (
                event == "open"
                and args
                and not _by_machinery(1, importing=False)
                and (path := self.under_project(args[0]))
            ):
                _OPENED.add(path)
            elif event in ("os.listdir", "os.scandir") and args and not _by_machinery(1):
                if path := self.under_project(args[0] if args[0] is not None else "."):
                    _LISTED.add(path)
            elif event in ("subprocess.Popen", "os.fork", "os.exec", "os.posix_spawn", "os.system"):
                _PROCESSES.append(True)
        finally:
            _IN_HOOK.on = False

    def probing(self, real):
        """os.stat and os.lstat, noting a file the source looks for (`Path.exists()`)."""

        def stat(path, *args, **kwargs):
            if (
                not getattr(_IN_HOOK, "on", False)
                and not isinstance(path, int)
                and not _by_machinery(1)
            ):
                _IN_HOOK.on = True
                try:
                    if found := self.under_project(path):
                        _OPENED.add(found)
                finally:
                    _IN_HOOK.on = False
            return real(path, *args, **kwargs)

        return stat


def found(request: dict) -> dict[str, str]:
    """What the run depended on: {project-relative name: its state now (input_state)}."""
    root = Path(request["root"])
    own = os.path.realpath(request["path"])
    inputs = {}
    for path in sorted(_OPENED - {own}):
        relative = os.path.relpath(path, root)
        state = input_state(root, relative)
        if state != "folder":  # a folder looked at: only a listing of it is an input
            inputs[relative] = state
    for path in sorted(_LISTED):
        relative = os.path.relpath(path, root).rstrip("/") + "/"
        inputs[relative] = input_state(root, relative)
    if _PROCESSES:
        inputs[PROCESS_INPUT] = "unknown"
    return inputs


def input_state(root: Path, relative: str) -> str:
    """What an input of a run is now: its digest, "absent", "folder", or a listing's digest (for
    a name ending in "/"); never equal to PROCESS_INPUT's "unknown"."""
    if relative == PROCESS_INPUT:
        return "unknown, every time"
    path = root / relative
    try:
        if relative.endswith("/"):
            names = sorted(e.name for e in path.iterdir() if e.name != "__pycache__")
            return "listing:" + hashlib.sha256("\0".join(names).encode()).hexdigest()
        if path.is_dir():
            return "folder"
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "absent"
    except NotADirectoryError:
        return "not a folder"
    except OSError as error:
        return f"unreadable: {error.strerror}"
