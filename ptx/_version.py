"""The helper's version: a base release plus a digest of the package's own code.

The same function gives the version twice: hatchling calls it when it builds the wheel the site
publishes (`[tool.hatch.version]` in pyproject.toml), and `ptx.__version__` calls it when the
package is imported, on the files it was imported from. So any change to any `.py` file of `ptx`
is a new version, a wheel and an editable checkout with the same code agree on it, and a notebook
can ask for exactly the helper its checks were written for. This file imports nothing from `ptx`
(hatchling runs it alone).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

BASE = "0.2.0"  # raise it for a release that means something to readers
DIGITS = 12  # hex digits of the digest in the version's local label


def code_digest(package: Path) -> str:
    """The SHA-256 of every `.py` file under `package`, by path, with Windows line ends as Unix'."""
    digest = hashlib.sha256()
    for file in sorted(package.rglob("*.py"), key=lambda f: f.relative_to(package).as_posix()):
        digest.update(file.relative_to(package).as_posix().encode() + b"\0")
        digest.update(file.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def version(package: Path | None = None) -> str:
    """`0.2.0+<digest>`: the base release and the code's digest, as a PEP 440 local label.

    Args:
        package: The package folder; by default the one this file is in.
    """
    folder = Path(__file__).resolve().parent if package is None else package
    return f"{BASE}+{code_digest(folder)[:DIGITS]}"
