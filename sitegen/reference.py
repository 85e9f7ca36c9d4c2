"""The API reference pages, generated from the helper package itself: an overview of every public
name (what it does, the chapter that teaches it) and one page per topic, with each helper's
documentation and source. Read with `ast`, so the build never imports ptx (or torch)."""

from __future__ import annotations

import ast
import posixpath
import re
from pathlib import Path

# topic page -> (title, the modules whose public names it documents)
TOPICS = {
    "reference/devices-and-data.md": ("Devices and data", ["device", "data"]),
    "reference/models.md": ("Models", ["models"]),
    "reference/training.md": ("Training", ["steps", "engine", "history"]),
    "reference/metrics-and-plots.md": ("Metrics and plots", ["metrics", "plotting"]),
    "reference/checkpoints.md": ("Checkpoints", ["checkpoint"]),
    "reference/exercise-checks.md": ("Exercise checks", ["exercises.feedback"]),
}
INDEX = "reference/index.md"
TAUGHT = re.compile(r"Taught in: (?P<title>.+) \((?P<page>[\w/.-]+\.md)\)\.")


def public_names(root: Path) -> dict[str, str]:
    """Each top-level public function and class of ptx, and the module `ptx/__init__.py` imports it
    from (`from ptx.engine import fit` -> {"fit": "engine"}); the exported modules are not names."""
    package = ast.parse((root / "ptx" / "__init__.py").read_text())
    exported = next(
        ast.literal_eval(node.value)
        for node in package.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"
    )
    imported_from = {
        alias.asname or alias.name: node.module.removeprefix("ptx.")
        for node in package.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ptx.")
        for alias in node.names
    }
    found = [  # the others are modules (ptx.data), not helpers
        (*_definition(root, imported_from[name], name), name)
        for name in exported
        if name in imported_from
    ]
    return {name: module for module, _, name in sorted(found)}  # each module's in source order


def _module_file(root: Path, module: str) -> Path:
    path = root / "ptx" / module.replace(".", "/")
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _definition(root: Path, module: str, name: str) -> tuple[str, int]:
    """The module that defines `name` and its line, following re-exports (ptx.exercises ->
    exercises.feedback)."""
    tree = ast.parse(_module_file(root, module).read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name:
            return module, node.lineno
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
            return _definition(root, node.module.removeprefix("ptx."), name)
    raise LookupError(f"ptx.{module} neither defines nor imports {name}")


def _docstrings(root: Path, module: str) -> dict[str, str]:
    tree = ast.parse((root / "ptx" / f"{module.replace('.', '/')}.py").read_text())
    return {
        node.name: ast.get_docstring(node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


def reference_pages(root: Path) -> dict[str, str]:
    """{docs-relative uri: Markdown} of the overview and the topic pages."""
    names = public_names(root)
    pages = {}
    rows = []
    for uri, (title, modules) in TOPICS.items():
        blocks = []
        for module in modules:
            members = [name for name, defined_in in names.items() if defined_in == module]
            if not members:
                continue
            docs = _docstrings(root, module)
            blocks.append(
                f"::: ptx.{module}\n    options:\n      members: [{', '.join(members)}]\n"
                "      show_root_heading: false\n      show_root_toc_entry: false\n"
            )
            for name in members:
                summary = docs[name].strip().splitlines()[0] if docs[name].strip() else ""
                taught = TAUGHT.search(docs[name])
                where = (
                    f"[{taught['title']}]({posixpath.relpath(taught['page'], 'reference')})"
                    if taught
                    else ""
                )
                link = f"[`ptx.{name}`]({posixpath.basename(uri)}#ptx.{module}.{name})"
                rows.append(f"| {link} | {summary} | {where} |")
        pages[uri] = (
            f'---\ndescription: "The ptx helpers for {title.lower()}: documentation and source."\n'
            f"search:\n  boost: 0.2\n---\n\n# {title}\n\n" + "\n".join(blocks)
        )
    pages[INDEX] = (
        '---\ndescription: "The API reference of ptx, the small helper package of PyTorch '
        'Exercises: every public helper, what it does and the chapter that teaches it."\n'
        "search:\n  boost: 0.2\n---\n\n# API reference\n\n"
        "`ptx` is the site's small helper package (install it as [Run it yourself](../run.md) "
        "shows). Each helper is code a chapter first writes out in plain PyTorch, saved for "
        "later; its page here shows its documentation and its source.\n\n"
        "| helper | what it does | taught in |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"
    )
    return pages
