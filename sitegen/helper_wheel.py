"""The helper package's wheel, published with the site: built by the project's own build backend
(the one pyproject.toml declares: hatchling) through the standard PEP 517 hooks, offline (the
backend is installed in .venv) and reproducibly: the same sources give the same bytes. Its version
follows the code (ptx/_version.py), and so does its file name. Built once per change of what goes
into it, kept under build/wheel/."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from pyproject_hooks import BuildBackendHookCaller

from sitegen.results import AuthorError

# what a wheel is made from, besides ptx/: its metadata (the project's README is the site's, not
# the helper's: the wheel carries none)
INPUTS = ("pyproject.toml",)


def wheel(root: Path) -> tuple[str, bytes]:
    """(file name, bytes) of the wheel of the package declared in pyproject.toml."""
    folder = root / "build" / "wheel" / _inputs_digest(root)
    built = sorted(folder.glob("*.whl"))
    if not built:
        built = [build_wheel(root, folder)]
        for old in folder.parent.iterdir():  # the wheels of code that is gone
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    return built[0].name, built[0].read_bytes()


def build_wheel(root: Path, folder: Path) -> Path:
    """Build the wheel into `folder` with the backend pyproject.toml names; its path."""
    backend = tomllib.loads((root / "pyproject.toml").read_text())["build-system"]["build-backend"]
    hooks = BuildBackendHookCaller(
        str(root), backend, runner=_quiet_fixed_time_runner, python_executable=sys.executable
    )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        name = hooks.build_wheel(scratch)
        return (Path(scratch) / name).replace(folder / name)


def _inputs_digest(root: Path) -> str:
    digest = hashlib.sha256(sys.version.encode() + b"\0")
    files = [root / name for name in INPUTS] + sorted((root / "ptx").rglob("*.py"))
    for file in files:
        if file.exists():
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _quiet_fixed_time_runner(cmd, cwd=None, extra_environ=None) -> None:
    """Run the backend in a Python of its own, as every frontend does, with hatchling's own fixed
    timestamp for every file (whatever SOURCE_DATE_EPOCH this build of the site was given)."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    run = subprocess.run(
        cmd, cwd=cwd, env=environment | (extra_environ or {}), capture_output=True, text=True
    )
    if run.returncode:
        raise AuthorError(
            "pyproject.toml",
            None,
            "building the helper's wheel failed (is the build backend installed? `make install`):\n"
            + run.stderr[-2000:],
        )
