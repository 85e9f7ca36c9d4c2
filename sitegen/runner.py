"""Run a snippet's sections in one namespace and capture what each printed, raised and drew.

The runner stands in for "a fresh Python process" while staying in the build's process, so that
torch is imported once per build: before each snippet it resets the random generator, print
options, matplotlib state and warning filters to what a new interpreter has.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import sys
import tempfile
import time
import traceback
import types
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.figures import Figure, UntitledFigure, apply_site_style, save_figure
from sitegen.sections import Section, SnippetError, split_sections

# terminal colour codes (torch's UnpicklingError message has some): not for a web page
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# torch's default generator seed in a new process (torch.initial_seed() before any manual_seed)
TORCH_FRESH_SEED = 67280421310721


class SnippetFailure(Exception):
    """A snippet raised where it should not, or did not raise where it declared it would."""


@dataclass
class SectionResult:
    """What one section printed, raised and drew."""

    name: str
    output: str
    error: tuple[str, str] | None  # (exception type, message) of a declared error demonstration
    figures: list[Figure] = field(default_factory=list)
    varies: bool = False
    seconds: float = 0.0


@dataclass
class SnippetResult:
    """The results of every section of one snippet, in file order."""

    path: str
    sections: list[SectionResult]
    seconds: float
    device: str
    cpu_seconds: float = 0.0  # CPU time: unlike wall time, barely moved by a busy machine
    namespace: dict | None = None  # kept only for the tests; never cached

    def section(self, name: str) -> SectionResult:
        for result in self.sections:
            if result.name == name:
                return result
        raise KeyError(f"{self.path} has no section {name!r}")


def run_snippet(path: Path | str, keep_namespace: bool = False) -> SnippetResult:
    """Run every section of a snippet in order, in one namespace, as a reader's script would."""
    path = Path(path)
    return run_units(path, split_sections(path), keep_namespace=keep_namespace)


def run_units(path: Path, units: Iterable[Section], keep_namespace: bool = False) -> SnippetResult:
    """Run code units (sections, or notebook cells) of one file in one fresh namespace."""
    started, cpu_started = time.perf_counter(), time.process_time()
    results = []
    module = types.ModuleType("__main__")
    module.__file__ = str(path.resolve())
    name = _display(path)  # before the runner moves into its scratch folder
    with _fresh_interpreter(path, module):
        for unit in units:
            results.append(_run_section(name, unit, module.__dict__))
    device = _device_in_use()
    return SnippetResult(
        path=path.as_posix(),
        sections=results,
        seconds=time.perf_counter() - started,
        device=device,
        cpu_seconds=time.process_time() - cpu_started,
        namespace=dict(module.__dict__) if keep_namespace else None,
    )


def _run_section(path: str, section: Section, namespace: dict) -> SectionResult:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    started = time.perf_counter()
    error = None
    code = compile(section.padded_code(), path, "exec")
    with _capture(buffer):
        try:
            exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported with its line
            error = exc
    seconds = time.perf_counter() - started
    caught = _check_error(path, section, error)
    try:
        figures = [save_figure(plt.figure(number)) for number in plt.get_fignums()]
    except UntitledFigure as exc:
        raise SnippetFailure(f"{path}: section {section.name!r}: {exc}") from None
    finally:
        plt.close("all")
    if caught:
        caught = caught[0], _for_the_page(caught[1])
    output = _for_the_page(buffer.getvalue())
    return SectionResult(section.name, output, caught, figures, section.varies, seconds)


def _for_the_page(text: str) -> str:
    """Drop terminal colour codes and expand tabs, which Markdown would otherwise mangle."""
    return ANSI_ESCAPE.sub("", text).expandtabs(8)


def _display(path: Path) -> str:
    """The path as messages show it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _check_error(path: str, section: Section, error: BaseException | None):
    where = f"{path}:{section.raises_line}" if section.raises_line else path
    if error is None:
        if section.raises:
            raise SnippetFailure(
                f"{where}: declared `# raises {section.raises}` but nothing was raised"
            )
        return None
    line = _line_in_file(path, error)
    name = type(error).__name__
    if section.raises and section.raises.split(".")[-1] == name and line == section.raises_line:
        return name, str(error)
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != path:
        tb = tb.tb_next  # start the traceback at the snippet, not in the runner
    detail = "".join(traceback.format_exception(type(error), error, tb)).rstrip()
    expected = (
        f" (expected `{section.raises}` at line {section.raises_line})" if section.raises else ""
    )
    raise SnippetFailure(f"{path}:{line}: {name}: {error}{expected}\n{detail}") from None


def _line_in_file(path: str, error: BaseException) -> int | None:
    """The statement of the section (top level of the snippet) that raised.

    A call to a function defined in the snippet is reported at the call, where `# raises` sits.
    """
    if isinstance(error, SyntaxError) and error.filename == path:
        return error.lineno
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == path:
            return lineno
    return None


@contextlib.contextmanager
def _capture(buffer: io.StringIO):
    """Send stdout, stderr and warnings (as `Category: message`, without the path) to buffer."""

    def show(message, category, filename, lineno, file=None, line=None):
        buffer.write(f"{category.__name__}: {message}\n")

    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        saved, warnings.showwarning = warnings.showwarning, show
        try:
            yield
        finally:
            warnings.showwarning = saved


@contextlib.contextmanager
def _fresh_warning_filters():
    """A new interpreter's warning filters, for the whole snippet: a warning already shown by an
    earlier section is not shown again, as in one Python session."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        # the defaults of `python -c "import warnings; print(warnings.filters)"`
        warnings.simplefilter("ignore", ResourceWarning)
        warnings.simplefilter("ignore", ImportWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        yield


@contextlib.contextmanager
def _fresh_interpreter(path: Path, module: types.ModuleType):
    """Run in a scratch directory, as `python <path>`, with a new interpreter's global state."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.close("all")
    apply_site_style()
    _reset_torch()
    saved = sys.argv, sys.modules.get("__main__"), os.getcwd(), list(sys.path), plt.show
    plt.show = lambda *args, **kwargs: None  # figures are collected at the end of each section
    sys.argv = [str(path)]
    sys.modules["__main__"] = module  # pickling classes defined in the snippet finds them
    sys.path.insert(0, str(path.resolve().parent))
    try:
        with tempfile.TemporaryDirectory(prefix="snippet-") as scratch, _fresh_warning_filters():
            os.chdir(scratch)
            yield
    finally:
        os.chdir(saved[2])
        sys.argv, sys.path[:], plt.show = saved[0], saved[3], saved[4]
        sys.modules["__main__"] = saved[1]
        plt.close("all")


def imported_modules(source: str) -> set[str]:
    """The top-level modules a piece of code imports (`import torch.nn` -> "torch")."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def warm_up(modules: Iterable[str] = ("torch",)) -> None:
    """Pay one-off costs outside any snippet's time: imports, and torch's first optimizer step."""
    import importlib

    import matplotlib

    matplotlib.use("Agg", force=True)
    for name in sorted(set(modules)):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    torch = sys.modules.get("torch")
    if torch is not None and not getattr(warm_up, "stepped", False):
        warm_up.stepped = True
        model = torch.nn.Linear(1, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        model(torch.ones(1, 1)).sum().backward()
        optimizer.step()


def _reset_torch() -> None:
    torch = sys.modules.get("torch")
    if torch is None:
        return  # not imported yet: it will start fresh
    torch.manual_seed(TORCH_FRESH_SEED)
    # The lessons' models are tiny: one thread is faster than several, and immune to a busy
    # machine's oversubscription (a step went from 1 ms to 100 ms at load 6 with two threads).
    torch.set_num_threads(1)
    torch.set_printoptions(profile="default", sci_mode=None)
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    import numpy

    numpy.set_printoptions(**_NUMPY_DEFAULTS)


_NUMPY_DEFAULTS = {
    "precision": 8,
    "threshold": 1000,
    "edgeitems": 3,
    "linewidth": 75,
    "suppress": False,
    "nanstr": "nan",
    "infstr": "inf",
    "sign": "-",
    "floatmode": "maxprec",
    "legacy": False,
}


def _device_in_use() -> str:
    """The device `ptx.get_device()` picks on this machine, if torch was used at all."""
    if "torch" not in sys.modules:
        return "none"
    try:
        from ptx import get_device
    except ImportError:
        return "cpu"
    return str(get_device())


__all__ = ["SnippetError", "SnippetFailure", "SnippetResult", "SectionResult", "run_snippet"]
