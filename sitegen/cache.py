"""The build's one cache: a source's result, reused while nothing it depends on has changed.

An entry is keyed by the source's text and the environment (the `ptx` package, the modules that
run it, the pinned versions, Python, PTX_DEVICE), and it lists every other file under the project
that the run opened, with its digest: a change to any of them runs the source again. An entry that
cannot be read or does not validate is discarded with a warning, never trusted; writes are atomic
under unique names; entries that no source uses any more are pruned.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import tempfile
from pathlib import Path

from sitegen.results import FileResult, InvalidResult, from_json, to_json
from sitegen.sources import Source

log = logging.getLogger("mkdocs.sitegen")
FORMAT = 2  # bump when the stored shape changes
SITEGEN = Path(__file__).resolve().parent
# the modules whose code decides what a run prints and draws (rendering changes don't re-run)
RUNNING_MODULES = (
    "child.py",
    "figures.py",
    "forkserver.py",
    "preload.py",
    "settings.py",
    "sources.py",
)


def _folder_digest(folder: Path) -> bytes:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*.py")):
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.digest()


def environment_digest(root: Path) -> str:
    """What every run depends on besides its own files."""
    digest = hashlib.sha256()
    digest.update(_folder_digest(root / "ptx") if (root / "ptx").is_dir() else b"no ptx")
    for name in RUNNING_MODULES:
        digest.update((SITEGEN / name).read_bytes())
    lock = root / "constraints.txt"
    digest.update(lock.read_bytes() if lock.exists() else b"no lock")
    digest.update(platform.python_version().encode())
    digest.update(os.environ.get("PTX_DEVICE", "").encode())
    return digest.hexdigest()


def project_cache(root: Path) -> Cache:
    """The project's cache, under build/cache/: the build's, and the tests' when they run a file
    the build has not cached yet."""
    return Cache(root / "build" / "cache", root, environment_digest(root))


class Cache:
    """Results on disk under build/cache/, one JSON file per source."""

    def __init__(self, folder: Path, root: Path, environment: str):
        self.folder, self.root, self.environment = folder, root, environment

    def key(self, source: Source) -> str:
        return hashlib.sha256(source.text.encode() + b"\0" + self.environment.encode()).hexdigest()

    def _file(self, relative: str) -> Path:
        return self.folder / (relative.replace("/", "__") + ".json")

    def load(self, source: Source) -> FileResult | None:
        """The stored result, if it is valid and still current; None to run the source."""
        file = self._file(source.relative)
        try:
            data = json.loads(file.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            return self._discard(file, f"unreadable ({error})")
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return self._discard(file, "written by another version of the build")
        if data.get("key") != self.key(source):
            return None  # the source or the environment changed: run it again
        try:
            result = from_json(data.get("result"))
        except InvalidResult as error:
            return self._discard(file, f"malformed ({error})")
        if result.path != source.relative:
            return self._discard(file, f"holds the result of {result.path}")
        for relative, digest in result.inputs.items():
            if self._digest(relative) != digest:
                return None  # a file the run read has changed
        return result

    def last_seconds(self, source: Source) -> float:
        """How long the source took when it last ran (0 if never): the longest go first."""
        try:
            return float(json.loads(self._file(source.relative).read_text())["result"]["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0

    def store(self, source: Source, result: FileResult) -> None:
        data = {"format": FORMAT, "key": self.key(source), "result": to_json(result)}
        self.folder.mkdir(parents=True, exist_ok=True)
        file = self._file(source.relative)
        handle, temporary = tempfile.mkstemp(
            dir=self.folder, prefix=f".{file.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w") as out:
                json.dump(data, out)
            os.replace(temporary, file)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def prune(self, keep: set[str]) -> list[str]:
        """Delete the entries of sources that no longer exist (and stray temp files)."""
        wanted = {self._file(relative).name for relative in keep}
        removed = []
        if self.folder.is_dir():
            for file in self.folder.iterdir():
                if file.name not in wanted:
                    file.unlink(missing_ok=True)
                    removed.append(file.name)
        return removed

    def _digest(self, relative: str) -> str | None:
        try:
            return hashlib.sha256((self.root / relative).read_bytes()).hexdigest()
        except OSError:
            return None

    def _discard(self, file: Path, why: str) -> None:
        # not a warning that --strict would turn into a failure: the build heals it by running again
        log.info(f"sitegen: discarded the cache entry {file.name}: {why}; running it again")
        file.unlink(missing_ok=True)
        return None
