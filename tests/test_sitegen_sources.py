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


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1"), "name = 'café'"),
        (b"\xef\xbb\xbf# --8<-- [start:a]\nx = 1\n# --8<-- [end:a]\n", "# --8<-- [start:a]"),
    ],
    ids=["pep-263-latin-1", "utf-8-bom"],
)
def test_a_source_is_read_as_python_reads_it(tmp_path, data, text):
    path = tmp_path / "snippets" / "chapter" / "encoded.py"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    source = read_source(path, tmp_path)
    assert text in source.text and "\ufeff" not in source.text
    assert [s.name for s in source.sections] == (["a"] if b"start:a" in data else ["__file__"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"x = 1\nname = 'caf\xe9'\n",
            "snippets/chapter/bad.py: cannot be read as Python reads it: line 2 is not utf-8 "
            "(byte 0xe9); save the file as UTF-8, or declare its encoding on its first line",
        ),
        (
            b"# -*- coding: klingon -*-\nx = 1\n",
            "snippets/chapter/bad.py: cannot be read as Python reads it: unknown encoding: klingon",
        ),
        (
            b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
            "snippets/chapter/bad.py: cannot be read as Python reads it: encoding problem: utf-8",
        ),
    ],
    ids=["not-utf-8", "unknown-encoding", "bom-and-latin-1"],
)
def test_a_source_python_cannot_decode_is_one_problem_naming_the_file(tmp_path, data, message):
    path = tmp_path / "snippets" / "chapter" / "bad.py"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    with pytest.raises(AuthorError) as caught:
        read_source(path, tmp_path)
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("x = 1\n# needs: cuda\n", 2, "`# needs:` must be the file's first line"),
        ("# needs: tpu\n", 1, "`# needs: tpu`: a file may need cuda or mps"),
        ("# timeout: -5\n", 1, "`# timeout: -5`: a whole number of seconds from 1 to 600 s"),
        ("# timeout: 1.5\n", 1, "`# timeout: 1.5`: a whole number of seconds"),
        ("# timeout: 0\n", 1, "`# timeout: 0`: a whole number of seconds from 1"),
        ("# memory: 3\n", 1, "`# memory: 3`: a whole number of KB, MB or GB"),
        ("# processes: many\n", 1, "`# processes: many`: a whole number from 1 to 256"),
        ("# output: 40 KB\nx = 1\n# output: 50 KB\n", 3, "`# output:` is given twice"),
    ],
)
def test_a_marker_with_a_value_it_cannot_have_is_an_error(tmp_path, text, line, message):
    path = write(tmp_path, "marked.py", text)
    with pytest.raises(AuthorError) as caught:
        read_source(path, tmp_path)
    assert caught.value.line == line
    assert message in caught.value.message


def test_markers_raise_a_files_limits(tmp_path):
    text = "# memory: 2 GB\n# output: 50 KB\n# disk: 1 GB\n# files: 5000\n# processes: 64\nx = 1\n"
    limits = read_source(write(tmp_path, "big.py", text), tmp_path).limits
    assert (limits.memory_bytes, limits.output_bytes, limits.disk_bytes) == (
        2 * 10**9,
        50_000,
        10**9,
    )
    assert (limits.files, limits.processes, limits.timeout_s) == (5000, 64, 60)
