"""The helper package as a wheel, published with the site: pure Python, the same bytes from the
same sources (fixed timestamps and order, no build tool's own metadata)."""

from __future__ import annotations

import base64
import hashlib
import io
import tomllib
import zipfile
from pathlib import Path

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold


def wheel(root: Path) -> tuple[str, bytes]:
    """(file name, bytes) of the wheel of the package declared in pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    packages = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]
    name, release = project["name"], project["version"]
    dist = name.replace("-", "_")
    info = f"{dist}-{release}.dist-info"
    files: list[tuple[str, bytes]] = []
    for package in packages:
        folder = root / package.replace(".", "/")
        for file in sorted(folder.glob("*.py")):
            files.append((file.relative_to(root).as_posix(), file.read_bytes()))
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {release}",
        f"Summary: {project.get('description', '')}",
        f"License: {project.get('license', {}).get('text', '')}",
        f"Requires-Python: {project.get('requires-python', '')}",
        *(f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])),
    ]
    files.append((f"{info}/METADATA", ("\n".join(metadata) + "\n").encode()))
    files.append(
        (
            f"{info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: sitegen\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
    )
    files.append((f"{info}/top_level.txt", ("\n".join(packages) + "\n").encode()))
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in files]
    files.append((f"{info}/RECORD", ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            entry = zipfile.ZipInfo(path, date_time=EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return f"{dist}-{release}-py3-none-any.whl", out.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
