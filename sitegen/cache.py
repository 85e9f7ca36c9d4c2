"""The build's one cache: a source's result, reused while nothing it depends on has changed.

An entry is keyed by the source's text and the environment (the `ptx` package, the build code
that ran it as the fork server imported it, the pinned versions, Python, PTX_DEVICE), and it lists
what else under the project the run depended on (sitegen.inputs): the files it opened, and
those it looked for and did not find, with their digests, and the folders it listed: a change to
any of them runs the source again, and a run that started a process (whose reads no one sees) is
never reused. Beside the result an entry keeps the digest of what the run wrote: an entry that
cannot be read, does not validate or does not match its digest (edited by hand) is discarded with
a note, never trusted; writes are atomic under unique names; entries that no source uses any more
are pruned.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import tempfile
from pathlib import Path

from sitegen.forkserver import code_digest
from sitegen.inputs import input_state
from sitegen.results import FileResult, InvalidResult, from_json, to_json
from sitegen.sources import Source

log = logging.getLogger("mkdocs.sitegen")
FORMAT = 3  # bump when the stored shape changes
SITEGEN = Path(__file__).resolve().parent


def _folder_digest(folder: Path) -> bytes:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*.py")):
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.digest()


def environment_digest(root: Path) -> str:
    """What every run depends on besides its own files and the build code that runs it."""
    digest = hashlib.sha256()
    digest.update(_folder_digest(root / "ptx") if (root / "ptx").is_dir() else b"no ptx")
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

    def __init__(self, folder: Path, root: Path, environment: str, sitegen: Path = SITEGEN):
        self.folder, self.root, self.environment = folder, root, environment
        self.code = code_digest(sitegen)  # the build code on disk: what a server runs now

    def key(self, source: Source, code: str | None = None) -> str:
        """The entry's key: the source's text, the environment, and the build code that ran it
        (the fork server's digest for a result being stored; the code on disk for a lookup)."""
        parts = (source.text, self.environment, code or self.code)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

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
            return None  # the source, the environment or the build code changed: run it again
        if data.get("sha256") != _digest_of(data.get("result")):
            return self._discard(file, "its result does not match the digest kept beside it")
        try:
            result = from_json(data.get("result"))
        except InvalidResult as error:
            return self._discard(file, f"malformed ({error})")
        if result.path != source.relative:
            return self._discard(file, f"holds the result of {result.path}")
        for relative, state in result.inputs.items():
            if input_state(self.root, relative) != state:
                return None  # something the run read or looked for has changed
        return result

    def last_seconds(self, source: Source) -> float:
        """How long the source took when it last ran (0 if never): the longest go first."""
        try:
            return float(json.loads(self._file(source.relative).read_text())["result"]["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0

    def store(self, source: Source, result: FileResult) -> None:
        stored = to_json(result)
        data = {
            "format": FORMAT,
            "key": self.key(source, result.code),
            "sha256": _digest_of(stored),
            "result": stored,
        }
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

    def _discard(self, file: Path, why: str) -> None:
        # not a warning that --strict would turn into a failure: the build heals it by running again
        log.info(f"sitegen: discarded the cache entry {file.name}: {why}; running it again")
        file.unlink(missing_ok=True)
        return None


def _digest_of(result: object) -> str:
    return hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()
