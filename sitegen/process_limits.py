"""The limits the source's own process enforces, at the line that hits them (the keeper, out of
its reach, enforces the others): the memory it may map (RLIMIT_DATA, inherited by what it
starts), the size of a file it writes (RLIMIT_FSIZE), and what a section prints through Python:
the print that would cross the limit raises OutputLimit there, and tells the keeper, which stops
the run even if the source catches it. And which limit an exception comes from."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import resource
import sys
from pathlib import Path

from sitegen.keeper import send
from sitegen.markers import Limits

# memory the build's own work needs after the source ran (its figures, its result), above the
# source's limit: the source could take it too, by raising its soft limit, and no more
HARNESS_MEMORY = 256 * 1000**2


class OutputLimit(BaseException):
    """A section printed all it may (a BaseException, as `except Exception` must not hide it)."""


class _Output:
    control = -1  # the keeper's pipe
    limit = 0
    used = 0
    hit_line: int | None = None  # where a section first printed past the limit


OUTPUT = _Output()


class CountedStream(io.TextIOWrapper):
    """stdout or stderr, writing straight through, that refuses what a section prints past its
    limit: the print that would cross it raises OutputLimit at its line."""

    def __init__(self, fd: int):
        raw = io.FileIO(fd, "w", closefd=False)
        super().__init__(raw, encoding="utf-8", errors="backslashreplace", write_through=True)

    def write(self, text: str) -> int:
        size = len(text.encode("utf-8", "backslashreplace"))
        if OUTPUT.used + size > OUTPUT.limit:
            if OUTPUT.hit_line is None:  # the keeper stops the run, even if this is caught
                OUTPUT.hit_line = caller_line(sys._getframe(1))
                send(
                    OUTPUT.control,
                    b"J",
                    json.dumps({"limit": "output", "line": OUTPUT.hit_line}).encode(),
                )
            raise OutputLimit(f"over the limit of {OUTPUT.limit} bytes")
        OUTPUT.used += size
        return super().write(text)


DISPLAY = ""  # the source's name, as its code objects carry it


def caller_line(frame) -> int | None:
    """The line of the source that made the call being run in `frame` (or in its callers)."""
    while frame is not None:
        if frame.f_code.co_filename == DISPLAY:
            return frame.f_lineno
        frame = frame.f_back
    return None


def limit_resources(limits: Limits, source_may_use: bool) -> None:
    """The memory one process may map and the size of a file it may write: a process the source
    starts inherits them. After the source ran, the build's own work gets a little more."""
    memory = limits.memory_bytes
    hard = memory + HARNESS_MEMORY
    resource.setrlimit(resource.RLIMIT_DATA, (memory if source_may_use else hard, hard))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.disk_bytes, limits.disk_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file in the scratch folder


def limit_hit(error: BaseException, limits: Limits) -> str | None:
    """Which of the run's limits an exception comes from, if any."""
    text = str(error)
    if isinstance(error, MemoryError) or "can't allocate memory" in text:
        return "memory"
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        with contextlib.suppress(OSError):
            if os.statvfs(".").f_favail == 0:
                return "files"
        return "disk"
    # a frame Python could not allocate: "error return without exception set"
    if isinstance(error, SystemError | RecursionError) and _mapped() > 0.9 * limits.memory_bytes:
        return "memory"
    return None


def _mapped() -> int:
    """The memory this process maps now, as RLIMIT_DATA counts it."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0
