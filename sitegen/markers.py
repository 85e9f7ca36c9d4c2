"""A source file's marker lines: the limits of its runs (`# timeout:`, `# memory:`, `# output:`,
`# disk:`, `# files:`, `# processes:`) and the hardware it needs (`# needs:` on line 1), each
checked, and the hint an error gives for the marker that raises a limit (AUTHORING.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sitegen.results import AuthorError
from sitegen.settings import SETTINGS

MARKER = re.compile(r"^#\s*(?P<name>[a-z]+)\s*:\s*(?P<value>.*?)\s*$")
DEVICES = ("cuda", "mps")
UNITS = {"KB": 1000, "MB": 1000**2, "GB": 1000**3}


@dataclass(frozen=True)
class Limits:
    """What one run of a file may use; a marker in the file raises one (AUTHORING.md)."""

    timeout_s: float = SETTINGS.timeout_s
    memory_bytes: int = SETTINGS.memory_bytes
    output_bytes: int = SETTINGS.output_bytes
    disk_bytes: int = SETTINGS.disk_bytes
    files: int = SETTINGS.files
    processes: int = SETTINGS.processes


@dataclass(frozen=True)
class _Marker:
    field: str
    unit: str  # "s", "bytes" or "" (a count)
    example: str  # what the hint suggests, `# memory: 8 GB`
    most: float


MARKERS = {
    "timeout": _Marker("timeout_s", "s", "# timeout: 120", SETTINGS.max_timeout_s),
    "memory": _Marker("memory_bytes", "bytes", "# memory: 8 GB", SETTINGS.max_memory_bytes),
    "output": _Marker("output_bytes", "bytes", "# output: 50 KB", SETTINGS.max_output_bytes),
    "disk": _Marker("disk_bytes", "bytes", "# disk: 1 GB", SETTINGS.max_disk_bytes),
    "files": _Marker("files", "", "# files: 5000", SETTINGS.max_files),
    "processes": _Marker("processes", "", "# processes: 64", SETTINGS.max_processes),
}


def amount(value: float, unit: str) -> str:
    """A limit as an author writes it: `60 s`, `4 GB`, `20 KB`, `16`."""
    if unit == "s":
        return f"{value:.0f} s"
    if unit == "bytes":
        for name, size in reversed(UNITS.items()):
            if value >= size and value % (size // 10 or 1) == 0:
                return f"{value / size:g} {name}"
        return f"{value:.0f} bytes"
    return f"{value:.0f}"


def limit_hint(name: str, limits: Limits) -> str:
    """The limit a run hit, and the marker that raises it, for an error message."""
    marker = MARKERS[name]
    return (
        f"the limit is {amount(getattr(limits, marker.field), marker.unit)}; a file that needs "
        f"more says `{marker.example}` on a line of its own (at most "
        f"{amount(marker.most, marker.unit)})"
    )


def file_markers(relative: str, lines: list[str]) -> tuple[Limits, str | None]:
    """The file's limits and the hardware it needs, from its marker lines.

    Raises:
        AuthorError: a marker with a value it cannot have, given twice, or out of place.
    """
    values: dict[str, float] = {}
    needs = None
    for number, line in enumerate(lines, start=1):
        match = MARKER.match(line)
        if not match or (match["name"] not in MARKERS and match["name"] != "needs"):
            continue
        name, value = match["name"], match["value"]
        if name == "needs":
            if number != 1:
                raise AuthorError(relative, number, "`# needs:` must be the file's first line")
            if value not in DEVICES:
                raise AuthorError(
                    relative, number, f"`# needs: {value}`: a file may need {' or '.join(DEVICES)}"
                )
            needs = value
            continue
        marker = MARKERS[name]
        if marker.field in values:
            raise AuthorError(relative, number, f"`# {name}:` is given twice")
        values[marker.field] = _limit_value(relative, number, name, value, marker)
    return Limits(**values), needs


def _limit_value(relative: str, number: int, name: str, value: str, marker: _Marker) -> float:
    if marker.unit == "bytes":
        match = re.fullmatch(r"(\d+)\s*([KMG]B)", value, re.IGNORECASE)
        amount_ = int(match[1]) * UNITS[match[2].upper()] if match else None
        form = "a whole number of KB, MB or GB"
    elif marker.unit == "s":
        match = re.fullmatch(r"(\d+)\s*s?", value)
        amount_ = int(match[1]) if match else None
        form = "a whole number of seconds"
    else:
        amount_ = int(value) if value.isdigit() else None
        form = "a whole number"
    if amount_ is None or not 1 <= amount_ <= marker.most:
        raise AuthorError(
            relative,
            number,
            f"`# {name}: {value}`: {form} from 1 to {amount(marker.most, marker.unit)} "
            f"(`{marker.example}`)",
        )
    return amount_


assert {m.field for m in MARKERS.values()} == {f.name for f in fields(Limits)}
