"""Without a sandbox, what the runs change is found afterwards: the project tree (its site/
included) is fingerprinted before the runs, again each time one ends (the files that ran
meanwhile are the suspects), and its .venv once all have ended; a changed file fails the build by
its name. Also the bytes and files a run writes, counted by its keeper as it runs."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.results import AuthorError

# what the build and the tests write themselves, and caches no run reads
NOT_WATCHED = {".git", "build", "test-artifacts", "__pycache__", ".pytest_cache", ".ruff_cache"}


@dataclass(frozen=True)
class Fingerprint:
    """Every file under a tree, by size, modification time and inode: a write changes one."""

    root: Path
    files: dict[str, tuple[int, int, int]]

    @classmethod
    def take(cls, root: Path, skip: Iterable[str] = ()) -> Fingerprint:
        skipped = NOT_WATCHED | set(skip)
        files = {}
        stack = [root]
        while stack:
            folder = stack.pop()
            with contextlib.suppress(OSError), os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name in skipped:
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(Path(entry.path))
                            continue
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    relative = os.path.relpath(entry.path, root)
                    files[relative] = (info.st_size, info.st_mtime_ns, info.st_ino)
        return cls(root, files)

    def changed_since(self, before: Fingerprint) -> list[str]:
        """The files added, removed or written since `before`, sorted."""
        names = before.files.keys() | self.files.keys()
        return sorted(n for n in names if before.files.get(n) != self.files.get(n))


def folder_usage(folders: Iterable[Path]) -> tuple[int, int]:
    """(bytes, files and folders) under the folders: what a run wrote, without a sandbox."""
    size = count = 0
    for top in folders:
        for folder, names, files in os.walk(top):
            count += len(names) + len(files)
            for name in files:
                with contextlib.suppress(OSError):
                    size += os.lstat(os.path.join(folder, name)).st_blocks * 512
    return size, count


class Watch:
    """The project tree (its site/ included) fingerprinted before the runs, again each time one
    ends (the files that ran meanwhile are the suspects), and its .venv once all have ended."""

    def __init__(self, root: Path):
        self.root = root
        self.light = Fingerprint.take(root, skip={".venv"})
        self.venv = Fingerprint.take(root / ".venv")
        self.ran: list = []

    def check(self, suspects: list) -> None:
        """`suspects[0]` has just ended; the others run still."""
        now = Fingerprint.take(self.root, skip={".venv"})
        changed = now.changed_since(self.light)
        self.light = now
        self.ran.append(suspects[0])
        if changed:
            for job in suspects:
                job.changed += changed
                job.suspects += [s.source.relative for s in suspects]

    def check_all(self, outcomes: dict) -> None:
        changed = Fingerprint.take(self.root / ".venv").changed_since(self.venv)
        if changed:
            for job in self.ran:
                job.changed = [f".venv/{name}" for name in changed]
                job.suspects = [j.source.relative for j in self.ran]
                outcomes[job.source.relative] = changed_error(job)


def changed_error(job) -> AuthorError:
    files = sorted(set(job.changed))
    others = sorted({s for s in job.suspects if s != job.source.relative})
    more = f" (and {len(files) - 1} more: {', '.join(files[1:6])})" if len(files) > 1 else ""
    meanwhile = f", or while {', '.join(others)} ran" if others else ""
    return AuthorError(
        files[0],
        None,
        f"changed while {job.source.relative} ran{meanwhile}{more}: a snippet may write only to "
        "its scratch folder (this machine has no sandbox, so the build found it afterwards: "
        "restore the file, `git checkout -- <file>`)",
    )
