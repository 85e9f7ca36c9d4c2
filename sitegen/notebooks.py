"""Turn a jupytext percent-format script into an executed notebook, with the snippet runner."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from sitegen.runner import SnippetResult, run_units
from sitegen.sections import Section

CELL = re.compile(r"^# %%(?P<rest>.*)$")


@dataclass(frozen=True)
class Cell:
    """One cell of a percent-format script."""

    kind: str  # "code" or "markdown"
    source: str
    first_line: int


def read_cells(path: Path) -> list[Cell]:
    """Split a percent-format script into cells (`# %%` code, `# %% [markdown]` text)."""
    cells: list[Cell] = []
    kind, first, lines = None, 0, []

    def close():
        if kind is not None:
            text = "\n".join(lines).strip("\n")
            if text:
                cells.append(Cell(kind, text, first))

    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if m := CELL.match(line):
            close()
            kind = "markdown" if "[markdown]" in m["rest"] else "code"
            first, lines = number + 1, []
        elif kind == "markdown":
            lines.append(re.sub(r"^# ?", "", line))
        elif kind == "code":
            lines.append(line)
        elif line.strip() and not line.startswith("#"):
            raise ValueError(f"{path}:{number}: code before the first `# %%` cell marker")
    close()
    return cells


def code_units(path: Path, cells: list[Cell]) -> list[Section]:
    """The code cells as runnable units, with line numbers that match the script."""
    units = []
    text = path.read_text().splitlines()
    for index, cell in enumerate(c for c in cells if c.kind == "code"):
        first = cell.first_line  # the cell's text starts at its first non-blank line
        while first <= len(text) and not text[first - 1].strip():
            first += 1
        units.append(Section(f"cell-{index}", first, cell.source + "\n", None, None, False))
    return units


def execute(
    path: Path, keep_namespace: bool = False
) -> tuple[SnippetResult, nbformat.NotebookNode]:
    """Run every code cell in order and return the result and the notebook with its outputs."""
    cells = read_cells(path)
    result = run_units(path, code_units(path, cells), keep_namespace=keep_namespace)
    return result, build_notebook(cells, result)


def build_notebook(cells: list[Cell], result: SnippetResult) -> nbformat.NotebookNode:
    """A notebook of the cells, each code cell carrying what it printed and drew in the run."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    outputs = iter(result.sections)
    count = 0
    for cell in cells:
        if cell.kind == "markdown":
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell.source))
            continue
        section = next(outputs)
        count += 1
        code = nbformat.v4.new_code_cell(cell.source, execution_count=count)
        if section.output:
            code.outputs.append(
                nbformat.v4.new_output("stream", name="stdout", text=section.output)
            )
        for figure in section.figures:
            if figure.suffix == "svg":
                data = {"image/svg+xml": figure.data.decode(), "text/plain": figure.alt}
            else:
                data = {
                    "image/png": base64.b64encode(figure.data).decode(),
                    "text/plain": figure.alt,
                }
            code.outputs.append(nbformat.v4.new_output("display_data", data=data))
        notebook.cells.append(code)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"  # stable ids: identical notebooks every build
    nbformat.validate(notebook)
    return notebook
