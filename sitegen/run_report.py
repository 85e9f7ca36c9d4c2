"""What a run's report (the keeper's outcome.json, sitegen.keeper) means: the run's FileResult,
or an AuthorError that names the file and line, with the limit and the marker that raises it when
the keeper stopped the run."""

from __future__ import annotations

import contextlib
import json
import pickle
import re
from pathlib import Path

from sitegen import keeper
from sitegen.markers import limit_hint
from sitegen.results import AuthorError, FileResult, InvalidResult, from_json
from sitegen.sources import Source
from sitegen.warm_server import BuildBug, ended


def read_report(
    source: Source, folder: Path, exit_code: int | None, keep_namespace: bool
) -> FileResult | AuthorError:
    """The run's result or the author's error, from the run's private folder.

    Raises:
        BuildBug: the build's own code failed in the run.
    """
    path = source.relative
    try:
        data = json.loads((folder / keeper.OUTCOME).read_text())
    except (OSError, ValueError):
        return AuthorError(
            path, None, f"{ended('its keeper', exit_code)} before reporting on the run: build again"
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
            section.output = printed  # as a terminal shows it (the keeper cleaned it)
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
        return AuthorError(path, line, ended("the process", code))
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
