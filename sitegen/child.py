"""The source's own process. Forked for one run (by its keeper, sitegen.keeper) from the warm
server, with torch, matplotlib and friends already imported, it runs the sections of one source as
a fresh `python <file>` would, and sends the keeper what each raised and drew and the values it
left; what it printed reaches the keeper through the pipe that is its stdout and stderr. It never
returns: it ends with `os._exit`, which also ends every thread the source started.

The limits that only this process can see are enforced in it, at the line that hits them
(sitegen.process_limits): the memory it may map, the size of a file it writes, and what a section
prints through Python (the keeper stops what is printed some other way)."""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import faulthandler
import importlib.util
import json
import os
import pickle
import random
import sys
import tempfile
import time
import traceback
import types
import warnings
from pathlib import Path

from sitegen import inputs, process_limits
from sitegen.figures import UntitledFigure, apply_site_style, save_figure
from sitegen.keeper import send
from sitegen.markers import Limits, limit_hint
from sitegen.results import AuthorError, FileResult, SectionResult, to_json
from sitegen.sources import Section
from sitegen.terminal import as_shown


def main(request: dict, control: int, fault: int) -> None:
    """Run one source in this (freshly forked) process, send the result, and exit."""
    status = 0
    try:
        _isolate(request, control, fault)
        result = _run(request, control)
        _send(control, {"result": to_json(result)})
    except AuthorError as error:
        _send(control, {"error": {"line": error.line, "message": error.message}})
    except BaseException:  # noqa: BLE001 - a bug of the build itself: the runner shows it whole
        with contextlib.suppress(BaseException):
            _send(control, {"crash": traceback.format_exc()})
        status = 1
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        _REAL_EXIT(status)


_REAL_EXIT = os._exit


def _send(control: int, message: dict) -> None:
    send(control, b"J", json.dumps(message).encode())


def limits_of(request: dict) -> Limits:
    return Limits(**{f.name: request["limits"][f.name] for f in dataclasses.fields(Limits)})


# -- a fresh interpreter ------------------------------------------------------------------------
def _isolate(request: dict, control: int, fault: int) -> None:
    """No stdin, stdout and stderr counted, faulthandler, the environment, a scratch cwd."""
    sys.stdin = open(os.devnull)  # noqa: SIM115 - input() raises EOFError at once
    process_limits.OUTPUT.limit, process_limits.OUTPUT.control = (
        request["limits"]["output_bytes"],
        control,
    )
    sys.stdout = sys.__stdout__ = process_limits.CountedStream(1)
    sys.stderr = sys.__stderr__ = process_limits.CountedStream(2)
    # where the source is when it crashes, or when the keeper stops it (SIGABRT)
    faulthandler.enable(file=fault, all_threads=True)
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["TMPDIR"] = request["tmp"]
    tempfile.tempdir = None  # found again from TMPDIR
    os.chdir(request["scratch"])
    os._exit = _recording_exit(control, request["display"])
    inputs.record(request)


def _recording_exit(control: int, display: str):
    """os._exit that first tells the keeper the line of the source that called it."""

    def exit_(status: int) -> None:
        with contextlib.suppress(BaseException):
            _send(control, {"exit": status, "line": process_limits.caller_line(sys._getframe(1))})
        _REAL_EXIT(status)

    return exit_


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


_WARNINGS: list[tuple[str, str]] = []  # the warnings the running section issued


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    text = str(message)
    _WARNINGS.append((category.__name__, as_shown(text.splitlines()[0] if text else "")))
    sys.stderr.write(f"{category.__name__}: {text}\n")  # as the page shows it: no path


# -- running --------------------------------------------------------------------------------------
def _run(request: dict, control: int) -> FileResult:
    started, cpu_started = time.perf_counter(), time.process_time()
    process_limits.DISPLAY = request["display"]
    limits = limits_of(request)
    module = _fresh_state(request)
    sections = [Section(**section) for section in request["sections"]]
    results = []
    process_limits.limit_resources(limits, source_may_use=True)
    for index, section in enumerate(sections):
        _send(control, {"start": index, "line": section.first_line})
        results.append(_run_section(request["display"], section, module.__dict__, limits))
        _send(control, {"end": index})
        os.read(request["ack"], 1)  # the keeper has all it printed: what follows is the next's
    process_limits.limit_resources(limits, source_may_use=False)
    if request["keep_namespace"]:
        send(control, b"N", _pickled_namespace(module.__dict__))
    return FileResult(
        path=request["display"],
        sections=results,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu_started,
        inputs=inputs.found(request),
        device=device_in_use(request["root"]),
    )


def _ptx_device(root: str | Path) -> types.ModuleType | None:
    """The project's `ptx/device.py`, loaded under a private name: the fork server must not hold
    the project's `ptx` (an edited `ptx` is what the next run imports), and the build asks the
    same question the helper answers, `ptx.get_device()`, with the helper's own code."""
    file = Path(root) / "ptx" / "device.py"
    spec = importlib.util.spec_from_file_location("_sitegen_ptx_device", file)
    if spec is None or not file.is_file():
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOME = Path(__file__).resolve().parents[1]


def available_devices() -> list[str]:
    """The device names this machine has (what PTX_DEVICE may name), as the helper lists them."""
    return _ptx_device(HOME).available_devices()


def device_in_use(root: str | Path) -> str:
    """The device `ptx.get_device()` picks here: PTX_DEVICE, else CUDA, MPS, CPU."""
    device = _ptx_device(root)
    if device is None:
        return "cpu"
    try:
        return str(device.get_device())
    except ValueError:  # a PTX_DEVICE this machine lacks (the build checks it before running)
        return os.environ.get("PTX_DEVICE", "cpu").strip().lower()


def _run_section(display: str, section: Section, namespace: dict, limits: Limits):
    import matplotlib.pyplot as plt

    code = compile(section.padded_code(), display, "exec")
    process_limits.OUTPUT.used, process_limits.OUTPUT.hit_line = 0, None
    _WARNINGS.clear()
    started = time.perf_counter()
    error = None
    try:
        exec(code, namespace)
    except BaseException as exc:  # noqa: BLE001 - every failure is reported with its line
        error = exc
    seconds = time.perf_counter() - started
    with contextlib.suppress(process_limits.OutputLimit):
        sys.stdout.flush()
        sys.stderr.flush()
    caught = _check_error(display, section, error, limits)
    try:
        figures = [save_figure(plt.figure(number)) for number in plt.get_fignums()]
    except UntitledFigure as exc:
        raise AuthorError(display, section.first_line, f"{section.name!r}: {exc}") from None
    finally:
        plt.close("all")
    figures = [dataclasses.replace(figure, alt=as_shown(figure.alt)) for figure in figures]
    if caught:
        caught = caught[0], as_shown(caught[1])
    return SectionResult(
        section.name,
        "",  # what it printed: the keeper has it
        caught,
        figures,
        section.varies,
        seconds,
        plain_values(namespace),
        list(_WARNINGS),
    )


def _check_error(display: str, section: Section, error: BaseException | None, limits: Limits):
    """(type, message) of a declared error; anything else is the author's mistake."""
    if (
        process_limits.OUTPUT.hit_line is not None
    ):  # even if the source caught the process_limits.OutputLimit
        raise AuthorError(
            display,
            process_limits.OUTPUT.hit_line,
            f"{section.name!r} printed more than a section may: print a summary instead "
            f"({limit_hint('output', limits)})",
        )
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
    first = as_shown(str(error)).strip().splitlines()
    message = f"{name}: {first[0] if first else ''}{expected}"
    if limit := process_limits.limit_hit(error, limits):
        what = {
            "memory": "over the memory one process of a run may use",
            "disk": "over what a run may write to its scratch folder and /tmp",
            "files": "over the number of files a run may create",
        }[limit]
        message = f"{message.rstrip(': ')}: {what} ({limit_hint(limit, limits)})"
    elif len(first) > 1:
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
        if isinstance(value, bool | int | float):
            values[name] = value
        elif isinstance(value, str) and len(value) <= 80:
            values[name] = as_shown(value)
    return values


def _pickled_namespace(namespace: dict) -> bytes:
    """Each global pickled on its own, for the tests (cloudpickle carries the classes and
    functions the source defined, which plain pickle would only name)."""
    import cloudpickle

    pickled = {}
    for name, value in namespace.items():
        if name.startswith("__") or isinstance(value, types.ModuleType):
            continue
        with contextlib.suppress(Exception):
            pickled[name] = cloudpickle.dumps(value)
    return pickle.dumps(pickled)
