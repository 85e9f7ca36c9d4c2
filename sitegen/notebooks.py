"""Exercise notebooks: the page that shows one, and the .ipynb files readers download.

The page is made of the notebook's own text and line-range includes of its code cells, so the
build puts each cell's output under it like any snippet's. The downloads are a solved notebook
(with the outputs of the build's run) and a blank one (solutions left for the reader); both start
with a cell that installs what the notebook needs when it is missing (in Colab, say) and the
helper package at exactly the version the notebook was made with, and their links point at the
published site. A notebook whose checks come from `ptx.exercises` gets a paragraph on how to use
them, at the top of its page and of both downloads.
"""

from __future__ import annotations

import ast
import base64
import posixpath
import re

import nbformat

from sitegen.pagescan import LINK
from sitegen.results import FileResult
from sitegen.sources import Source

SOLUTION = "solution"


def notebook_stem(source: Source) -> str:
    """snippets/classification/exercises_binary.py -> classification-binary"""
    chapter = source.path.parent.name.replace("_", "-")
    suffix = source.path.stem.removeprefix("exercises").strip("_").replace("_", "-")
    return f"{chapter}-{suffix}" if suffix else chapter


def page_uri(source: Source) -> str:
    return f"exercises/{notebook_stem(source)}.md"


def download_uri(source: Source, blank: bool = False) -> str:
    return f"exercises/{notebook_stem(source)}{'-blank' if blank else ''}.ipynb"


# -- the page -------------------------------------------------------------------------------------
def page_markdown(source: Source, actions_html: str) -> str:
    """The page: the notebook's text, its code cells as includes (solutions folded away)."""
    uri = page_uri(source)
    title = next(
        (
            line[2:].strip()
            for s in source.sections
            if s.kind == "markdown"
            for line in s.code.splitlines()
            if line.startswith("# ")
        ),
        notebook_stem(source),
    )
    description = (
        f"{title}: the exercises as the course sets them, to try before the solutions, which are "
        "folded away; both notebooks to download, runnable on a laptop or in Colab."
    ).replace('"', "'")
    parts = [f'---\ndescription: "{description}"\n---']
    for index, section in enumerate(source.sections):
        if section.kind == "markdown":
            text = relink(section.code, lambda target: _relative(target, uri))
            parts.append(text)
            if index == 0:
                parts.append(actions_html)
                if how_to := checks_paragraph(source):
                    parts.append(relink(how_to, lambda target: _relative(target, uri)))
            continue
        last = section.first_line + section.code.rstrip("\n").count("\n")
        fence = f'```py\n--8<-- "{source.relative}:{section.first_line}:{last}"\n```'
        if SOLUTION in section.tags:
            indented = "\n".join("    " + line for line in fence.splitlines())
            parts.append(f'??? success "Solution"\n\n{indented}')
        else:
            parts.append(fence)
    return "\n\n".join(parts) + "\n"


def _relative(target: str, page: str) -> str:
    path, _, fragment = target.partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(page))
    return relative + (f"#{fragment}" if fragment else "")


def relink(markdown: str, rewrite) -> str:
    """Rewrite the targets of links to pages of the site (`fundamentals.md#x`), leave the rest."""

    def replace(match: re.Match) -> str:
        target = match["target"]
        if "://" in target or target.startswith(("#", "/", "mailto:")):
            return match.group(0)
        if not target.split("#", 1)[0].endswith(".md"):
            return match.group(0)
        return f"{match['head']}{rewrite(target)}{match['tail']}"

    return LINK.sub(replace, markdown)


def site_link(target: str, site_url: str) -> str:
    """`fundamentals.md#the-shape-rule` -> `https://site/fundamentals/#the-shape-rule`."""
    path, _, fragment = target.partition("#")
    page = path.removesuffix(".md")
    page = "" if page == "index" else page.removesuffix("/index") + "/"
    return site_url.rstrip("/") + "/" + page + (f"#{fragment}" if fragment else "")


# -- the downloads --------------------------------------------------------------------------------
def notebook(
    source: Source, result: FileResult, site_url: str, wheel_url: str, blank: bool = False
) -> str:
    """The .ipynb text: a setup cell, then the cells, each code cell with the build's outputs
    (a blank notebook leaves the solutions, and their outputs, to the reader). `wheel_url` is
    the helper's wheel, whose file name carries its version."""
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.metadata["language_info"] = {"name": "python"}
    book.cells.append(nbformat.v4.new_code_cell(setup_cell(source, site_url, wheel_url)))
    outputs = iter(result.sections)
    count = 0
    for index, section in enumerate(source.sections):
        if section.kind == "markdown":
            text = relink(section.code, lambda target: site_link(target, site_url))
            book.cells.append(nbformat.v4.new_markdown_cell(text))
            if index == 0 and (how_to := checks_paragraph(source)):
                how_to = relink(how_to, lambda target: site_link(target, site_url))
                book.cells.append(nbformat.v4.new_markdown_cell(how_to))
            continue
        ran = next(outputs)
        if blank and SOLUTION in section.tags:
            book.cells.append(nbformat.v4.new_code_cell(BLANK))
            continue
        if blank:  # the reader runs it: no outputs, as in a notebook never run
            book.cells.append(nbformat.v4.new_code_cell(section.code.rstrip("\n")))
            continue
        count += 1
        cell = nbformat.v4.new_code_cell(section.code.rstrip("\n"), execution_count=count)
        if section.tags:
            cell.metadata["tags"] = list(section.tags)
        text = ran.output + (f"{ran.error[0]}: {ran.error[1]}\n" if ran.error else "")
        if text:
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
        for figure in ran.figures:
            if figure.suffix == "svg":
                data = {"image/svg+xml": figure.data.decode(), "text/plain": figure.alt}
            else:
                data = {
                    "image/png": base64.b64encode(figure.data).decode(),
                    "text/plain": figure.alt,
                }
            cell.outputs.append(nbformat.v4.new_output("display_data", data=data))
        book.cells.append(cell)
    for index, cell in enumerate(book.cells):
        cell["id"] = f"cell-{index}"  # stable ids: the same notebook every build
    nbformat.validate(book)
    return nbformat.writes(book)


# what a notebook's imports need installed, by import name: (distribution, pip requirement)
INSTALLS = {
    "torchmetrics": ("torchmetrics", "torchmetrics"),
    "sklearn": ("scikit-learn", "scikit-learn"),
    "matplotlib": ("matplotlib", "matplotlib"),
}
HELPER_DISTRIBUTION = "pytorch-exercises-helpers"
BLANK = "# Your solution here"

SETUP = """\
# Setup: installs what this notebook needs where it is missing (in Colab, say), and the site's
# helper package at exactly the version this notebook was made with: its exercise checks belong
# to that version. PyTorch itself: see {run_page}
import importlib.metadata
import os
import subprocess
import sys

needs = {{
{needs}
}}
HELPER, HELPER_VERSION = "{helper}", "{version}"
HELPER_WHEEL = "{wheel_url}"


def installed(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


for distribution, requirement in needs.items():
    if installed(distribution) is None:
        print(f"installing {{requirement}}")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", requirement], check=True)
if installed(HELPER) != HELPER_VERSION:
    print(f"installing {{HELPER}} {{HELPER_VERSION}}")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--upgrade", HELPER_WHEEL]
    if subprocess.run(pip).returncode:
        print("could not install it: the checks will say how to, when you run them")
    elif "ptx" in sys.modules:
        print("restart the kernel (it still has the old helper), then run the notebook again")
os.environ["PTX_NOTEBOOK_HELPER"] = f"{{HELPER_VERSION}} {{HELPER_WHEEL}}"  # read by the checks
"""
NO_HELPER_SETUP = """\
# Setup: installs what this notebook needs if it is missing (in Colab, say), and does
# nothing where it is already installed. PyTorch itself: see {run_page}
import importlib.metadata
import subprocess
import sys

needs = {{
{needs}
}}
for distribution, requirement in needs.items():
    try:
        importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        print(f"installing {{requirement}}")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", requirement], check=True)
"""


def wheel_version(wheel_url: str) -> str:
    """The version in a wheel's file name (PEP 427: name-version-python-abi-platform.whl)."""
    return posixpath.basename(wheel_url).split("-")[1]


def setup_cell(source: Source, site_url: str, wheel_url: str) -> str:
    imported = set()
    for section in source.code_sections:
        imported |= imported_modules(section.code)
    needs = [INSTALLS[name] for name in sorted(imported) if name in INSTALLS]
    lines = "\n".join(
        f'    "{distribution}": "{requirement}",' for distribution, requirement in needs
    )
    run_page = site_link("run.md", site_url)
    if "ptx" not in imported:
        return NO_HELPER_SETUP.format(needs=lines, run_page=run_page).rstrip("\n")
    return SETUP.format(
        needs=lines,
        run_page=run_page,
        helper=HELPER_DISTRIBUTION,
        version=wheel_version(wheel_url),
        wheel_url=wheel_url,
    ).rstrip("\n")


CHECKS = """\
**Checks that answer back.** After each exercise comes a check, such as `{call}.check()`. Write
your answer in the cell above it, with the names the task gives, and run the check: it says
*not attempted yet* while those names are missing, *correct* with what to notice, or which
mistake it sees and how to fix it. `{call}.hint()` gives a hint and `{call}.solution()` a
solution. The checks are part of the site's helper package (`{module}`), which a notebook's
first cell installs ([Run it yourself](run.md) shows the same for your own Python); in a script
of your own they work the same after `from ptx.exercises import {name} as {alias}`."""


def checks_paragraph(source: Source) -> str:
    """How to use the checks, for a notebook that imports a set of them (else "")."""
    for section in source.code_sections:
        for node in ast.walk(ast.parse(section.code)):
            if isinstance(node, ast.ImportFrom) and node.module == "ptx.exercises":
                alias = node.names[0]
                handle = alias.asname or alias.name
                first = re.search(rf"\b{handle}\.(q\w+)\.check\(", source.text)
                call = f"{handle}.{first[1] if first else 'q1'}"
                module = f"ptx.exercises.{alias.name}"
                return CHECKS.format(call=call, module=module, name=alias.name, alias=handle)
    return ""


def imported_modules(code: str) -> set[str]:
    """The top-level modules a piece of code imports (`import torch.nn` -> "torch")."""
    modules = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules
