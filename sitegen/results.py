"""What a run of one source produced, the author's mistakes, and their JSON form (the cache's and
the child process's) with validation, so a damaged file is refused instead of trusted."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from sitegen.figures import Figure


class AuthorError(Exception):
    """A mistake in a snippet or page: reported as `path:line: message`, never as a traceback."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(path, line, message)
        self.path, self.line, self.message = path, line, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class SectionResult:
    """What one section (section or cell) printed, raised, drew and left behind."""

    name: str
    output: str = ""
    error: tuple[str, str] | None = None  # (type, message) of a declared error demonstration
    figures: list[Figure] = field(default_factory=list)
    varies: bool = False
    seconds: float = 0.0
    values: dict = field(default_factory=dict)  # plain numbers and short strings afterwards
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (category, first line)


@dataclass
class FileResult:
    """The results of every section of one source, in file order."""

    path: str  # "snippets/fundamentals/matmul_spellings.py"
    sections: list[SectionResult]
    seconds: float
    cpu_seconds: float  # unlike wall time, barely moved by a busy machine
    inputs: dict[str, str] = field(default_factory=dict)  # what it read: sitegen.inputs
    device: str = "cpu"  # the device `ptx.get_device()` picks where it ran
    namespace: dict | None = None  # for the tests only, never stored
    code: str | None = None  # the digest of the build code that ran it (the fork server's)
    recorded: dict | None = None  # provenance, for a result recorded on another machine

    def section(self, name: str) -> SectionResult:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(f"{self.path} has no section {name!r}")

    @property
    def final_values(self) -> dict:
        return self.sections[-1].values if self.sections else {}


class InvalidResult(ValueError):
    """A stored result does not have the expected shape."""


def to_json(result: FileResult) -> dict:
    return {
        "path": result.path,
        "seconds": result.seconds,
        "cpu_seconds": result.cpu_seconds,
        "inputs": result.inputs,
        "device": result.device,
        "recorded": result.recorded,
        "sections": [
            {
                "name": section.name,
                "output": section.output,
                "error": list(section.error) if section.error else None,
                "figures": [
                    {"alt": f.alt, "suffix": f.suffix, "data": base64.b64encode(f.data).decode()}
                    for f in section.figures
                ],
                "varies": section.varies,
                "seconds": section.seconds,
                "values": section.values,
                "warnings": [list(w) for w in section.warnings],
            }
            for section in result.sections
        ],
    }


def from_json(data: object) -> FileResult:
    """Rebuild a result, checking every field's type.

    Raises:
        InvalidResult: the data is not a result (wrong shape, missing field, bad figure).
    """
    try:
        _expect(data, dict, "result")
        sections = [_section(s) for s in _expect(data["sections"], list, "sections")]
        inputs = _expect(data["inputs"], dict, "inputs")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items()):
            raise InvalidResult("inputs is not {path: digest}")
        recorded = data.get("recorded")
        if recorded is not None:
            _expect(recorded, dict, "recorded")
        return FileResult(
            path=_expect(data["path"], str, "path"),
            sections=sections,
            seconds=float(_expect(data["seconds"], int | float, "seconds")),
            cpu_seconds=float(_expect(data["cpu_seconds"], int | float, "cpu_seconds")),
            inputs=inputs,
            device=_expect(data["device"], str, "device"),
            recorded=recorded,
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, InvalidResult):
            raise
        raise InvalidResult(f"{type(error).__name__}: {error}") from None


def _section(section: object) -> SectionResult:
    _expect(section, dict, "section")
    error = section["error"]
    if error is not None:
        _expect(error, list, "error")
        if len(error) != 2 or not all(isinstance(part, str) for part in error):
            raise InvalidResult("error is not [type, message]")
    values = _expect(section["values"], dict, "values")
    if not all(isinstance(v, bool | int | float | str) for v in values.values()):
        raise InvalidResult("values holds something other than numbers and strings")
    warned = _expect(section.get("warnings", []), list, "warnings")
    if not all(
        isinstance(w, list) and len(w) == 2 and all(isinstance(p, str) for p in w) for w in warned
    ):
        raise InvalidResult("warnings is not [[category, message], ...]")
    return SectionResult(
        name=_expect(section["name"], str, "name"),
        output=_expect(section["output"], str, "output"),
        error=tuple(error) if error else None,
        figures=[_figure(f) for f in _expect(section["figures"], list, "figures")],
        varies=_expect(section["varies"], bool, "varies"),
        seconds=float(_expect(section["seconds"], int | float, "seconds")),
        values=values,
        warnings=[tuple(w) for w in warned],
    )


def _figure(figure: dict) -> Figure:
    if figure["suffix"] not in ("svg", "png"):
        raise InvalidResult(f"figure suffix {figure['suffix']!r}")
    raw = base64.b64decode(_expect(figure["data"], str, "figure data"), validate=True)
    return Figure(_expect(figure["alt"], str, "alt"), figure["suffix"], raw)


def _expect(value, kind, what: str):
    if not isinstance(value, kind):
        raise InvalidResult(f"{what} is a {type(value).__name__}")
    return value
