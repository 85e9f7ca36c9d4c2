"""Reading sources: a snippet's named sections and a notebook's cells, one reader and one type."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.results import AuthorError
from sitegen.sources import read_source

SNIPPET = """\
# A comment outside the sections is fine.
# --8<-- [start:make]
import torch

x = torch.ones(3)
# --8<-- [end:make]

# --8<-- [start:fail]
# varies: nothing really, but marked
x.numpy(
    force=False,
)  # raises RuntimeError
# --8<-- [end:fail]
"""

NOTEBOOK = """\
# %% [markdown]
# # Exercises
#
# See [the chapter](fundamentals.md#the-shape-rule).

# %%
import torch

print(torch.ones(2))

# %% tags=["solution"]
answer = 42
print(answer)
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "snippets" / "chapter" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_snippet_is_its_named_sections_with_lines_that_match_the_file(tmp_path):
    source = read_source(write(tmp_path, "demo.py", SNIPPET), tmp_path)
    assert source.kind == "snippet" and source.relative == "snippets/chapter/demo.py"
    make, fail = source.sections
    assert (make.name, make.first_line, make.raises, make.varies) == ("make", 3, None, False)
    assert make.padded_code().splitlines()[4] == "x = torch.ones(3)"  # line 5 of the file
    assert (fail.name, fail.raises, fail.raises_line, fail.varies) == (
        "fail",
        "RuntimeError",
        12,
        True,
    )


def test_a_file_without_sections_is_one_section():
    path = Path(__file__).resolve().parents[1] / "snippets" / "home" / "first_model.py"
    names = [s.name for s in read_source(path, path.parents[2]).sections]
    assert names == ["make_data", "train", "plot", "mistake"]


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (lambda s: s + "print('stray')\n", 14, "code outside every named section"),
        (lambda s: s.replace("# --8<-- [end:make]\n", ""), 7, "'fail' starts inside 'make'"),
        (lambda s: s.replace(":fail]", ":make]"), 2, "two sections are named 'make'"),
        (
            lambda s: s.replace(
                ")  # raises RuntimeError\n", ")  # raises RuntimeError\nprint(1)\n"
            ),
            12,
            "must be the last statement",
        ),
        (lambda s: s.replace("x = torch.ones(3)", "x = torch.ones(3"), 5, "SyntaxError"),
        (lambda s: s.replace("# --8<-- [end:fail]\n", ""), 8, "'fail' is never closed"),
    ],
)
def test_a_snippet_that_breaks_the_contract_names_its_line(tmp_path, edit, line, message):
    path = write(tmp_path, "demo.py", edit(SNIPPET))
    with pytest.raises(AuthorError) as caught:
        read_source(path, tmp_path)
    assert caught.value.path == "snippets/chapter/demo.py"
    assert caught.value.line == line, str(caught.value)
    assert message in caught.value.message


def test_a_notebook_is_its_jupytext_cells_with_tags_and_lines(tmp_path):
    path = write(tmp_path, "exercises.py", NOTEBOOK)
    source = read_source(path, tmp_path)
    assert source.kind == "notebook"
    kinds = [(s.kind, s.name, s.tags) for s in source.sections]
    assert kinds == [
        ("markdown", "text-1", ()),
        ("code", "cell-0", ()),
        ("code", "cell-1", ("solution",)),
    ]
    assert "[the chapter](fundamentals.md#the-shape-rule)" in source.sections[0].code
    lines = path.read_text().splitlines()
    for section in source.code_sections:
        body = section.code.rstrip("\n").splitlines()
        assert lines[section.first_line - 1 : section.first_line - 1 + len(body)] == body


def test_code_before_the_first_cell_marker_is_refused(tmp_path):
    path = write(tmp_path, "exercises.py", "import torch\n" + NOTEBOOK)
    with pytest.raises(AuthorError, match="code before the first `# %%`"):
        read_source(path, tmp_path)


def test_a_file_may_ask_for_a_longer_timeout_and_name_the_hardware_it_needs(tmp_path):
    path = write(tmp_path, "gpu.py", "# needs: cuda\n# timeout: 120 s\nimport torch\n")
    source = read_source(path, tmp_path)
    assert (source.needs, source.timeout) == ("cuda", 120.0)
    assert read_source(write(tmp_path, "plain.py", "x = 1\n"), tmp_path).timeout == 60.0
