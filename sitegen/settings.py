"""Everything an author may tune about the build, in one place (AUTHORING.md documents each), and
the project's facts (the helper's distribution name, the pinned torch), read from the files that
hold them so that no other module writes them again.

The defaults suit a laptop and the 2-core reference machine. A snippet raises its own limits with a
marker on a line of its own (`# timeout: 120`); nothing else is set per file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """The build's tunable limits and sizes."""

    # -- running a source (sitegen.sources, sitegen.runner, sitegen.child)
    timeout_s: float = 60.0  # wall-clock time a file may run; `# timeout: N` asks for more
    max_timeout_s: float = 600.0  # the most a `# timeout:` marker may ask for
    grace_s: float = 10.0  # after a child's own watchdog should have fired: the parent kills it
    server_start_s: float = 300.0  # the fork server's imports (torch) on a cold, busy machine
    output_bytes: int = 20_000  # what one section may print: more is a loop that prints

    # -- figures (sitegen.figures)
    svg_budget_bytes: int = 40_000  # a bigger SVG is tried as a PNG, kept when under half its size
    png_dpi: int = 110

    # -- where things are, relative to the project root
    snippets_dir: str = "snippets"
    cache_dir: str = "build/cache"


SETTINGS = Settings()


@dataclass(frozen=True)
class Project:
    """Facts about the project that pages, notebooks and tests all quote."""

    distribution: str  # the helper's name on an install line: never `ptx`, someone else's
    import_name: str  # what readers import
    pinned: dict[str, str]  # package name (lower case) -> version, from constraints.txt

    def pin(self, name: str) -> str:
        """The version the lock file pins for a package (KeyError if it pins none)."""
        return self.pinned[name.lower()]


def project(root: Path) -> Project:
    """The project's facts, from pyproject.toml and constraints.txt."""
    metadata = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    pinned = {}
    lock = root / "constraints.txt"
    for line in lock.read_text().splitlines() if lock.exists() else []:
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pinned[name.strip().lower()] = version.strip()
    return Project(distribution=metadata["name"], import_name="ptx", pinned=pinned)
