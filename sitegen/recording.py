"""Runs recorded on hardware the build machine does not have (an NVIDIA GPU, Apple's MPS).

`python -m sitegen record cuda` (`make record-gpu`), on a machine that has the device, runs every
source marked `# needs: cuda` through the same runner as the build and writes their results to
`recordings/cuda.json`, with the machine's provenance: device, driver, CUDA, torch, date. The file
is committed; the build shows those results under the code, labelled with that provenance, for as
long as the source is unchanged. A source with no current recording shows "not yet run".
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import subprocess
from pathlib import Path

from sitegen.results import AuthorError, FileResult, InvalidResult, from_json, to_json
from sitegen.runner import run_sources
from sitegen.sources import Source, read_source

FORMAT = 1
# Tests record on the CPU "as if" it were the device, to exercise this path without a GPU; the
# build refuses such a recording unless this is set.
ALLOW_STAND_IN = "SITEGEN_ALLOW_STAND_IN"


def recording_file(root: Path, needs: str) -> Path:
    return root / "recordings" / f"{needs}.json"


def source_digest(source: Source) -> str:
    return hashlib.sha256(source.text.encode()).hexdigest()


def record(root: Path, needs: str, stand_in: bool = False) -> Path:
    """Run every source that needs `needs` on this machine and write the recording.

    Raises:
        RuntimeError: this machine lacks the device (and this is no stand-in run).
        ExceptionGroup of AuthorError: sources that failed (nothing is written).
    """
    provenance = machine(needs, stand_in)
    sources = [
        source
        for path in sorted((root / "snippets").rglob("*.py"))
        if (source := read_source(path, root)).needs == needs
    ]
    outcomes = run_sources(sources, root)
    failures = [o for o in outcomes.values() if isinstance(o, AuthorError)]
    if failures:
        raise ExceptionGroup(f"{len(failures)} recorded files failed", failures)
    data = {
        "format": FORMAT,
        "provenance": provenance,
        "results": {
            source.relative: {
                "source_sha256": source_digest(source),
                "result": to_json(outcomes[source.relative]),
            }
            for source in sources
        },
    }
    file = recording_file(root, needs)
    file.parent.mkdir(exist_ok=True)
    file.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    return file


def machine(needs: str, stand_in: bool) -> dict:
    """Where a recording is made: the device, its driver, CUDA and torch versions, the date."""
    import torch

    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    common = {"torch": torch.__version__, "python": platform.python_version(), "date": today}
    if stand_in:
        return common | {
            "device": needs,
            "device_name": "a CPU standing in (not a GPU)",
            "stand_in": True,
        }
    if needs == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("this machine has no CUDA device: record on one that has")
        return common | {
            "device": "cuda",
            "device_name": torch.cuda.get_device_name(0),
            "cuda": torch.version.cuda,
            "driver": _nvidia_driver(),
        }
    if needs == "mps":
        if not torch.backends.mps.is_available():
            raise RuntimeError("this machine has no MPS device: record on Apple silicon")
        return common | {
            "device": "mps",
            "device_name": f"Apple {platform.machine()} ({platform.mac_ver()[0]})",
        }
    raise ValueError(f"unknown device {needs!r}")


def _nvidia_driver() -> str | None:
    try:
        run = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (
        run.stdout.strip().splitlines()[0] if run.returncode == 0 and run.stdout.strip() else None
    )


def recorded_results(
    root: Path, sources: list[Source]
) -> tuple[dict[str, FileResult], list[AuthorError]]:
    """The current recorded result of each source that needs hardware, and what is wrong with
    the recordings (a malformed file, or a stand-in where a real run belongs)."""
    results, errors = {}, []
    for needs in sorted({s.needs for s in sources if s.needs}):
        file = recording_file(root, needs)
        if not file.exists():
            continue
        where = file.relative_to(root).as_posix()
        try:
            data = json.loads(file.read_text())
            provenance = data["provenance"]
            stored = data["results"]
            if data.get("format") != FORMAT or not isinstance(stored, dict):
                raise InvalidResult("not a recording of this format")
        except (OSError, ValueError, KeyError, TypeError) as error:
            errors.append(AuthorError(where, None, f"unreadable recording: {error}"))
            continue
        if provenance.get("stand_in") and not os.environ.get(ALLOW_STAND_IN):
            errors.append(
                AuthorError(where, None, "made by a CPU standing in for the device: record on one")
            )
            continue
        for source in sources:
            entry = stored.get(source.relative)
            if (
                source.needs != needs
                or not entry
                or entry.get("source_sha256") != source_digest(source)
            ):
                continue  # not recorded, or recorded for an earlier version of the code
            try:
                result = from_json(entry["result"])
            except (InvalidResult, KeyError) as error:
                errors.append(AuthorError(where, None, f"{source.relative}: {error}"))
                continue
            result.recorded = provenance
            results[source.relative] = result
    return results, errors
