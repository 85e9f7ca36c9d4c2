"""Cache snippet results on disk, keyed by everything that could change what they print."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
from dataclasses import asdict
from pathlib import Path

from sitegen.figures import Figure
from sitegen.runner import SectionResult, SnippetResult

ROOT = Path(__file__).resolve().parents[1]  # the repository: ptx/, sitegen/, constraints.txt
LOCK_FILE = ROOT / "constraints.txt"


def _sources_digest(folder: Path) -> bytes:
    digest = hashlib.sha256()
    for file in sorted(folder.glob("*.py")):
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.digest()


def environment_digest() -> str:
    """Digest of what every snippet depends on: ptx, the runner, the pinned versions, Python."""
    digest = hashlib.sha256()
    digest.update(_sources_digest(ROOT / "ptx"))
    digest.update(_sources_digest(ROOT / "sitegen"))
    digest.update(LOCK_FILE.read_bytes() if LOCK_FILE.exists() else b"no lock")
    digest.update(platform.python_version().encode())
    digest.update(os.environ.get("PTX_DEVICE", "").encode())
    return digest.hexdigest()


def snippet_key(path: Path, environment: str) -> str:
    """The cache key of one snippet: its own source plus the environment digest."""
    return hashlib.sha256(path.read_bytes() + environment.encode()).hexdigest()


def _cache_file(build_dir: Path, relative: str) -> Path:
    return build_dir / "cache" / (relative.replace("/", "__") + ".json")


def load(build_dir: Path, relative: str, key: str) -> SnippetResult | None:
    """The cached result of the snippet at `relative` for this key, or None."""
    file = _cache_file(build_dir, relative)
    try:
        data = json.loads(file.read_text())
    except (OSError, ValueError):
        return None
    if data.get("key") != key:
        return None
    sections = []
    for section in data["sections"]:
        figures = [
            Figure(f["alt"], f["suffix"], base64.b64decode(f["data"]))
            for f in section.pop("figures")
        ]
        section["error"] = tuple(section["error"]) if section["error"] else None
        sections.append(SectionResult(**section, figures=figures))
    return SnippetResult(
        data["path"], sections, data["seconds"], data["device"], data["cpu_seconds"]
    )


def store(build_dir: Path, relative: str, key: str, result: SnippetResult) -> None:
    """Write a result atomically (a half-written cache file would poison the next build)."""
    sections = []
    for section in result.sections:
        fields = asdict(section)
        fields["error"] = list(section.error) if section.error else None
        fields["figures"] = [
            {"alt": f.alt, "suffix": f.suffix, "data": base64.b64encode(f.data).decode()}
            for f in section.figures
        ]
        sections.append(fields)
    data = {
        "key": key,
        "path": result.path,
        "seconds": result.seconds,
        "cpu_seconds": result.cpu_seconds,
        "device": result.device,
        "sections": sections,
    }
    file = _cache_file(build_dir, relative)
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_suffix(f".tmp{os.getpid()}")
    temporary.write_text(json.dumps(data))
    os.replace(temporary, file)
