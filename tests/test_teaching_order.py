"""Teach before use, on every chapter's main path (everything outside collapsed `??? ...` boxes),
read in the nav's order (Fundamentals, Autograd, Linear regression, Binary, Multiclass):

- **Terms.** No glossary term (or its forms) appears before the bold `**term**` of the sentence
  that defines it: not earlier on its own page, and not on any page before that one. Headings,
  admonition and box titles and link text count; code, link targets and the page's own title
  (its `# ` heading, which names what the page teaches) do not, nor does a heading whose own
  section holds the definition (`## The computation graph`, then the bold sentence).
- **Runs.** Each torch or ptx API that a main-path block calls appears in inline code in the
  prose before that block, on its page or an earlier chapter: `torch.manual_seed`, `.item()`,
  `nn.Linear`, `ptx.get_device()`. A call counts as torch's when it goes through a name imported
  from torch or ptx (`torch.rand`, `nn.Linear`, `F.relu`, `get_device`), or when it is a method a
  tensor, a module or an optimizer has (`x.reshape`, `model.eval`, `optimizer.step`) called on
  something that is not plainly NumPy's, Matplotlib's or scikit-learn's (a name imported from
  them, or made by them). A method that Python's own types share with tensors (`values`,
  `split`, `sort`, ...) is not counted: it would flag every dict.

Each check is proved able to fail on a small page of its own (the fixtures at the end)."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.main_path import chapters
from sitegen import glossary
from sitegen.pagescan import Include, ScannedPage, scan, scan_page
from sitegen.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# Pages whose owners are still rewriting them to this test (issue #19): (check, page) -> reason.
# Their failures are expected until then; each owner deletes their own lines when the page
# passes, and the lead removes what is left on merge. strict=True: a listed page that passes
# fails, so that no line is forgotten.
PENDING: dict[tuple[str, str], str] = {}


# -- terms -------------------------------------------------------------------------------------------
def term_violations(
    pages: list[ScannedPage], entries: list[glossary.Entry]
) -> dict[str, list[str]]:
    """For each page (in reading order), each term used on its main path before it is taught:
    the first such use, and how many there are."""
    order = {page.uri: index for index, page in enumerate(pages)}
    found: dict[str, list[str]] = {page.uri: [] for page in pages}
    for page in pages:
        titles = {h.line for h in page.headings if h.level == 1}
        for entry in entries:
            taught = order.get(entry.page)
            if taught is not None and taught < order[page.uri]:
                continue
            limit, skip = len(page.text), range(0)
            defined = glossary.definition(entry, page) if taught == order[page.uri] else None
            if defined:
                limit, skip = defined[0], range(*defined)
            early = [
                (offset, written)
                for offset, written in glossary.uses(entry, page)
                if offset < limit
                and offset not in skip
                and page.line_at(offset) not in titles  # the title names what the page teaches
                and not (taught == order[page.uri] and _announces(page, offset, limit))
            ]
            if early:
                where = "later on this page" if taught == order[page.uri] else f"on {entry.page}"
                if taught is None:
                    where = f"on {entry.page}, which is not a chapter"
                more = f" (and {len(early) - 1} more)" if len(early) > 1 else ""
                offset, written = early[0]
                found[page.uri].append(
                    f"{page.uri}:{page.line_at(offset)}: {written!r}{more} before its definition "
                    f"({where})"
                )
    return found


def _announces(page: ScannedPage, offset: int, definition: int) -> bool:
    """Whether `offset` is in a heading whose own section (up to the next heading) holds the
    definition at `definition`."""
    line = page.line_at(offset)
    if not any(h.line == line for h in page.headings):
        return False
    following = [h.line for h in page.headings if h.line > line]
    return not following or page.line_at(definition) < following[0]


# -- runs ----------------------------------------------------------------------------------------------
TORCH_ROOTS = ("torch", "ptx")
# methods of Python's own types that tensors also have: counting them would flag every dict
SHARED_WITH_PYTHON = frozenset(
    name
    for kind in (list, dict, str, set, tuple, bytes, int, float)
    for name in dir(kind)
    if not name.startswith("_")
)


@functools.cache
def torch_methods() -> frozenset[str]:
    """The public methods of tensors, modules, optimizers and data loaders."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, Dataset

    kinds = (torch.Tensor, nn.Module, torch.optim.Optimizer, DataLoader, Dataset)
    names = {name for kind in kinds for name in dir(kind) if not name.startswith("_")}
    return frozenset(names - SHARED_WITH_PYTHON)


def introduced(page: ScannedPage) -> list[tuple[int, set[str]]]:
    """(offset, identifiers) of each inline code span in the prose of a page's main path."""
    return [
        (piece.start, set(re.findall(r"[A-Za-z_]\w*", piece.text)))
        for piece in page.pieces
        if piece.is_code and not piece.collapsed
    ]


def main_path_includes(page: ScannedPage) -> list[Include]:
    return [include for include in page.includes if not include.fence.collapsed]


class Calls(ast.NodeVisitor):
    """The torch and ptx APIs a block of code calls, given what earlier blocks imported."""

    def __init__(self, imports: dict[str, str], foreign: set[str]):
        self.imports = imports  # local name -> module or object, e.g. "nn" -> "torch.nn"
        self.foreign = foreign  # names made by NumPy, Matplotlib, scikit-learn...
        # ((line, column), what it calls, the name to teach), the column where the name ends
        self.found: list[tuple[tuple[int, int], str, str]] = []

    def _root(self, node: ast.expr) -> ast.expr:
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return node

    def _dotted(self, node: ast.expr) -> str | None:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.imports:
            parts = [self.imports[node.id], *reversed(parts)]
            dunder = [i for i, part in enumerate(parts) if part.startswith("__")]
            parts = parts[: dunder[0]] if dunder else parts  # torch.manual_seed.__doc__.split
            return ".".join(parts)
        return None

    def _is_torch(self, dotted: str | None) -> bool:
        return dotted is not None and dotted.split(".")[0] in TORCH_ROOTS

    def _is_foreign(self, node: ast.expr) -> bool:
        root = self._root(node)
        if isinstance(root, ast.Name):
            if root.id in self.imports:
                return not self._is_torch(self.imports[root.id])
            return root.id in self.foreign
        return isinstance(root, (ast.Constant, ast.JoinedStr, ast.List, ast.Dict, ast.Tuple))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            self.imports[name] = alias.name if alias.asname else alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        foreign = self._is_foreign(node.value)
        for target in node.targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    (self.foreign.add if foreign else self.foreign.discard)(name.id)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            if self._is_torch(dotted := self._dotted(base)):
                self.found.append(
                    ((node.lineno, base.end_col_offset), dotted, dotted.split(".")[-1])
                )
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        dotted = self._dotted(func) if isinstance(func, (ast.Attribute, ast.Name)) else None
        if self._is_torch(dotted):
            self.found.append(((node.lineno, func.end_col_offset), dotted, dotted.split(".")[-1]))
        elif (
            dotted is None
            and isinstance(func, ast.Attribute)
            and func.attr in torch_methods()
            and not self._is_foreign(func.value)
        ):
            self.found.append(((node.lineno, func.end_col_offset), f".{func.attr}()", func.attr))
        self.generic_visit(node)


def api_violations(
    pages: list[ScannedPage], code_of: Callable[[Include], str]
) -> dict[str, list[str]]:
    """For each page (in reading order), each main-path block's call of a torch or ptx API whose
    name no inline code in the prose before it mentions, on its page or an earlier one."""
    known: set[str] = set()
    found: dict[str, list[str]] = {page.uri: [] for page in pages}
    for page in pages:
        events = [(offset, names, None) for offset, names in introduced(page)]
        events += [(i.fence.start, set(), i) for i in main_path_includes(page)]
        imports: dict[str, str] = {}
        foreign: set[str] = set()
        for _, names, include in sorted(events, key=lambda event: event[0]):
            known |= names
            if include is None:
                continue
            try:
                tree = ast.parse(code_of(include))
            except SyntaxError:
                continue  # not Python (a shell command); the build runs what is
            calls = Calls(imports, foreign)
            calls.visit(tree)
            reported = set()
            for line, what, name in sorted(calls.found, key=lambda call: call[0]):
                if name not in known and what not in reported:
                    reported.add(what)
                    found[page.uri].append(
                        f"{page.uri}:{include.line}: {include.path}:{include.section} calls "
                        f"{what} (line {line[0]} of the block) before the prose has shown `{name}`"
                    )
    return found


# -- the site's pages -------------------------------------------------------------------------------
@functools.cache
def site_pages() -> list[ScannedPage]:
    return [scan_page((DOCS / page).read_text(), page) for page in chapters()]


@functools.cache
def site_entries() -> list[glossary.Entry]:
    scans = {
        path.relative_to(DOCS).as_posix(): scan_page(path.read_text(), path.name)
        for path in DOCS.rglob("*.md")
    }
    entries, problems = glossary.load(ROOT, scans)
    assert not problems, "\n".join(map(str, problems))
    return entries


@functools.cache
def section_code(path: str, section: str) -> str:
    return read_source(ROOT / path, ROOT).section(section).code


def chapter_params(check: str) -> list:
    """One parameter per chapter; a pending one is expected to fail (PENDING)."""
    params = []
    for page in chapters():
        reason = PENDING.get((check, page))
        marks = pytest.mark.xfail(strict=True, reason=reason) if reason else ()
        params.append(pytest.param(page, marks=marks))
    return params


@functools.cache
def site_term_violations() -> dict[str, list[str]]:
    return term_violations(site_pages(), site_entries())


@functools.cache
def site_api_violations() -> dict[str, list[str]]:
    return api_violations(site_pages(), lambda i: section_code(i.path, i.section))


@pytest.mark.parametrize("page", chapter_params("terms"))
def test_terms_are_defined_before_they_are_used(page):
    problems = site_term_violations()[page]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", chapter_params("runs"))
def test_main_path_runs_call_only_what_the_prose_has_shown(page):
    problems = site_api_violations()[page]
    assert not problems, "\n".join(problems)


def test_the_checks_read_something_on_every_chapter():
    """Not trivially true: every chapter's main path has calls checked and terms in use."""
    entries = site_entries()
    for page in site_pages():
        assert any(glossary.uses(entry, page) for entry in entries), page.uri
        calls = Calls({}, set())
        for include in main_path_includes(page):
            calls.visit(ast.parse(section_code(include.path, include.section)))
        assert len(calls.found) >= 10, f"{page.uri}: only {len(calls.found)} calls checked"


# -- each check can fail: small pages of their own ----------------------------------------------------
def scans(pages: list[tuple[str, str]]) -> list[ScannedPage]:
    return [scan(text, uri) for uri, text in pages]


GRADIENT = glossary.Entry(
    term="gradient", forms=("gradients",), page="b.md", definition="How much a number changes."
)


def test_a_term_used_before_its_definition_on_its_page_fails():
    page = "# B\n\nThe gradients come later.\n\nA **gradient** is how much ...\n"
    assert term_violations(scans([("b.md", page)]), [GRADIENT])["b.md"] == [
        "b.md:3: 'gradients' before its definition (later on this page)"
    ]


def test_a_term_used_on_a_page_before_the_one_that_defines_it_fails():
    first = "# A\n\nNo term here.\n\n## Later\n\nThe Gradient is mentioned.\n"
    second = "# B\n\nA **gradient** is how much ...\n"
    found = term_violations(scans([("a.md", first), ("b.md", second)]), [GRADIENT])
    assert found == {"a.md": ["a.md:7: 'Gradient' before its definition (on b.md)"], "b.md": []}


def test_a_term_after_its_definition_in_a_box_in_code_or_in_a_link_target_passes():
    first = (
        "# A\n\n"
        '??? note "Going further: slopes"\n\n    The gradient, in a collapsed box.\n\n'
        "Code is not prose: `x.gradient`, and [a link](b.md#gradient) has a target.\n"
    )
    second = "# B\n\nA **gradient** is how much ... Every gradient after it is fine.\n"
    found = term_violations(scans([("a.md", first), ("b.md", second)]), [GRADIENT])
    assert found == {"a.md": [], "b.md": []}


def test_the_page_title_is_not_a_use():
    page = "# Gradients\n\nA **gradient** is how much ...\n"
    assert term_violations(scans([("b.md", page)]), [GRADIENT]) == {"b.md": []}


def test_a_heading_announces_the_term_its_section_defines_but_not_a_later_one():
    page = "# B\n\n## Gradients\n\nA **gradient** is how much ...\n"
    assert term_violations(scans([("b.md", page)]), [GRADIENT]) == {"b.md": []}
    page = "# B\n\n## Gradients\n\nNot yet.\n\n## More\n\nA **gradient** is ...\n"
    assert term_violations(scans([("b.md", page)]), [GRADIENT])["b.md"] == [
        "b.md:3: 'Gradients' before its definition (later on this page)"
    ]


def test_a_box_title_is_on_the_main_path():
    first = '# A\n\n??? note "Going further: gradients"\n\n    Inside.\n'
    second = "# B\n\nA **gradient** is how much ...\n"
    found = term_violations(scans([("a.md", first), ("b.md", second)]), [GRADIENT])
    assert found["a.md"] == ["a.md:3: 'gradients' before its definition (on b.md)"]


CODE = {
    "seed": "import torch\n\ntorch.manual_seed(0)\nx = torch.rand(3)\nprint(x.sum().item())\n",
    "plot": "import matplotlib.pyplot as plt\n\nfig, ax = plt.subplots()\nax.scatter([1], [2])\n",
}


def include(name: str) -> str:
    return f'```py title="x.py"\n--8<-- "snippets/x/x.py:{name}"\n```\n'


def code_of(found: Include) -> str:
    return CODE[found.section]


def test_a_run_before_its_names_are_shown_fails_naming_each():
    page = "# A\n\nSome words with `torch.rand`.\n\n" + include("seed")
    found = api_violations(scans([("a.md", page)]), code_of)["a.md"]
    assert [line.split(" calls ")[1].split(" (")[0] for line in found] == [
        "torch.manual_seed",
        ".sum()",
        ".item()",
    ]


def test_names_shown_in_prose_before_the_run_or_on_an_earlier_page_pass():
    first = "# A\n\n`torch.manual_seed(0)` and `x.sum()`.\n"
    second = "# B\n\n`torch.rand`, then `.item()`:\n\n" + include("seed")
    assert api_violations(scans([("a.md", first), ("b.md", second)]), code_of) == {
        "a.md": [],
        "b.md": [],
    }


def test_names_shown_only_after_the_run_or_only_in_a_box_do_not_count():
    box = '??? note "Going further"\n\n    `torch.manual_seed`, `sum`, `item`\n\n'
    page = (
        "# A\n\n" + box + "`torch.rand`:\n\n" + include("seed") + "\n`manual_seed` `sum` `item`\n"
    )
    assert len(api_violations(scans([("a.md", page)]), code_of)["a.md"]) == 3


def test_a_run_inside_a_collapsed_box_is_off_the_main_path():
    page = '# A\n\n??? note "Going further"\n\n    ' + include("seed").replace("\n", "\n    ")
    assert api_violations(scans([("a.md", page)]), code_of) == {"a.md": []}


def test_matplotlib_methods_that_tensors_also_have_are_not_torch_calls():
    page = "# A\n\n" + include("plot")
    assert api_violations(scans([("a.md", page)]), code_of) == {"a.md": []}
