"""The helper's wheel and version: built by the project's backend, the same bytes from the same
sources, a version that follows the code and that the installed package knows at run time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import ptx
from ptx import _version
from sitegen.helper_wheel import build_wheel, wheel

ROOT = Path(__file__).resolve().parents[1]


def test_two_builds_of_the_same_sources_are_the_same_bytes(tmp_path, monkeypatch):
    first = build_wheel(ROOT, tmp_path / "first")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a site build's date changes nothing
    second = build_wheel(ROOT, tmp_path / "second")
    assert first.name == second.name
    assert first.read_bytes() == second.read_bytes()


def test_the_wheel_holds_exactly_the_package_and_its_version_is_the_codes():
    name, data = wheel(ROOT)
    assert name == f"pytorch_exercises_helpers-{ptx.__version__}-py3-none-any.whl"
    archive = zipfile.ZipFile(__import__("io").BytesIO(data))
    packaged = {n for n in archive.namelist() if not n.split("/")[0].endswith(".dist-info")}
    source = {p.relative_to(ROOT).as_posix() for p in (ROOT / "ptx").rglob("*.py")}
    assert packaged == source
    for path in source:
        assert archive.read(path) == (ROOT / path).read_bytes(), path
    metadata = archive.read(f"pytorch_exercises_helpers-{ptx.__version__}.dist-info/METADATA")
    assert f"Version: {ptx.__version__}\n".encode() in metadata
    assert b"Name: pytorch-exercises-helpers\n" in metadata


def test_any_change_to_the_code_is_a_new_version_and_line_ends_are_not_a_change(tmp_path):
    copy = tmp_path / "ptx"
    shutil.copytree(ROOT / "ptx", copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert _version.version(copy) == ptx.__version__
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert _version.version(copy) == ptx.__version__  # only the code counts
    seed = copy / "seed.py"
    seed.write_bytes(seed.read_bytes().replace(b"\n", b"\r\n"))
    assert _version.version(copy) == ptx.__version__  # a Windows checkout of the same code
    seed.write_text(seed.read_text() + "\n# one more line\n")
    changed = _version.version(copy)
    assert changed != ptx.__version__ and changed.startswith(f"{_version.BASE}+")


def test_the_installed_wheel_knows_its_own_version(tmp_path):
    """pip installs the wheel as a reader would (here into a folder, without its dependencies,
    which this Python has); imported from there, ptx reports the wheel's version."""
    name, data = wheel(ROOT)
    (tmp_path / name).write_bytes(data)
    target = tmp_path / "installed"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target)]
    subprocess.run([*pip, str(tmp_path / name)], check=True, capture_output=True)
    script = (
        "import importlib.metadata as m, ptx\n"
        "print(ptx.__file__)\n"
        "print(ptx.__version__, m.version('pytorch-exercises-helpers'))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-c", script],
        env=environment | {"PYTHONPATH": str(target)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    where, versions = run.stdout.splitlines()
    assert where.startswith(str(target))
    assert versions.split() == [ptx.__version__, ptx.__version__]
