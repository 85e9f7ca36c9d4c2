"""Run snippets or exercise notebooks as the build does, and print what each section shows.

python -m sitegen run snippets/fundamentals/matmul_spellings.py [--figures DIR] [--values]
python -m sitegen record cuda     (on a machine with an NVIDIA GPU: make record-gpu)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sitegen.recording import record
from sitegen.results import AuthorError
from sitegen.runner import run_sources
from sitegen.sources import read_source

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "record":
        return _record(args.device, args.stand_in)
    return _run(args.paths, args.figures, args.values)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sitegen")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run files and print their sections' outputs")
    run.add_argument("paths", nargs="+", type=Path)
    run.add_argument("--figures", type=Path, help="also save the figures into this folder")
    run.add_argument(
        "-v",
        "--values",
        action="store_true",
        help="also print the values each section leaves, which prose may quote ({{ file.py name }})",
    )
    record = commands.add_parser(
        "record", help="run the files that need a device here and write recordings/<device>.json"
    )
    record.add_argument("device", choices=["cuda", "mps"])
    record.add_argument(
        "--stand-in", action="store_true", help="run on this CPU as if it were the device (tests)"
    )
    return parser


def _run(paths: list[Path], figures: Path | None, values: bool) -> int:
    status, sources = 0, []
    for path in paths:
        try:
            sources.append(read_source(path.resolve(), ROOT))
        except AuthorError as error:
            print(f"FAILED {error}", file=sys.stderr)
            status = 1
    started = time.perf_counter()
    outcomes = run_sources(sources, ROOT)
    print(f"(ran {len(sources)} files in {time.perf_counter() - started:.2f} s)")
    for source in sources:
        outcome = outcomes[source.relative]
        if isinstance(outcome, AuthorError):
            print(f"FAILED {outcome}", file=sys.stderr)
            status = 1
            continue
        print(f"=== {source.relative} ({outcome.seconds:.2f} s on {outcome.device})")
        for section in outcome.sections:
            _print_section(source, section, figures, values)
    return status


def _print_section(source, section, figures: Path | None, values: bool) -> None:
    varies = " (varies)" if section.varies else ""
    print(f"--- [{section.name}] {section.seconds:.2f} s{varies}")
    print(section.output, end="")
    if section.error:
        print(f"{section.error[0]}: {section.error[1]}")
    for index, figure in enumerate(section.figures, start=1):
        size = len(figure.data) / 1024
        print(f"[figure {index}: {figure.alt!r}, {figure.suffix}, {size:.1f} KiB]")
        if figures:
            figures.mkdir(parents=True, exist_ok=True)
            name = f"{source.path.stem}-{section.name}-{index}.{figure.suffix}"
            (figures / name).write_bytes(figure.data)
    if section.values and values:
        print(f"    values: {section.values}")


def _record(device: str, stand_in: bool) -> int:
    started = time.perf_counter()
    try:
        file = record(ROOT, device, stand_in)
    except RuntimeError as error:
        print(f"FAILED {error}", file=sys.stderr)
        return 1
    except ExceptionGroup as group:
        for error in group.exceptions:
            print(f"FAILED {error}", file=sys.stderr)
        return 1
    print(f"wrote {file.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
