"""The child side of a run. A process forked from the warm server (torch, matplotlib and friends
already imported) runs the sections of one source as a fresh `python <file>` would, and writes what
each printed, raised and drew to a JSON file in its private folder. It never returns: it ends with
`os._exit`, which also ends every thread the source started."""

from __future__ import annotations

import builtins
import contextlib
import faulthandler
import hashlib
import io
import json
import os
import pickle
import random
import re
import sys
import time
import traceback
import types
import warnings
from pathlib import Path

from sitegen.figures import UntitledFigure, apply_site_style, save_figure
from sitegen.results import AuthorError, FileResult, SectionResult, to_json
from sitegen.settings import SETTINGS
from sitegen.sources import Section

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # terminal colours (torch's UnpicklingError)

# files the private folder holds, read by the parent (sitegen.runner)
RESULT, OUTPUT, FAULT, PROGRESS, EXIT, NAMESPACE = (
    "result.json",
    "output.txt",
    "fault.txt",
    "progress.txt",
    "exit.json",
    "namespace.pkl",
)


def main(request: dict) -> None:
    """Run one source in this (freshly forked) process, write the result, and exit."""
    private = Path(request["private"])
    status = 0
    try:
        _isolate(request, private)
        result = _run(request, private)
        _write_json(private / RESULT, {"ok": True, "result": to_json(result)})
    except AuthorError as error:
        _write_json(private / RESULT, {"ok": False, "line": error.line, "message": error.message})
    except BaseException:  # noqa: BLE001 - a bug of the build itself: the parent shows it whole
        _write_json(private / RESULT, {"ok": False, "line": None, "crash": traceback.format_exc()})
        status = 1
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        _REAL_EXIT(status)


_REAL_EXIT = os._exit


# -- a fresh interpreter ------------------------------------------------------------------------
def _isolate(request: dict, private: Path) -> None:
    """Own process group, no stdin, stdout and stderr into a file, a watchdog, a scratch cwd."""
    os.setsid()  # the parent kills the whole group: subprocesses the source started too
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    output = os.open(private / OUTPUT, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(output, 1)  # C-level writes and subprocesses land in the same file
    os.dup2(output, 2)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - input() raises EOFError at once
    sys.stdout = sys.__stdout__ = _text_stream(1)
    sys.stderr = sys.__stderr__ = _text_stream(2)
    fault = open(private / FAULT, "w")  # noqa: SIM115 - kept open for the process's life
    faulthandler.enable(file=fault, all_threads=True)  # a segfault names its line
    faulthandler.dump_traceback_later(request["timeout"], exit=True, file=fault)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["scratch"])
    os._exit = _recording_exit(private, request["display"])
    _record_opened_files(request)


def _text_stream(fd: int) -> io.TextIOWrapper:
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)


def _recording_exit(private: Path, display: str):
    """os._exit that first notes the line of the source that called it (the parent reports it)."""

    def exit_(status: int) -> None:
        line = None
        frame = sys._getframe(1)
        while frame is not None and line is None:
            if frame.f_code.co_filename == display:
                line = frame.f_lineno
            frame = frame.f_back
        _write_json(private / EXIT, {"status": status, "line": line})
        _REAL_EXIT(status)

    return exit_


_OPENED: set[str] = set()


def _record_opened_files(request: dict) -> None:
    """Note every file under the project that the source opens: they join its cache key."""
    root = os.path.realpath(request["root"]) + os.sep
    skip = tuple(
        os.path.realpath(p) + os.sep
        for p in (request["scratch"], request["private"], sys.prefix, *request["not_inputs"])
    )

    def audit(event: str, args: tuple) -> None:
        if event != "open" or not args or not isinstance(args[0], str | bytes | os.PathLike):
            return
        try:
            path = os.path.realpath(os.fsdecode(args[0]))
        except (TypeError, ValueError, OSError):
            return
        if path.startswith(root) and not path.startswith(skip) and "__pycache__" not in path:
            _OPENED.add(path)

    sys.addaudithook(audit)


def _fresh_state(request: dict) -> types.ModuleType:
    """The global state of `python <file>`: __main__, argv, path, random seeds, plots, warnings."""
    module = types.ModuleType("__main__")
    module.__file__ = request["path"]
    module.__builtins__ = builtins
    sys.modules["__main__"] = module  # pickling classes defined in the source finds them
    sys.argv = [request["path"]]
    # as `python <file>` from the project: the file's folder first, and this project's ptx
    sys.path[:0] = [str(Path(request["path"]).parent), request["root"]]
    random.seed()  # from the OS, as a new interpreter does: unseeded code shows it
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.seed()
        # The lessons' models are tiny, and the children share the cores: one thread each.
        torch.set_num_threads(1)
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.close("all")
    apply_site_style()
    plt.show = lambda *args, **kwargs: None  # figures are collected after each section
    warnings.resetwarnings()
    # a new interpreter's filters (`python -c "import warnings; print(warnings.filters)"`)
    warnings.simplefilter("ignore", ResourceWarning)
    warnings.simplefilter("ignore", ImportWarning)
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    warnings.showwarning = _show_warning
    return module


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(f"{category.__name__}: {message}\n")  # as the page shows it: no path


# -- running --------------------------------------------------------------------------------------
def _run(request: dict, private: Path) -> FileResult:
    started, cpu_started = time.perf_counter(), time.process_time()
    module = _fresh_state(request)
    reader = os.open(private / OUTPUT, os.O_RDONLY)
    sections = [Section(**section) for section in request["sections"]]
    results = []
    for section in sections:
        (private / PROGRESS).write_text(str(section.first_line))
        results.append(_run_section(request["display"], section, module.__dict__, reader))
    inputs = {
        os.path.relpath(path, request["root"]): _digest(path)
        for path in sorted(_OPENED)
        if os.path.isfile(path) and path != os.path.realpath(request["path"])
    }
    if request["keep_namespace"]:
        _write_namespace(private / NAMESPACE, module.__dict__)
    return FileResult(
        path=request["display"],
        sections=results,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
        inputs=inputs,
        device=device_in_use(),
    )


def device_in_use() -> str:
    """The device `ptx.get_device()` picks here: PTX_DEVICE, else CUDA, MPS, CPU."""
    if os.environ.get("PTX_DEVICE"):
        return os.environ["PTX_DEVICE"].strip().lower()
    torch = sys.modules.get("torch")
    if torch is None:
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def available_devices() -> list[str]:
    """The device names this machine has (what PTX_DEVICE may name)."""
    import torch

    devices = ["cpu"]
    if torch.cuda.is_available():
        devices += ["cuda", *(f"cuda:{i}" for i in range(torch.cuda.device_count()))]
    if torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def _run_section(display: str, section: Section, namespace: dict, reader: int) -> SectionResult:
    import matplotlib.pyplot as plt

    code = compile(section.padded_code(), display, "exec")
    started = time.perf_counter()
    error = None
    try:
        exec(code, namespace)
    except BaseException as exc:  # noqa: BLE001 - every failure is reported with its line
        error = exc
    seconds = time.perf_counter() - started
    sys.stdout.flush()
    sys.stderr.flush()
    caught = _check_error(display, section, error)
    output = _for_the_page(_read_new(reader))
    if len(output.encode()) > SETTINGS.output_bytes:
        raise AuthorError(
            display,
            section.first_line,
            f"{section.name!r} printed {len(output.encode()) / 1000:.0f} KB, over the limit of "
            f"{SETTINGS.output_bytes // 1000} KB a section may print: print a summary instead",
        )
    try:
        figures = [save_figure(plt.figure(number)) for number in plt.get_fignums()]
    except UntitledFigure as exc:
        raise AuthorError(display, section.first_line, f"{section.name!r}: {exc}") from None
    finally:
        plt.close("all")
    if caught:
        caught = caught[0], _for_the_page(caught[1])
    return SectionResult(
        section.name, output, caught, figures, section.varies, seconds, plain_values(namespace)
    )


def _read_new(reader: int) -> str:
    chunks = []
    while chunk := os.read(reader, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def _for_the_page(text: str) -> str:
    """Drop terminal colour codes and expand tabs, which Markdown would otherwise mangle."""
    return ANSI_ESCAPE.sub("", text).expandtabs(8)


def _check_error(display: str, section: Section, error: BaseException | None):
    """(type, message) of a declared error; anything else is the author's mistake."""
    if error is None:
        if section.raises:
            raise AuthorError(
                display,
                section.raises_line,
                f"declared `# raises {section.raises}` but nothing was raised",
            )
        return None
    line = _line_in_file(display, error)
    name = type(error).__name__
    if section.raises and section.raises.split(".")[-1] == name and line == section.raises_line:
        return name, str(error)
    expected = (
        f" (expected `{section.raises}` at line {section.raises_line})" if section.raises else ""
    )
    first = str(error).strip().splitlines()
    message = f"{name}: {first[0] if first else ''}{expected}"
    if len(first) > 1:
        message += "\n    " + "\n    ".join(first[1:6])
    raise AuthorError(display, line, message)


def _line_in_file(display: str, error: BaseException) -> int | None:
    """The top-level statement of the source that raised (where `# raises` sits): a call to a
    function defined in the source is reported at the call."""
    if isinstance(error, SyntaxError) and error.filename == display:
        return error.lineno
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == display:
            return lineno
    return None


def plain_values(namespace: dict) -> dict:
    """The namespace's plain numbers and short strings (0-d tensors and NumPy scalars as numbers):
    what prose on a page may quote from a run."""
    values = {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
            try:
                value = value.item()
            except Exception:  # noqa: BLE001 - a meta tensor has no number
                continue
        if isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) <= 80):
            values[name] = value
    return values


def _write_namespace(file: Path, namespace: dict) -> None:
    """Each global pickled on its own, for the tests (cloudpickle carries the classes and
    functions the source defined, which plain pickle would only name)."""
    import cloudpickle

    pickled = {}
    for name, value in namespace.items():
        if name.startswith("__") or isinstance(value, types.ModuleType):
            continue
        with contextlib.suppress(Exception):
            pickled[name] = cloudpickle.dumps(value)
    file.write_bytes(pickle.dumps(pickled))


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _write_json(file: Path, data: dict) -> None:
    temporary = file.with_name(f".{file.name}.{os.getpid()}")
    temporary.write_text(json.dumps(data))
    os.replace(temporary, file)
