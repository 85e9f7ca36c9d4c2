"""Run one snippet (or exercise notebook) as the build does and print what each section shows.

python -m sitegen run snippets/fundamentals/matmul_spellings.py [--figures DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sitegen.notebooks import execute
from sitegen.runner import SnippetFailure, imported_modules, run_snippet, warm_up
from sitegen.sections import SnippetError
from sitegen.site import is_notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run snippets and print their sections' outputs")
    run.add_argument("paths", nargs="+", type=Path)
    run.add_argument("--figures", type=Path, help="also save the figures into this folder")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    warm_up(set().union(*(imported_modules(p.read_text()) for p in args.paths)))
    print(f"(imports: {time.perf_counter() - started:.2f} s)")
    status = 0
    for path in args.paths:
        try:
            result = execute(path)[0] if is_notebook(path) else run_snippet(path)
        except (SnippetFailure, SnippetError, ValueError) as error:
            print(f"FAILED {error}", file=sys.stderr)
            status = 1
            continue
        print(f"=== {path} ({result.seconds:.2f} s on {result.device})")
        for section in result.sections:
            print(
                f"--- [{section.name}] {section.seconds:.2f} s"
                + (" (varies)" if section.varies else "")
            )
            print(section.output, end="")
            if section.error:
                print(f"{section.error[0]}: {section.error[1]}")
            for index, figure in enumerate(section.figures, start=1):
                print(
                    f"[figure {index}: {figure.alt!r}, {figure.suffix}, {len(figure.data) / 1024:.1f} KiB]"
                )
                if args.figures:
                    args.figures.mkdir(parents=True, exist_ok=True)
                    name = f"{path.stem}-{section.name}-{index}.{figure.suffix}"
                    (args.figures / name).write_bytes(figure.data)
    return status


if __name__ == "__main__":
    sys.exit(main())
