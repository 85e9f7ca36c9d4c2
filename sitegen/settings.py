"""Everything an author may tune about the build, in one place (AUTHORING.md documents each), and
the project's facts (the helper's distribution name, the pinned torch), read from the files that
hold them so that no other module writes them again.

The defaults suit a laptop and the 2-core reference machine. A snippet raises its own limits with a
marker on a line of its own (`# timeout: 120`); nothing else is set per file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


def _machine_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 * 1000**3


def _gigabytes(size: float) -> int:
    return int(size // 1000**3) * 1000**3 or 1000**3


@dataclass(frozen=True)
class Settings:
    """The build's tunable limits and sizes."""

    # -- running a source (sitegen.sources, sitegen.runner, sitegen.keeper, sitegen.child).
    #    A file raises its own limits with a marker (`# memory: 8 GB`), up to the max_ values.
    timeout_s: float = 60.0  # wall-clock time a file may run; `# timeout: N` asks for more
    max_timeout_s: float = 600.0  # the most a `# timeout:` marker may ask for
    # memory one process of a run may map (the preloaded torch, about 0.5 GB, included): a
    # quarter of this machine, at most 4 GB; `# memory: 8 GB` asks for more, up to half of it
    memory_bytes: int = min(4 * 1000**3, _gigabytes(_machine_memory() / 4))
    max_memory_bytes: int = _gigabytes(_machine_memory() / 2)
    output_bytes: int = 20_000  # what one section may print: more is a loop that prints
    max_output_bytes: int = 1_000_000
    disk_bytes: int = 200 * 1000**2  # what a run may write: its scratch folder, /tmp, /dev/shm
    max_disk_bytes: int = 4 * 1000**3
    files: int = 1_000  # files and folders a run may create there
    max_files: int = 100_000
    processes: int = 16  # processes a run may have at once, its own included
    max_processes: int = 256
    grace_s: float = 10.0  # past a run's time and the keeper's stop: the build stops the keeper
    stop_grace_s: float = 5.0  # a run being stopped writes where it is, then it is killed
    watch_interval_s: float = 0.05  # how often a run's processes (and files) are counted
    server_start_s: float = 300.0  # the fork server's imports (torch) on a cold, busy machine
    sandbox: bool = True  # run in bubblewrap where it can start (else detection, AUTHORING.md)
    bwrap: str = "bwrap"  # the bubblewrap program (Debian's `bubblewrap` package)

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
